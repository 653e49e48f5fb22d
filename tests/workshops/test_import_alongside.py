"""A big review import while a workshop is live: no socket is dropped and every move during it succeeds
(a move waits for the import's write to finish instead of failing with "database is locked")."""
from __future__ import annotations

import asyncio
import json
import threading

import pytest
from django.db import connection

from goldenthread.reviews.importing import COLUMNS, import_reviews
from goldenthread.reviews.models import Review
from goldenthread.workshops import services as ops
from tests.workshops.test_consumer import _connect, run_async

N_REVIEWS = 2000


def review_csv(n: int) -> bytes:
    rows = [",".join(COLUMNS)]
    for i in range(n):
        values = {"review_id": f"IMP-{i}", "person_id": f"PI-{i}", "review_date": "2026-02-03", "area": "Harford",
                  "user_group": "Older people", "consent": "yes", "kind": "working",
                  "text": f"I like the invented club number {i}"}
        rows.append(",".join(values.get(c, "") for c in COLUMNS))
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def live_workshop(transactional_db, workshop):
    return workshop


def test_a_big_import_drops_no_workshop_socket_and_every_move_succeeds(live_workshop, facilitator, workshop_cycle):
    w = live_workshop
    fac = ops.Actor("fran", True)
    cards = list(w.cards.filter(kind="not_working"))
    for card in cards:
        ops.run(w.pk, fac, "call_card", {"card": card.pk, "cluster": "new"})
    clusters = list(ops.main_board(w, "not_working").clusters.values_list("pk", flat=True))
    for i, cluster in enumerate(clusters):  # named, so a move that empties one keeps it
        ops.run(w.pk, fac, "rename_cluster", {"cluster": cluster, "name": f"Theme {i}"})
    data = review_csv(N_REVIEWS)
    started, outcome = threading.Event(), {}

    def importer():
        try:
            started.set()
            outcome["result"] = import_reviews(workshop_cycle, data, "big.csv")
        except Exception as exc:  # pragma: no cover - reported below
            outcome["error"] = exc
        finally:
            connection.close()

    async def scenario():
        ws = await _connect(w, user=facilitator)
        thread = threading.Thread(target=importer)
        thread.start()
        started.wait()
        replies, during, i = [], 0, 0
        while (thread.is_alive() or i < 3) and i < 300:  # keep moving until the import is over
            await asyncio.sleep(0.1)
            during += thread.is_alive()
            i += 1
            await ws.send_to(text_data=json.dumps({"type": "move_card", "card": cards[i % 3].pk,
                                                   "cluster": clusters[i % 2 + 1], "ref": i}))
            while True:
                reply = json.loads(await ws.receive_from(timeout=60))
                if reply["type"] != "changed":
                    break
            replies.append(reply)
        await asyncio.get_running_loop().run_in_executor(None, thread.join, 120)
        await ws.send_to(text_data=json.dumps({"type": "hello"}))
        alive = json.loads(await ws.receive_from(timeout=10))
        await ws.disconnect()
        return replies, alive, during

    replies, alive, during = run_async(scenario)
    assert during >= 1, "a move was made while the import was running (it waits for the import, then succeeds)"
    assert [r["type"] for r in replies] == ["done"] * len(replies), replies
    assert alive["type"] == "changed", "the socket is still open"
    assert "error" not in outcome and outcome["result"].reviews_created == N_REVIEWS
    assert Review.objects.filter(reference__startswith="IMP-").count() == N_REVIEWS
