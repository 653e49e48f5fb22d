"""``goldenthread import``: bring reviews in from files, all or nothing."""
from __future__ import annotations

from pathlib import Path

import click

from goldenthread.cli.django_setup import get_cycle, get_user, setup


@click.group("import")
def import_group() -> None:
    """Import data from files."""


@import_group.command("reviews")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--cycle", "cycle_slug", required=True, help="Short name of the cycle to import into.")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx", "json"]),
              help="File format, if the file name does not end in .csv, .xlsx or .json.")
@click.option("--user", "username", help="Record this user as the one who imported the file.")
def import_reviews_command(file: Path, cycle_slug: str, file_format: str | None, username: str | None) -> None:
    """Import reviews from FILE (CSV, XLSX or JSON) into a cycle.

    If any row has a problem, every problem is listed with its row and column
    and nothing is saved. Importing the same file again adds nothing.
    """
    setup(migrate=True)
    from goldenthread.reviews.importing import ReviewFileError, import_reviews

    cycle = get_cycle(cycle_slug)
    try:
        result = import_reviews(cycle, file.read_bytes(), file.name, file_format=file_format,
                                user=get_user(username))
    except ReviewFileError as exc:
        click.echo(f"{file.name} was not imported. Nothing was saved. "
                   f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    click.echo(result.summary())


@import_group.command("template")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx", "json"]), default="xlsx",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def import_template_command(file_format: str, output: Path) -> None:
    """Write a review-file template with example rows."""
    setup()
    from goldenthread.reviews.template import TEMPLATES

    output.write_bytes(TEMPLATES[file_format]())
    click.echo(f"Wrote {output}")


def _import_outcome_file(file: Path, file_format: str | None, what: str) -> None:
    setup(migrate=True)
    from goldenthread.outcomes.services import OutcomeFileError, import_measures, import_outcomes, read_table

    do_import = import_outcomes if what == "outcomes" else import_measures
    try:
        summary = do_import(read_table(file.read_bytes(), file.name, file_format))
    except OutcomeFileError as exc:
        click.echo(f"{file.name} was not imported. Nothing was saved. "
                   f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    click.echo(str(summary))


@import_group.command("outcomes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]),
              help="File format, if the file name does not end in .csv or .xlsx.")
def import_outcomes_command(file: Path, file_format: str | None) -> None:
    """Import the council's outcome framework from FILE (columns: code, statement, description).

    All or nothing: every problem is listed with its row and column. Known codes are updated.
    """
    _import_outcome_file(file, file_format, "outcomes")


@import_group.command("measures")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]),
              help="File format, if the file name does not end in .csv or .xlsx.")
def import_measures_command(file: Path, file_format: str | None) -> None:
    """Import activity and results measures from FILE (columns: outcome, name, kind, unit, value, period, cycle,
    area, user_group). All or nothing: every problem is listed with its row and column."""
    _import_outcome_file(file, file_format, "measures")
