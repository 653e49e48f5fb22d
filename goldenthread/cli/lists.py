"""``goldenthread lists``: the council's fixed lists of areas, services and user groups.

Reviews name their area, service and user group from these lists; a review
file with a name not on a list is refused (with the closest name). On the web
they are kept on the "Areas, services and user groups" page; this command is
the same for a council that works from the command line. Changes go through
the same rules (no blanks, no names twice in any case) and are audited.
"""
from __future__ import annotations

import click

from goldenthread.cli.django_setup import setup

KINDS = ("areas", "services", "user-groups")


@click.group("lists")
def lists_group() -> None:
    """The council's lists of areas, services and user groups."""


@lists_group.command("show")
@click.argument("kind", type=click.Choice(KINDS), required=False)
def lists_show(kind) -> None:
    """Print each list (or one), a name a line."""
    setup(migrate=True)
    from goldenthread.core.lookups import LISTS

    for slug in ([kind] if kind else KINDS):
        fixed = LISTS[slug]
        click.echo(f"{fixed.title}:")
        for name in fixed.model.objects.order_by("name").values_list("name", flat=True):
            click.echo(f"  {name}")


@lists_group.command("add")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("names", nargs=-1, required=True)
def lists_add(kind, names) -> None:
    """Add NAMES to a list, for example: goldenthread lists add areas Harford "Kelsey Vale".

    All or nothing: if one name is refused (blank, too long, already there), none is added.
    """
    setup(migrate=True)
    from django.db import transaction

    from goldenthread.core.lookups import LISTS, ListChangeRefused, add

    fixed = LISTS[kind]
    try:
        with transaction.atomic():
            for name in names:
                add(fixed, name)
    except ListChangeRefused as exc:
        raise click.ClickException(f"{exc} Nothing was added.") from None
    click.echo(f"Added {len(names)} to the {fixed.plural}.")
