"""Subject access export, erasing one person, and the retention purge."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.core.models import AccessRecord
from goldenthread.reviews import data_protection
from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
from goldenthread.reviews.models import Attendee, OnePageProfile, Review, Statement
from goldenthread.reviews.saving import save_reviews



def _draft(ref, person_ref, name, date=dt.date(2026, 2, 1), texts=("I like the garden",)):
    return ReviewDraft(reference=ref, person_ref=person_ref, review_date=date, area="Harford", consent=True,
                       user_group="Older people", person_name=name, attendees=[("Sam Hollis", "son")],
                       statements=[StatementDraft(kind="working", text=t) for t in texts])


@pytest.fixture
def two_people(cycle):
    save_reviews(cycle, [_draft("R1", "P-1", "Ivy Moss", texts=("Ivy likes the garden", "The bus is late")),
                         _draft("R2", "P-2", "Len Oak", texts=("The bus is late",))])
    OnePageProfile.objects.create(person_ref="P-1", name="Ivy Moss", appreciate="a", important="b", support="c")
    return cycle


@pytest.fixture
def workshop_cards(two_people):
    """A workshop with both people's cards placed in one theme."""
    from goldenthread.workshops.models import Board, Cluster, Placement, Workshop, WorkshopCard

    workshop = Workshop.objects.create(cycle=two_people, name="W")
    board = Board.objects.create(workshop=workshop, kind="not_working", name="Not working")
    theme = Cluster.objects.create(board=board, name="Buses")
    for i, s in enumerate(Statement.objects.filter(kind="working")):
        card = WorkshopCard.objects.create(workshop=workshop, statement=s, kind=s.kind, order=i)
        Placement.objects.create(board=board, cluster=theme, card=card)
    return theme


def test_subject_access_gathers_everything_held_about_one_person_and_is_logged(two_people, workshop_cards,
                                                                               make_user):
    admin = make_user(roles.ADMINISTRATOR)
    data = data_protection.subject_access("P-1", admin)
    assert [r["person_name"] for r in data["reviews"]] == ["Ivy Moss"]
    assert {s["said"] for s in data["statements"]} == {"Ivy likes the garden", "The bus is late"}
    assert {s["card_text"] for s in data["statements"]} == {"[name] likes the garden", "The bus is late"}
    assert [a["name"] for a in data["attendees"]] == ["Sam Hollis"]
    assert [p["name"] for p in data["profiles"]] == ["Ivy Moss"]
    assert len(data["workshop_cards"]) == 2
    assert all(r["person_ref"] != "P-2" for r in data["reviews"])
    json.dumps(data, default=str)
    assert AccessRecord.objects.get().action == "subject_access"
    # The next export lists the first one among the audit entries about them.
    assert data_protection.subject_access("P-1", admin)["access_log"][0]["action"] == "subject_access"


def test_the_subject_access_pages_are_for_administrators_only(client, two_people, make_user):
    for role in (roles.REVIEW_FACILITATOR, roles.PROVIDER_MANAGER, roles.FACILITATOR, roles.VIEWER):
        client.force_login(make_user(role))
        assert client.get(reverse("person_data", args=["P-1"])).status_code == 403
        assert client.post(reverse("person_erase", args=["P-1"]), {"confirm": "P-1"}).status_code == 403
    client.force_login(make_user(roles.ADMINISTRATOR))
    assert "Ivy Moss" in client.get(reverse("person_data", args=["P-1"])).content.decode()
    body = json.loads(client.get(reverse("person_data_json", args=["P-1"])).content)
    assert body["person_ref"] == "P-1"
    assert Review.objects.filter(person_ref="P-1").exists()


def test_erasing_a_person_removes_their_data_and_cards_and_keeps_the_theme_and_others(
        client, two_people, workshop_cards, make_user):
    client.force_login(make_user(roles.ADMINISTRATOR))
    page = client.get(reverse("person_erase", args=["P-1"])).content.decode()
    assert "Themes keep everyone else" in page and "2 statements" in page
    # Without typing the ID nothing happens.
    client.post(reverse("person_erase", args=["P-1"]), {"confirm": "nope"})
    assert Review.objects.filter(person_ref="P-1").exists()
    client.post(reverse("person_erase", args=["P-1"]), {"confirm": "P-1"})
    assert not Review.objects.filter(person_ref="P-1").exists()
    assert not Attendee.objects.filter(name="Sam Hollis", review__person_ref="P-1").exists()
    assert not OnePageProfile.objects.filter(person_ref="P-1").exists()
    assert Statement.objects.count() == 1  # Len's
    workshop_cards.refresh_from_db()
    assert [p.card.statement.review.person_ref for p in workshop_cards.placements.all()] == ["P-2"]
    record = AccessRecord.objects.filter(action="erase").get()
    assert record.person_ref == "P-1" and "2 statements" in record.detail


def test_erasing_is_all_or_nothing(two_people, workshop_cards, make_user, monkeypatch):
    admin = make_user(roles.ADMINISTRATOR)

    def boom(self, *a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(OnePageProfile, "delete", boom)
    with pytest.raises(RuntimeError):
        data_protection.erase_person("P-1", admin)
    assert Review.objects.filter(person_ref="P-1").count() == 1 and Statement.objects.count() == 3
    assert not AccessRecord.objects.filter(action="erase").exists()


def test_the_retention_purge_deletes_only_reviews_older_than_the_period(cycle, settings, capsys):
    settings.GOLDENTHREAD_RETENTION_MONTHS = 24
    today = dt.date.today()
    save_reviews(cycle, [_draft("OLD", "P-OLD", "Ann Old", date=today - dt.timedelta(days=3 * 365)),
                         _draft("NEW", "P-NEW", "Bo New", date=today - dt.timedelta(days=300))])
    call_command("purge_expired", "--dry-run")
    assert "Would delete 1 reviews" in capsys.readouterr().out and Review.objects.count() == 2
    call_command("purge_expired")
    assert list(Review.objects.values_list("reference", flat=True)) == ["NEW"]
    assert AccessRecord.objects.get(action="purge").actor == "system:purge_expired"


def test_the_cutoff_counts_whole_months():
    assert data_protection.retention_cutoff(84, dt.date(2026, 3, 31)) == dt.date(2019, 3, 28)
    assert data_protection.retention_cutoff(1, dt.date(2026, 1, 15)) == dt.date(2025, 12, 15)


def test_the_change_log_names_nobody_and_forgets_an_erased_person(two_people, workshop_cards, make_user):
    """Masked fields are logged as "(changed)" (not half-masked), an entry names its object by kind and number
    (not "Lorraine Barnes (mum)"), card wording is masked too, and erasing a person deletes the entries about
    their rows — their deletion included."""
    from auditlog.models import LogEntry

    review = Review.objects.get(person_ref="P-1")
    attendee = review.attendees.get()
    attendee.name, attendee.relationship = "Lorraine Barnes", "mum"
    attendee.save()
    review.person_name = "Ivy Mossley"
    review.save()
    statement = review.statements.first()
    statement.text, statement.card_text = "Ivy Mossley loves the pond", "[name] loves the pond"
    statement.save()
    profile = OnePageProfile.objects.get(person_ref="P-1")
    profile.name = "Ivy Mossley"
    profile.save()
    logged = " ".join(f"{e.object_repr} {e.changes}" for e in LogEntry.objects.all())
    for secret in ("Lorraine", "Barnes", "Mossley", "Ivy", "loves the pond", "Sam Hollis"):
        assert secret not in logged, secret
    assert "(hidden)" in logged and LogEntry.objects.filter(object_repr=f"Attendee #{attendee.pk}").exists()

    data_protection.erase_person("P-1", make_user(roles.ADMINISTRATOR))
    about_them = [(Review, review.pk), (type(attendee), attendee.pk), (Statement, statement.pk),
                  (OnePageProfile, profile.pk)]
    from django.contrib.contenttypes.models import ContentType

    for model, pk in about_them:
        assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                           object_pk=str(pk)).exists(), model
