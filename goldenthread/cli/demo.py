"""``goldenthread demo``: load the invented demo data set and demo accounts."""
from __future__ import annotations

import click

from goldenthread.cli.django_setup import setup


@click.command()
def demo() -> None:
    """Load invented demo reviews (two yearly cycles), demo workshops and one demo account per role.

    Safe to run again: nothing is added twice and the demo passwords are reset.
    """
    setup(migrate=True)
    from goldenthread.store.demo import DEMO_PASSWORD, load_demo

    from goldenthread.providers.demo import load_providers_demo
    from goldenthread.store.people_demo import load_people_demo

    # The demo workshops use the theme engine: the bundled MiniLM, run in
    # NumPy, so nothing needs building first.
    summary = load_demo()
    summary.lines += load_people_demo()
    summary.lines += load_providers_demo()
    for line in summary.lines:
        click.echo(line)
    click.echo("")
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for username, role in summary.users:
        click.echo(f"  {username:<20} {role}")
