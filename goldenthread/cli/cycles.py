"""``goldenthread cycle``: list and create programme cycles."""
from __future__ import annotations

import click

from goldenthread.cli.django_setup import get_cycle, setup


@click.group("cycle")
def cycle_group() -> None:
    """Programme cycles: one year of the method for a population."""


@cycle_group.command("list")
def cycle_list() -> None:
    """List cycles with their short names."""
    setup(migrate=True)
    from goldenthread.reviews.models import ProgrammeCycle

    for cycle in ProgrammeCycle.objects.all():
        click.echo(f"{cycle.slug}\t{cycle.year}\t{cycle.name}\t{cycle.reviews.count()} reviews")


@cycle_group.command("create")
@click.option("--name", required=True, help='For example "Older people, Harford, 2026".')
@click.option("--slug", required=True, help="Short name for web addresses and commands.")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--purpose", default="")
@click.option("--scope", default="")
@click.option("--previous", "previous_slug", help="Short name of last year's cycle.")
def cycle_create(name, slug, year, purpose, scope, previous_slug) -> None:
    """Create a cycle."""
    setup(migrate=True)
    from django.utils.text import slugify

    from goldenthread.reviews.models import ProgrammeCycle

    if slugify(slug) != slug:
        raise click.BadParameter(f'use only lower-case letters, numbers and hyphens, like "{slugify(slug)}"',
                                 param_hint="--slug")
    if ProgrammeCycle.objects.filter(slug=slug).exists():
        raise click.BadParameter(f'a cycle called "{slug}" already exists', param_hint="--slug")
    if ProgrammeCycle.name_taken(name):
        raise click.BadParameter(f'a cycle named "{name}" already exists: give it a different name',
                                 param_hint="--name")
    previous = get_cycle(previous_slug) if previous_slug else None
    cycle = ProgrammeCycle.objects.create(name=name, slug=slug, year=year, purpose=purpose, scope=scope,
                                          previous=previous)
    click.echo(f"Created {cycle.name} ({cycle.slug})")
