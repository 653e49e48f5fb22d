"""``goldenthread report``: make a cycle's report, easy-read summary, wall sheets or data file."""
from __future__ import annotations

from pathlib import Path

import click

from goldenthread.cli.django_setup import get_cycle, get_user, setup


@click.command("report")
@click.argument("cycle_slug", metavar="CYCLE")
@click.option("--format", "file_format", type=click.Choice(["html", "pdf", "xlsx", "csv", "json"]), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--workshop", "workshop_id", type=int, help="Which workshop of the cycle (default: the latest).")
@click.option("--easy-read", is_flag=True, help="The easy-read summary (html or pdf).")
@click.option("--wall-sheets", is_flag=True, help="One A4 landscape page per theme, to put on the wall (pdf).")
@click.option("--team", is_flag=True, help="Show every count, for the workshop team only. Default: small counts hidden.")
@click.option("--user", "username", help="Record this user as the one who made it.")
def report(cycle_slug, file_format, output, workshop_id, easy_read, wall_sheets, team, username) -> None:
    """Make a report for CYCLE and write it to --output. Every export is logged with who made it."""
    setup(migrate=True)
    from goldenthread.reporting.data import pick_workshop
    from goldenthread.reporting.outputs import make_output, output_for

    cycle = get_cycle(cycle_slug)
    try:
        workshop = pick_workshop(cycle, workshop_id)
    except Exception:
        raise click.BadParameter(f"cycle {cycle.slug} has no workshop {workshop_id}", param_hint="--workshop") from None
    user = get_user(username)
    kind = output_for(file_format, easy_read, wall_sheets)
    try:
        made = make_output(cycle, workshop, kind, file_format, shared=not team, user=user,
                           user_name=username or None, via="cli")
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    output.write_bytes(made.content)
    click.echo(f"Wrote {output} ({len(made.content):,} bytes)" + ("" if team else "; small counts hidden"))
