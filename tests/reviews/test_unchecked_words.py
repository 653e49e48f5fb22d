"""Words the anonymiser was unsure about, and nobody has checked, are masked everywhere but the check itself.

"I miss Carys, she moved away": the anonymiser cannot tell whether Carys is a person, so it leaves the word on
the card and flags it. Until someone who may see the review has checked it, every page, export, API answer and
call to the theme engine shows "I miss [name?], she moved away" instead.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.models import Statement, shown_card_text
from goldenthread.reviews.saving import save_reviews

SAID = "I miss Carys, she moved away"
MASKED = "I miss [name?], she moved away"
OTHER = "The bus stops too early in the evening"


@pytest.fixture
def rita(make_user):
    """A review facilitator: she facilitated the review, so she may see it with names and check its card."""
    return make_user(roles.REVIEW_FACILITATOR, "rita")


@pytest.fixture
def carys(cycle, rita):
    """The flagged statement (card N-1 in the cycle) and a plain one (N-2), from one finished, consented review."""
    draft = ReviewDraft(reference="R1", person_ref="P1", review_date=dt.date(2026, 2, 1), area="Harford",
                        user_group="Older people", consent=True, person_name="Dev Patel",
                        statements=[StatementDraft(kind="not_working", text=SAID, priority=1),
                                    StatementDraft(kind="not_working", text=OTHER, priority=2)])
    review = save_reviews(cycle, [draft]).reviews[0]
    review.facilitated_by = rita
    review.save()
    statement = Statement.objects.get(text=SAID)
    assert statement.needs_check and statement.card_text == SAID  # the anonymiser left it, unsure
    return statement


@pytest.fixture
def fac(make_user):
    return make_user(roles.FACILITATOR, "fran")


@pytest.fixture
def workshop(cycle, carys, fac):
    """A workshop where the flagged card has been called into a new, unnamed cluster; the plain one waits."""
    from goldenthread.workshops import services as ops

    w = ops.create_workshop(cycle, "Spring day", "all", fac)
    card = w.cards.get(statement=carys)
    ops.run(w.pk, ops.Actor("fran", True), "call_card", {"card": card.pk, "cluster": "new"})
    w.refresh_from_db()
    return w


def _check(statement, user):
    statement.accept_card_text(user)


# --- The rule -------------------------------------------------------------------------------------------------

def test_an_unchecked_word_is_masked_as_a_whole_word_everywhere_it_occurs_with_the_same_capitals():
    flagged = [{"start": 7, "end": 12, "text": "Carys", "replaced": False, "reason": "unknown word"}]
    assert shown_card_text("Carys said I miss Carys; Carysfort and carys stay", flagged, None) == \
        "[name?] said I miss [name?]; Carysfort and carys stay"


def test_a_word_the_anonymiser_already_hid_or_a_checked_card_is_shown_as_it_is():
    hidden = [{"start": 7, "end": 12, "text": "Carys", "replaced": True, "reason": "unknown word"}]
    assert shown_card_text("I miss [name]", hidden, None) == "I miss [name]"
    shown = [{"start": 7, "end": 12, "text": "Carys", "replaced": False, "reason": "unknown word"}]
    assert shown_card_text(SAID, shown, dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)) == SAID
    assert shown_card_text(SAID, [], None) == SAID


# --- Pages ----------------------------------------------------------------------------------------------------

def test_an_unchecked_name_is_masked_on_the_cards_page_for_a_viewer(client, carys, make_user):
    client.force_login(make_user(roles.VIEWER))
    page = client.get(reverse("cards", args=[carys.cycle.slug])).content.decode()
    assert MASKED in page and "Carys" not in page


def test_an_unchecked_name_is_masked_on_a_review_page_for_someone_who_may_not_see_it_with_names(
        client, carys, make_user):
    client.force_login(make_user(roles.VIEWER))
    page = client.get(reverse("review", args=[carys.review.pk])).content.decode()
    assert MASKED in page and "Carys" not in page


def test_the_check_list_still_shows_the_word_to_someone_who_may_see_the_review(client, carys, rita):
    client.force_login(rita)
    page = client.get(reverse("cards", args=[carys.cycle.slug])).content.decode()
    assert "Check before printing" in page and "On the card: I miss Carys" in page


# --- The workshop: projector, board, card call and the live messages -----------------------------------------

def test_an_unchecked_name_is_masked_on_the_projector_and_the_board(client, workshop, fac):
    from goldenthread.workshops.models import Board

    client.force_login(fac)
    board = Board.objects.get(workshop=workshop, kind="not_working", is_main=True)
    page = client.get(reverse("workshop:board", args=[workshop.code, board.pk])).content.decode()
    assert "I miss [name?]" in page and "Carys" not in page
    call = client.get(reverse("workshop:call", args=[workshop.code])).content.decode()
    assert "Carys" not in call
    # The projector shows the card being called: make the flagged one the next to call.
    from goldenthread.workshops.models import Placement

    Placement.objects.filter(board__workshop=workshop).delete()
    type(workshop).objects.filter(pk=workshop.pk).update(stage="card_call")  # the room view of the card call
    screen = client.get(reverse("workshop:screen", args=[workshop.code])).content.decode()
    assert MASKED in screen and "Carys" not in screen


def test_an_unchecked_name_is_masked_in_the_card_call_websocket_message_and_in_what_the_engine_is_told(
        workshop, monkeypatch):
    from goldenthread.core import themes
    from goldenthread.workshops.consumers import suggestions_message
    from goldenthread.workshops.models import Cluster

    told = []
    cluster = Cluster.objects.get(board__workshop=workshop)

    def learnt(card_text, history, limit=3, key=None, **_):
        told.append((card_text, history))
        return themes.Suggestion(ranked=[themes.Fit(cluster.pk, 0.7, 1, True, (MASKED,))], new_cluster=False,
                                 new_score=0.1)

    monkeypatch.setattr(themes, "learnt_suggestion", learnt)
    message = suggestions_message(workshop.pk)
    assert message["ranked"] and "I miss [name?]" in message["ranked"][0]["reason"]
    assert "Carys" not in json.dumps(message)
    assert told and "Carys" not in repr(told) and MASKED in repr(told)  # the room's history, as the engine hears it


def test_an_unchecked_name_is_never_sent_to_the_theme_namer(client, workshop, fac, monkeypatch):
    from goldenthread.core import themes
    from goldenthread.workshops.models import Cluster

    asked = []
    monkeypatch.setattr(themes, "suggest_names", lambda texts, kind=None, limit=3, others=(), taken=():
                        asked.append([texts, *others]) or [])
    client.force_login(fac)
    cluster = Cluster.objects.get(board__workshop=workshop)
    page = client.get(reverse("workshop:theme", args=[workshop.code, cluster.pk])).content.decode()
    assert asked == [[[MASKED]]] and "Carys" not in page


def test_an_unchecked_name_is_masked_in_place_the_rest_proposals(workshop, monkeypatch):
    from goldenthread.core import themes
    from goldenthread.workshops import services as ops

    told = []
    monkeypatch.setattr(themes, "place_rest", lambda history, cards, key=None, **_: told.append((history, cards)) or [])
    ops.run(workshop.pk, ops.Actor("fran", True), "set_stage", {"stage": "card_call"})
    ops.run(workshop.pk, ops.Actor("fran", True), "place_rest", {"kind": "not_working"})
    assert told and "Carys" not in repr(told) and MASKED in repr(told)


def test_proposals_made_before_masking_have_their_most_like_texts_masked_by_the_upgrade(workshop):
    import importlib

    from django.apps import apps

    from goldenthread.workshops.models import ProposedPlace, RestProposal

    upgrade = importlib.import_module("goldenthread.workshops.migrations.0005_mask_unchecked_words_in_proposals")
    proposal = RestProposal.objects.create(workshop=workshop, kind="not_working", made_by="fran")
    place = ProposedPlace.objects.create(proposal=proposal, card=workshop.cards.get(statement__text=OTHER),
                                         confidence=0.5, like=[[SAID, 0.4], [OTHER, 0.2]])
    upgrade.mask(apps, None)
    place.refresh_from_db()
    assert place.like == [[MASKED, 0.4], [OTHER, 0.2]]


# --- The API and exports --------------------------------------------------------------------------------------

@pytest.fixture
def named_theme(workshop):
    from goldenthread.workshops import services as ops
    from goldenthread.workshops.models import Cluster

    cluster = Cluster.objects.get(board__workshop=workshop)
    ops.run(workshop.pk, ops.Actor("fran", True), "rename_cluster", {"cluster": cluster.pk, "name": "Missing people"})
    return cluster


def _api(client, path):
    from django.core.cache import cache

    from goldenthread.api.models import ApiClient
    from goldenthread.api.tokens import create_client

    cache.clear()  # no rate limit carried over from another test
    ApiClient.objects.filter(name="reader").delete()
    token = create_client("reader", "Administrator", cycles=["all"], identifiable=True)[1]
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}").json()


def test_an_unchecked_name_is_masked_in_the_api_cards_and_themes(client, named_theme, carys):
    cards = _api(client, f"/api/v1/cycles/{carys.cycle.slug}/cards")["results"]
    assert MASKED in [c["card_text"] for c in cards] and SAID not in [c["card_text"] for c in cards]
    themes = _api(client, f"/api/v1/cycles/{carys.cycle.slug}/themes")["results"]
    assert [c["card_text"] for t in themes for c in t["cards"]] == [MASKED]


def test_an_unchecked_name_is_masked_on_the_golden_thread_and_you_said_we_did(named_theme):
    from goldenthread.reporting.golden_thread import theme_cards

    assert [c.text for c in theme_cards(named_theme)] == [MASKED]


def test_an_unchecked_name_is_masked_in_the_batch_theming_export(cycle, carys, tmp_path):
    import pyarrow.parquet as pq

    from goldenthread.batch.models import BatchRun
    from goldenthread.batch.services import export_statements

    run = BatchRun.objects.create()
    run.cycles.add(cycle)
    export_statements(run, tmp_path / "statements.parquet")
    texts = pq.read_table(tmp_path / "statements.parquet").column("text").to_pylist()
    assert MASKED in texts and SAID not in texts


# --- After the check ------------------------------------------------------------------------------------------

def test_once_checked_the_wording_shows_everywhere(client, named_theme, carys, rita, make_user, fac):
    client.force_login(rita)
    client.post(reverse("card_check", args=[carys.cycle.slug, carys.pk]), {"action": "accept"})
    carys.refresh_from_db()
    assert not carys.needs_check and carys.shown_text == SAID
    client.force_login(make_user(roles.VIEWER))
    assert SAID in client.get(reverse("cards", args=[carys.cycle.slug])).content.decode()
    cards = _api(client, f"/api/v1/cycles/{carys.cycle.slug}/cards")["results"]
    assert SAID in [c["card_text"] for c in cards]
    client.force_login(fac)
    board = named_theme.board
    page = client.get(reverse("workshop:board", args=[board.workshop.code, board.pk])).content.decode()
    assert "I miss Carys" in page
