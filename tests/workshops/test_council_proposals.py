"""A confirmed set of whole-council (batch) themes starts a workshop's "place the rest" proposal boards."""
from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.batch import services as batch
from goldenthread.batch.models import BatchRun, ProposedMembership, ProposedTheme
from goldenthread.core import roles
from goldenthread.workshops import services
from goldenthread.workshops.models import Placement, RestProposal


def confirmed_run(cycle, tmp_path, user, themes_by_kind):
    """A confirmed run over ``cycle``: ``themes_by_kind[kind]`` names its themes; statements go round them."""
    run = batch.start_run([cycle], work_dir=tmp_path / "run")
    made, number = {}, 0
    for kind, names in themes_by_kind.items():
        for name in names:
            number += 1
            made.setdefault(kind, []).append(ProposedTheme.objects.create(run=run, number=number, kind=kind,
                                                                          name=name, size=0))
    seen: dict[str, int] = {}
    for pk, kind in batch.statements_for(run).order_by("pk").values_list("pk", "kind"):
        i = seen[kind] = seen.get(kind, -1) + 1
        ProposedMembership.objects.create(run=run, theme=made[kind][i % len(made[kind])], statement_id=pk,
                                          similarity=0.8)
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE)
    run.refresh_from_db()
    batch.confirm(run, user)
    return run


THEMES = {"working": ["I like my allotment"], "not_working": ["I can't get home at night", "Staff keep changing"],
          "future": ["I want my own flat"]}


def test_confirmed_themes_propose_every_unplaced_card_under_its_theme_and_place_nothing(
        workshop, facilitator, fac_actor, tmp_path):
    # the room has already started a "Staff keep changing" cluster on the not-working board
    services.run(workshop.pk, fac_actor, "set_stage", {"stage": "card_call"})
    staff_card = workshop.cards.get(statement__card_text__startswith="Staff change")
    services.run(workshop.pk, fac_actor, "call_card", {"card": staff_card.pk, "cluster": "new"})
    staff = services.main_board(workshop, "not_working").clusters.get()
    services.run(workshop.pk, fac_actor, "rename_cluster", {"cluster": staff.pk, "name": "staff keep changing"})
    run = confirmed_run(workshop.cycle, tmp_path, facilitator, THEMES)
    placements = Placement.objects.count()

    made = batch.start_workshop_proposals(run, workshop, facilitator)

    assert made == {"working": 2, "not_working": 2, "future": 1}  # the called card is on the board already
    assert Placement.objects.count() == placements  # a proposal only: nothing moved on the boards
    theme_of = dict(ProposedMembership.objects.filter(run=run).values_list("statement_id", "theme__name"))
    for proposal in RestProposal.objects.filter(workshop=workshop, open=True):
        for place in proposal.places.select_related("card"):
            assert place.card.kind == proposal.kind  # never across kinds
            name = theme_of[place.card.statement_id]
            if place.cluster_id is not None:  # a cluster of the same name (any case) is on the board
                assert name.lower() == "staff keep changing" and place.cluster_id == staff.pk
            else:
                assert proposal.group_names[str(place.new_group)] == name


def test_the_place_the_rest_page_names_each_new_group_after_its_whole_council_theme(
        client, workshop, facilitator, tmp_path):
    run = confirmed_run(workshop.cycle, tmp_path, facilitator, THEMES)
    batch.start_workshop_proposals(run, workshop, facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("workshop:place_rest", args=[workshop.code, "not_working"])).content.decode()
    assert "From the whole council&#x27;s themes: “I can&#x27;t get home at night”" in page or \
        "From the whole council's themes: “I can&#x27;t get home at night”" in page
    assert "Staff keep changing" in page and "Nothing has been placed" in page


def test_themes_not_yet_confirmed_cannot_start_a_proposal_board(workshop, facilitator, tmp_path):
    run = confirmed_run(workshop.cycle, tmp_path, facilitator, THEMES)
    BatchRun.objects.filter(pk=run.pk).update(status=BatchRun.Status.DONE)
    run.refresh_from_db()
    with pytest.raises(ValueError, match="Confirm the themes first"):
        batch.start_workshop_proposals(run, workshop, facilitator)
    assert not RestProposal.objects.filter(workshop=workshop).exists()


def test_the_run_page_starts_a_workshops_proposal_board_with_a_plain_form(client, workshop, facilitator, tmp_path):
    run = confirmed_run(workshop.cycle, tmp_path, facilitator, THEMES)
    client.force_login(facilitator)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Start a workshop's proposal board from these themes" in page
    assert "Themes across the whole council" in page and "council-themes.csv" in page
    r = client.post(reverse("batch:start_workshop", args=[run.pk]), {"workshop": workshop.pk}, follow=True)
    assert "proposal boards started with 2 working, 3 not working, 1 important for the future cards" in \
        r.content.decode()
    assert RestProposal.objects.filter(workshop=workshop, open=True).count() == 3
    # a second time: the older proposals are closed, never two open for one kind
    client.post(reverse("batch:start_workshop", args=[run.pk]), {"workshop": workshop.pk})
    assert RestProposal.objects.filter(workshop=workshop, open=True).count() == 3


def test_a_viewer_cannot_start_a_workshops_proposal_board(client, workshop, facilitator, tmp_path, make_user):
    run = confirmed_run(workshop.cycle, tmp_path, facilitator, THEMES)
    client.force_login(make_user(roles.VIEWER, "vic"))
    assert client.post(reverse("batch:start_workshop", args=[run.pk]), {"workshop": workshop.pk}).status_code == 403
    assert not RestProposal.objects.filter(workshop=workshop).exists()
