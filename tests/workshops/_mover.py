"""Helper for test_sigkill: a process that applies workshop moves to a file database until it is killed.

    python -m tests.workshops._mover DATA_DIR

Prints ``ready <workshop id> <board id> <version>`` and then ``moved <version>`` after each committed move.
"""
from __future__ import annotations

import datetime as dt
import os
import sys


def main(data_dir: str) -> None:
    os.environ["GOLDENTHREAD_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/kill.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "goldenthread.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews
    from goldenthread.workshops import services as ops

    call_command("migrate", verbosity=0)
    cycle = ProgrammeCycle.objects.create(name="Kill", slug="kill", year=2026)
    save_reviews(cycle, [ReviewDraft(reference=f"K{i}", person_ref=f"P{i}", review_date=dt.date(2026, 1, 1),
                                     area="Harford", user_group="Older people", consent=True,
                                     statements=[StatementDraft("not_working", f"Invented statement {i}")])
                         for i in range(6)])
    w = ops.create_workshop(cycle, "Kill", "all", None)
    fac = ops.Actor("fac", True)
    cards = list(w.cards.values_list("pk", flat=True))
    for card in cards:
        ops.run(w.pk, fac, "call_card", {"card": card, "cluster": "new"})
    board = ops.main_board(w, "not_working")
    clusters = list(board.clusters.values_list("pk", flat=True))
    version = ops.Workshop.objects.get(pk=w.pk).version
    print("ready", w.pk, board.pk, version, flush=True)
    i = 0
    while True:
        i += 1
        applied = ops.run(w.pk, fac, "move_card", {"card": cards[i % len(cards)],
                                                   "cluster": clusters[(i * 7) % len(clusters)]})
        print("moved", applied.version, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
