"""A database made by the old migrations (everything in the ``store`` app) upgrades to the apps with no data moved.

The apps took the models over with state-only migrations (``SeparateDatabaseAndState``)
and kept each table's name, so ``migrate`` changes nothing on disk; content types
are re-pointed so audit history and permissions stay attached.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("store", "0005_workshop_undo")]
# The apps' own later migrations (e.g. workshops 0002: a NOT NULL join-code expiry) change the same tables, so
# rows written through the old models need each moved app back at its state-only 0001 as well.
OLD_TABLES = OLD + [(app, "0001_initial") for app in ("core", "reviews", "planning", "workshops", "reporting")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_database(transactional_db):
    """The database at the old layout (store 0005); puts it back to the latest layout afterwards."""
    executor = migrate_to(OLD_TABLES)
    yield executor.loader.project_state(OLD_TABLES).apps
    migrate_to(latest())


def test_data_written_at_the_old_layout_reads_back_through_the_new_apps(old_database):
    old = old_database
    Area, UserGroup = old.get_model("store", "Area"), old.get_model("store", "UserGroup")
    Cycle, Review = old.get_model("store", "ProgrammeCycle"), old.get_model("store", "Review")
    Statement, Workshop = old.get_model("store", "Statement"), old.get_model("store", "Workshop")
    Board, Cluster = old.get_model("store", "Board"), old.get_model("store", "Cluster")
    Card, Placement = old.get_model("store", "WorkshopCard"), old.get_model("store", "Placement")
    Action = old.get_model("store", "Action")
    User = old.get_model("auth", "User")
    # Audit log and content types are outside the store's migration graph: their tables are the real ones.
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    fran = User.objects.create(username="fran")
    cycle = Cycle.objects.create(name="Harford, 2025", slug="harford-2025", year=2025)
    cycle.team.add(fran)
    review = Review.objects.create(cycle=cycle, reference="H-1", person_ref="P-1", review_date=dt.date(2025, 3, 1),
                                   area=Area.objects.create(name="Harford"), consent_given=True,
                                   user_group=UserGroup.objects.create(name="Older people"))
    statement = Statement.objects.create(review=review, cycle=cycle, kind="not_working", text="No bus after six",
                                         card_text="No bus after six", card_number=1)
    workshop = Workshop.objects.create(cycle=cycle, name="May day", code="ABCDEF", cards_used="all")
    board = Board.objects.create(workshop=workshop, kind="not_working", name="Not working: main", is_main=True)
    theme = Cluster.objects.create(board=board, name="I can't get home at night")
    card = Card.objects.create(workshop=workshop, statement=statement, kind="not_working", order=0)
    Placement.objects.create(board=board, cluster=theme, card=card)
    action = Action.objects.create(workshop=workshop, stakeholder="providers", text="Evening minibus", owner="Acorn",
                                   measure="Trips", due=dt.date(2025, 9, 1))
    action.themes.add(theme)
    review_type = ContentType.objects.get_or_create(app_label="store", model="review")[0]
    LogEntry.objects.create(content_type=review_type, object_pk=str(review.pk), object_id=review.pk,
                            object_repr="Review H-1", action=0, changes={})

    migrate_to(latest())
    ContentType.objects.clear_cache()

    from goldenthread.reviews.models import ProgrammeCycle, Review as NewReview
    from goldenthread.workshops.models import Action as NewAction, Cluster as NewCluster

    got = NewReview.objects.select_related("cycle", "area", "user_group").get(reference="H-1")
    assert (got.cycle.slug, got.area.name, got.user_group.name) == ("harford-2025", "Harford", "Older people")
    assert [s.card_code for s in got.statements.all()] == ["N-001"]
    assert list(ProgrammeCycle.objects.get().team.values_list("username", flat=True)) == ["fran"]
    theme = NewCluster.objects.themes().get()
    assert theme.name == "I can't get home at night"
    assert theme.placements.get().card.statement.text == "No bus after six"
    assert list(NewAction.objects.get().themes.all()) == [theme]
    # Audit history and permissions follow the model to its new app.
    assert ContentType.objects.get_for_model(NewReview).app_label == "reviews"
    # (Its label is the model and key: the change log never keeps a row's own wording, core/audit.py.)
    assert LogEntry.objects.get_for_object(got).get().object_repr == f"Review #{got.pk}"
    assert not ContentType.objects.filter(app_label="store", model="review").exists()


def test_the_demo_pages_show_the_same_after_the_upgrade(transactional_db, demo_data, client, monkeypatch):
    """Load the demo, read the main pages; take the database back to the old layout and upgrade it; same pages."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    from goldenthread.core import themes
    from goldenthread.engine import HashingEmbedder
    from goldenthread.reporting import matching
    from goldenthread.workshops.models import Workshop

    themes._embedder.cache_clear()
    monkeypatch.setattr(themes, "_embedder", lambda: HashingEmbedder())
    monkeypatch.setattr(matching, "similarity", lambda a, b: [[1.0 for _ in b] for _ in a])
    workshop = Workshop.objects.filter(cycle__slug="ashdown-2026").first()
    board = workshop.boards.filter(is_main=True, kind="not_working").get()
    pages = [reverse("cycle", args=["ashdown-2026"]), reverse("review_list", args=["ashdown-2026"]),
             reverse("cards", args=["ashdown-2026"]), reverse("workshop:home", args=[workshop.code]),
             reverse("workshop:board", args=[workshop.code, board.pk]),
             reverse("reports:page", args=["ashdown-2026"]), reverse("reports:thread", args=["ashdown-2026"])]

    def read_all():
        client.force_login(User.objects.get(username="admin"))
        out = {}
        for url in pages:
            r = client.get(url)
            assert r.status_code == 200, url
            out[url] = r.content.decode()
        return out

    before = read_all()
    assert "Ashdown adult social care, 2026" in before[pages[0]]
    migrate_to(OLD)
    migrate_to(latest())
    after = read_all()

    def stable(html):  # CSRF tokens differ per request, and the report's "made at" minute; nothing else may
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'<p class="made-by">Made by [^<]*</p>', "", html)

    assert {u: stable(h) for u, h in after.items()} == {u: stable(h) for u, h in before.items()}
