"""``/healthz`` and ``/readyz``: for a load balancer, a container runtime or a monitoring probe.

``/healthz``
    The process is alive and answering: ``200 ok`` in plain text. It touches nothing else (no
    database, no channel layer), so a slow database never gets a healthy process restarted.

``/readyz``
    The process can do its work: the database answers, a message sent through the channel layer
    (Redis with several processes) comes back, and every migration has been applied. ``200`` with a
    JSON object naming each check; ``503`` naming the failing ones when any fails, so a proxy sends no
    users to a process that would fail them (during an upgrade, before ``migrate`` has run).

Both answer without signing in (``login_not_required``; the deny-by-default middlewares let them
through), say nothing about people or the configuration (a failure is named by its exception's class
only), and are never cached.
"""
from __future__ import annotations

import asyncio
import uuid

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

#: How long the channel layer may take to hand a message back.
LAYER_TIMEOUT_SECONDS = 2.0
#: Once every migration is applied it stays so for this process's life; later probes skip the check.
_migrated = False


@login_not_required
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def check_database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    global _migrated
    if _migrated:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    _migrated = True


async def check_channel_layer() -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer")
    channel = await layer.new_channel("readyz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "readyz.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), LAYER_TIMEOUT_SECONDS)
    if message.get("token") != token:
        raise RuntimeError("the channel layer gave back another message")


def _failure(error: BaseException) -> str:
    """A failure, named by its class only: an exception's text may hold a host name or a user name."""
    if isinstance(error, asyncio.TimeoutError):
        return "failing: no answer"
    return f"failing: {type(error).__name__}"


@login_not_required
@never_cache
async def readyz(request):
    checks: dict[str, str] = {}
    for name, check in (("database", sync_to_async(check_database)),
                        ("migrations", sync_to_async(check_migrations)),
                        ("channel_layer", check_channel_layer)):
        try:
            await check()
        except Exception as error:  # every failure is reported, none is raised
            checks[name] = _failure(error)
        else:
            checks[name] = "ok"
    failing = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "failing" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
