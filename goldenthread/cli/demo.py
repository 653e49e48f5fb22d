"""``goldenthread demo``: load the invented demo data set and demo accounts."""
from __future__ import annotations

import os

import click

from goldenthread.cli.django_setup import setup


@click.command()
def demo() -> None:
    """Load invented demo reviews (two yearly cycles), demo workshops and one demo account per role.

    Safe to run again: nothing is added twice and the demo passwords are reset.
    """
    setup(migrate=True)
    from goldenthread.store.demo import DEMO_PASSWORD, load_demo

    from goldenthread.store.people_demo import load_people_demo

    from goldenthread.engine import build_fast_model
    from goldenthread.engine.embed import distilled_model_dir

    if not distilled_model_dir().exists():
        click.echo("Preparing the fast theme model from the bundled MiniLM (first time only, about a minute)...")
        os.environ.setdefault("TQDM_DISABLE", "1")  # the distiller's progress bars would drown the log-ins
    build_fast_model()  # before load_demo: the demo workshops use the theme engine
    summary = load_demo()
    summary.lines += load_people_demo()
    for line in summary.lines:
        click.echo(line)
    click.echo("")
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for username, role in summary.users:
        click.echo(f"  {username:<20} {role}")
