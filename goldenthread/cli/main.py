"""The ``goldenthread`` console command.

Each sub-command lives in its own module under :mod:`goldenthread.cli`; this
module only wires them into one click group. Commands that need the database
call :func:`goldenthread.cli.django_setup.setup` first, so the engine-only
command (``themes``) starts fast and never touches Django.
"""
from __future__ import annotations

import click

from goldenthread.cli.batch import batch
from goldenthread.cli.backup import backup, restore
from goldenthread.cli.cycles import cycle_group
from goldenthread.cli.demo import demo
from goldenthread.cli.importing import import_group
from goldenthread.cli.lists import lists_group
from goldenthread.cli.report import report
from goldenthread.cli.server import manage, serve
from goldenthread.cli.themes import themes


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="goldenthread")
def cli() -> None:
    """Golden Thread: from person-centred reviews to commissioning decisions."""


for command in (batch, cycle_group, demo, import_group, lists_group, manage, report, serve, themes, backup, restore):
    cli.add_command(command)


def main() -> None:  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
