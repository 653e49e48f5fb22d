"""Group commit for live workshops: the changes that arrive while one batch is written go in the next.

Every screen's change goes through :func:`apply`. In each server process there is at most one batch per
workshop being written at a time; changes that come in meanwhile (from any screen connected to this process)
wait and are then applied together by :func:`goldenthread.workshops.services.run_many`: one thread hop, one
lock of the workshop row, one commit. Each change still gets its own version, its own entry in the change log
and its own answer, and a change that is refused changes nothing while the others go ahead.

At a quiet moment a batch is one change and nothing waits; under load (100 people moving 60 cards a second)
the batches grow just enough to keep up, instead of a queue of single transactions that grows without end.
One screen's changes are applied in the order it sent them, because each screen waits for the answer to one
change before sending the next to the database (:class:`~goldenthread.workshops.consumers.WorkshopConsumer`).
"""
from __future__ import annotations

import asyncio
import weakref

from channels.db import database_sync_to_async

from goldenthread.workshops import services
from goldenthread.workshops.fields import Actor, Applied

#: The most changes written in one transaction; more wait for the next batch.
MAX_BATCH = 100


class _Queue:
    __slots__ = ("waiting", "busy")

    def __init__(self):
        self.waiting: list[tuple[services.Request, asyncio.Future]] = []
        self.busy = False


#: Per event loop (one per server process), per workshop.
_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, _Queue]]" = weakref.WeakKeyDictionary()


async def apply(workshop_id: int, actor: Actor, op: str, data: dict, confirm: bool = False) -> Applied:
    """Apply one change, with whatever other changes to this workshop are waiting; returns what it did.

    Raises what :func:`services.run` would: :class:`~goldenthread.workshops.fields.OpError` (or its
    ``Conflict`` / ``NeedsConfirmation``) when the change is refused, or the unexpected error.
    """
    loop = asyncio.get_running_loop()
    queue = _queues.setdefault(loop, {}).setdefault(workshop_id, _Queue())
    answer = loop.create_future()
    queue.waiting.append((services.Request(actor, op, data, confirm), answer))
    if not queue.busy:
        queue.busy = True
        loop.create_task(_write(workshop_id, queue))
    return await answer


async def _write(workshop_id: int, queue: _Queue) -> None:
    try:
        while queue.waiting:
            batch, queue.waiting = queue.waiting[:MAX_BATCH], queue.waiting[MAX_BATCH:]
            try:
                results = await database_sync_to_async(services.run_many)(workshop_id, [r for r, _ in batch])
            except Exception as exc:  # the whole batch failed together (a lock that outlasted the wait, say)
                results = [exc] * len(batch)
            for (_, answer), result in zip(batch, results):
                if answer.done():  # the screen went away meanwhile
                    continue
                if isinstance(result, BaseException):
                    answer.set_exception(result)
                else:
                    answer.set_result(result)
    finally:
        queue.busy = False
