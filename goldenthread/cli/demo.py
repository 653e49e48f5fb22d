"""``goldenthread demo``: load the invented demo data set and demo accounts."""
from __future__ import annotations

import click

from goldenthread.cli.django_setup import setup


@click.command()
def demo() -> None:
    """Load invented demo reviews (two yearly cycles), demo workshops and one demo account per role.

    Safe to run again: nothing is added twice and the demo passwords are reset. Refuses to run against a
    production database or one with accounts the demo did not make.
    """
    setup(migrate=True)
    from goldenthread.demo import DEMO_PASSWORD, load_demo, refusal

    reason = refusal()
    if reason:
        raise click.ClickException(f"the demo was not loaded: {reason}.")

    from goldenthread.demo.market import load_market_demo
    from goldenthread.demo.outcomes import load_outcomes_demo
    from goldenthread.demo.people import load_people_demo
    from goldenthread.demo.providers import load_providers_demo
    from goldenthread.demo.tenders import load_tenders_demo

    # The demo workshops use the theme engine: the bundled MiniLM, run in
    # NumPy, so nothing needs building first.
    summary = load_demo()
    summary.lines += load_people_demo()
    summary.lines += load_providers_demo()
    summary.lines += load_outcomes_demo()
    summary.lines += load_market_demo()
    summary.lines += load_tenders_demo()
    for line in summary.lines:
        click.echo(line)
    click.echo("")
    click.echo("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
    for username, role in summary.users:
        click.echo(f"  {username:<20} {role}")
