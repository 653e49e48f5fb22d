"""Making, listing and revoking API clients: the one way in for the admin command and the tests."""
from __future__ import annotations

from django.db import transaction

from goldenthread.api.domain import ProgrammeCycle, Service
from goldenthread.api.models import ApiClient


class TokenError(ValueError):
    """A client cannot be made as asked; the message says why."""


@transaction.atomic
def create_client(name: str, role: str, *, cycles: list[str] | None = None, services: list[str] | None = None,
                  write: bool = False, identifiable: bool = False, rate_limit: int = 600,
                  user=None) -> tuple[ApiClient, str]:
    """Make an API client and return it with its token (the only time the token is seen).

    ``cycles`` is a list of cycle slugs, or None/``["all"]`` for every cycle;
    ``services`` a list of service names (empty for every service).
    """
    from django.core.exceptions import ValidationError

    if ApiClient.objects.filter(name=name).exists():
        raise TokenError(f'There is already an API client called "{name}".')
    all_cycles = not cycles or [c.lower() for c in cycles] == ["all"]
    client = ApiClient(name=name, role=role, all_cycles=all_cycles, can_write=write, identifiable=identifiable,
                       rate_limit=rate_limit, created_by=user)
    try:
        client.full_clean(exclude=["prefix", "key_hash"])
    except ValidationError as exc:
        raise TokenError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    token = client.new_token()
    client.save()
    if not all_cycles:
        found = list(ProgrammeCycle.objects.filter(slug__in=cycles))
        missing = sorted(set(cycles) - {c.slug for c in found})
        if missing:
            raise TokenError(f"No cycle called {', '.join(missing)}.")
        client.cycles.set(found)
    if services:
        found = [s for s in Service.objects.all() if s.name.lower() in {n.lower() for n in services}]
        missing = sorted({n.lower() for n in services} - {s.name.lower() for s in found})
        if missing:
            raise TokenError(f"No service called {', '.join(missing)}.")
        client.services.set(found)
    return client, token
