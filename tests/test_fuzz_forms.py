"""Arbitrary POST data to every form view never gives a server error.

Each view's field names are read from its own page (so new fields are fuzzed
too), then hypothesis sends any mix of them, plus unknown names, with any text:
empty, huge, NUL bytes, formulas, odd Unicode, numbers out of range. The answer
must be a page (200), a redirect (302), a refusal (403/404/405/409) or a
"payload too large" (413), never a 500.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from goldenthread.core import roles

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
value = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "1e309", "yes", "no", "on", "person", "working",
                     "2026-02-30", "31/12/1899", "=cmd|' /C calc'!A0", "\x00", "a" * 5000, "NaN", "Infinity",
                     "team", "organisation", "accept", "edit"]),
)


@pytest.fixture
def site(db, make_user):
    from goldenthread.core.models import Area, UserGroup
    from goldenthread.reviews.drafts import ReviewDraft, StatementDraft
    from goldenthread.reviews.models import OnePageProfile, ProgrammeCycle
    from goldenthread.reviews.saving import save_reviews
    from goldenthread.workshops.models import Workshop

    cycle = ProgrammeCycle.objects.create(name="Fuzz town", slug="fuzz", year=2026)
    draft = ReviewDraft(reference="R1", person_ref="P1", review_date=dt.date(2026, 2, 1), area="Harford",
                        user_group="Older", consent=True, person_name="Ivy Moss",
                        statements=[StatementDraft(kind="working", text="I went to Reading with Will")])
    review = save_reviews(cycle, [draft]).reviews[0]
    OnePageProfile.objects.create(person_ref="P1", name="Ivy Moss", appreciate="a", important="b", support="c")
    workshop = Workshop.objects.create(cycle=cycle, name="W")
    admin = make_user(roles.ADMINISTRATOR)
    admin.is_superuser = True
    admin.save()
    from goldenthread.market.models import ServiceType
    from goldenthread.tenders.models import Tender

    tender = Tender.objects.create(name="T", service_type=ServiceType.objects.create(name="Day opportunities"),
                                   area=Area.objects.get())
    return {"cycle": cycle, "review": review, "workshop": workshop, "admin": admin, "tender": tender,
            "statement": review.statements.get(), "area": Area.objects.get(), "group": UserGroup.objects.get()}


def _form_urls(site) -> list[str]:
    c, r, w = site["cycle"].slug, site["review"].pk, site["workshop"].code
    return [
        reverse("cycle_new"), reverse("review_new", args=[c]), reverse("review_import", args=[c]),
        reverse("card_check", args=[c, site["statement"].pk]), reverse("pcr_start", args=[c]),
        *[reverse("pcr_step", args=[r, step]) for step in ("appreciate", "working-person", "actions",
                                                            "top-choices")],
        reverse("pcr_profile", args=[r]), reverse("profile_edit", args=["P1"]), reverse("person_erase", args=["P1"]),
        reverse("planning_new", args=["team"]), reverse("workshop:new"), reverse("workshop:join"),
        reverse("workshop:actions", args=[w]), reverse("workshop:sharing", args=[w]),
        reverse("reports:matches", args=[c]), reverse("login"), reverse("password_reset"),
        reverse("outcomes:links", args=[c]), reverse("outcomes:import", args=["measures"]),
        reverse("market:add", args=["provisions"]), reverse("market:add", args=["service-types"]),
        reverse("market:links", args=[c]),
        reverse("tenders:new"), reverse("tenders:tender", args=[site["tender"].pk]),
        reverse("tenders:themes", args=[site["tender"].pk]),
    ]


def _field_names(client, url) -> list[str]:
    page = client.get(url).content.decode(errors="replace")
    return sorted(set(re.findall(r'name="([^"]+)"', page)) - {"csrfmiddlewaretoken"}) or ["x"]


def test_every_form_view_answers_any_post_without_a_server_error(site):
    client = Client()
    client.force_login(site["admin"])
    sent = []
    for url in _form_urls(site):
        names = _field_names(client, url)

        @FUZZ
        @given(data=st.dictionaries(st.one_of(st.sampled_from(names), st.text(max_size=10)), value, max_size=12))
        def post(data):
            response = client.post(url, data)
            sent.append(url)
            assert response.status_code in (200, 302, 400, 403, 404, 405, 409, 413), (url, data,
                                                                                       response.status_code)

        post()
    assert len(set(sent)) == len(_form_urls(site))
    print(f"{len(sent)} POSTs to {len(set(sent))} form views")
