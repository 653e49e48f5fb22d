"""Start Django for commands that use the database."""
from __future__ import annotations

import os


def setup(migrate: bool = False) -> None:
    """Configure Django once; with ``migrate`` also bring the database schema up to date quietly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def get_cycle(slug: str):
    """The cycle with this short name, or a click error listing the ones that exist."""
    import click

    from goldenthread.reviews.models import ProgrammeCycle

    try:
        return ProgrammeCycle.objects.get(slug=slug)
    except ProgrammeCycle.DoesNotExist:
        known = ", ".join(ProgrammeCycle.objects.values_list("slug", flat=True)) or "none yet"
        raise click.ClickException(
            f'there is no cycle "{slug}". Cycles: {known}. Create one with "goldenthread cycle create".'
        ) from None


def get_user(username: str | None):
    import click
    from django.contrib.auth import get_user_model

    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise click.ClickException(f'there is no user "{username}"') from None
