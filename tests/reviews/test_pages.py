"""Server-rendered pages: sign-in, roles, the review form, import, cards."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.reviews.importing import import_reviews
from goldenthread.reviews.models import ProgrammeCycle, Review
from tests.conftest import as_choices


@pytest.fixture
def imported(cycle, review_csv):
    import_reviews(cycle, review_csv, "reviews.csv")
    return cycle


def signed_in(client, make_user, role):
    client.force_login(make_user(role))
    return client


@pytest.mark.parametrize("name, args", [("home", []), ("cycle", ["test-2026"]), ("cards", ["test-2026"]),
                                        ("review_list", ["test-2026"]), ("review_import", ["test-2026"]),
                                        ("import_template", ["csv"])])
def test_every_page_needs_a_sign_in(client, cycle, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_in_page_explains_a_wrong_password(client, db):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "Your username or password is not right" in response.content.decode()


def link_user_to_review(user, review):
    """Make the user the review's facilitator (review facilitators) or a manager of its service (provider managers)."""
    from goldenthread.core.models import StaffProfile

    if user.groups.filter(name=roles.REVIEW_FACILITATOR).exists():
        review.facilitated_by = user
        review.save()
    if user.groups.filter(name=roles.PROVIDER_MANAGER).exists():
        StaffProfile.objects.get_or_create(user=user)[0].services.add(review.service)


@pytest.mark.parametrize("role, sees_names", [
    (roles.ADMINISTRATOR, True), (roles.REVIEW_FACILITATOR, True), (roles.PROVIDER_MANAGER, True),
    (roles.FACILITATOR, False), (roles.COMMISSIONER, False), (roles.VIEWER, False),
])
def test_identifiable_details_only_for_roles_allowed_to_see_them(client, make_user, imported, role, sees_names):
    user = make_user(role)
    client.force_login(user)
    review = Review.objects.get(reference="R1")
    link_user_to_review(user, review)  # their own review (facilitator) or service (provider manager)
    page = client.get(review.get_absolute_url()).content.decode()
    listing = client.get(reverse("review_list", args=[imported.slug])).content.decode()
    assert ("Dev Patel" in page) is sees_names
    assert ("Rose Akers" in page) is sees_names
    assert ("Ann Lee" in page) is sees_names
    assert ("Dev Patel" in listing) is sees_names
    assert ("Rose&#x27;s car broke" in page) is sees_names
    assert "[name]&#x27;s car broke so [name] can&#x27;t get to town" in page


@pytest.mark.parametrize("role", [roles.REVIEW_FACILITATOR, roles.PROVIDER_MANAGER])
def test_facilitators_and_managers_see_only_their_own_reviews_with_names(client, make_user, imported, role):
    client.force_login(make_user(role))  # not linked to R1 or to its service
    review = Review.objects.get(reference="R1")
    page = client.get(review.get_absolute_url()).content.decode()
    listing = client.get(reverse("review_list", args=[imported.slug])).content.decode()
    assert "Dev Patel" not in page and "Rose Akers" not in page and "Dev Patel" not in listing
    assert "[name]&#x27;s car broke" in page


def test_cards_show_only_consented_anonymised_statements_with_kind_in_words(client, make_user, imported):
    signed_in(client, make_user, roles.VIEWER)
    page = client.get(reverse("cards", args=[imported.slug])).content.decode()
    assert "[name]&#x27;s car broke" in page and "Rose" not in page
    assert "My carers are kind" not in page  # R2 has no consent
    assert 'class="card card--not_working"' in page and "Not working" in page
    only_working = client.get(reverse("cards", args=[imported.slug]), {"kind": "working"}).content.decode()
    assert "I like my job at the cafe" in only_working and "car broke" not in only_working
    assert client.get(reverse("cards", args=[imported.slug]), {"kind": "nonsense"}).status_code == 404


def test_cards_pdf(client, make_user, imported):
    from pypdf import PdfReader
    import io

    signed_in(client, make_user, roles.VIEWER)
    response = client.get(reverse("cards_pdf", args=[imported.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "W-001" in text and "N-001" in text and "F-001" in text
    assert "Rose" not in text and "Dev" not in text


def test_viewer_cannot_enter_or_import_reviews_or_start_cycles(client, make_user, cycle):
    signed_in(client, make_user, roles.VIEWER)
    for url in (reverse("review_new", args=[cycle.slug]), reverse("review_import", args=[cycle.slug]),
                reverse("cycle_new")):
        response = client.get(url)
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()


def review_form_data(**overrides):
    data = {
        "reference": "W1", "person_ref": "P77", "person_name": "Grace Obi", "review_date": "2026-03-01",
        "facilitator": "Sam Hill", "location": "Library", "area": "Harford", "service": "", "user_group": "Older people",
        "attendees": "Will Obi (son)", "consent_given": "yes",
    }
    for kind in ("working", "not_working", "future", "important_now"):
        data.update({f"{kind}-TOTAL_FORMS": "4", f"{kind}-INITIAL_FORMS": "0", f"{kind}-MIN_NUM_FORMS": "0",
                     f"{kind}-MAX_NUM_FORMS": "20"})
        for i in range(4):
            data.update({f"{kind}-{i}-text": "", f"{kind}-{i}-perspective": "person", f"{kind}-{i}-priority": ""})
    data.update({"working-0-text": "Will takes me to church", "working-0-priority": "1",
                 "not_working-0-text": "I will not use the stairlift", "future-0-text": "See the sea"})
    data.update(overrides)
    return as_choices(data)


def test_entering_a_review_on_the_web(client, make_user, cycle):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    response = client.post(reverse("review_new", args=[cycle.slug]), review_form_data())
    review = Review.objects.get(reference="W1")
    assert response.status_code == 302 and response.url == review.get_absolute_url()
    cards = {s.kind: s.card_text for s in review.statements.all()}
    assert cards == {"working": "[name] takes me to church", "not_working": "I will not use the stairlift",
                     "future": "See the sea"}
    assert review.statements.get(kind="working").priority == 1
    assert [a.name for a in review.attendees.all()] == ["Will Obi"]
    assert review.created_by.username == "review-facilitator"


def test_review_form_errors_are_summarised_and_nothing_is_saved(client, make_user, cycle):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    data = review_form_data(review_date=future, person_ref="",
                            **{"working-1-text": "Lunch club", "working-1-priority": "1",
                               "future-1-priority": "2", "future-1-perspective": "staff"})
    response = client.post(reverse("review_new", args=[cycle.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Review.objects.exists()
    assert "There is a problem" in page
    assert 'href="#id_review_date_0"' in page  # the day box of the date input and "The review date must be today or in the past." in page
    assert 'href="#id_person_ref"' in page
    assert "What is working: 1st choice is picked 2 times. Pick each top choice once." in page
    assert 'href="#id_future-1-text"' in page and "Write what was said, or remove the top choice." in page
    assert "Only the person&#x27;s own statements can be their top choices." in page
    assert "<title>Error: Enter a review" in page


def test_a_review_needs_at_least_one_statement(client, make_user, cycle):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    data = review_form_data(**{"working-0-text": "", "working-0-priority": "", "not_working-0-text": "",
                               "future-0-text": ""})
    page = client.post(reverse("review_new", args=[cycle.slug]), data).content.decode()
    assert "Write at least one thing that was said at the review." in page
    assert not Review.objects.exists()


def test_a_review_id_cannot_be_used_twice_in_a_cycle(client, make_user, imported):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    page = client.post(reverse("review_new", args=[imported.slug]), review_form_data(reference="R1")).content.decode()
    assert "A review with this ID is already in this cycle" in page


def test_upload_shows_every_problem_and_saves_nothing(client, make_user, cycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed_in(client, make_user, roles.FACILITATOR)
    bad = SimpleUploadedFile("r.csv", b"review_id,person_id\nR1,P1\n", content_type="text/csv")
    page = client.post(reverse("review_import", args=[cycle.slug]), {"file": bad}).content.decode()
    assert "The file was not imported" in page and "Nothing has been saved" in page
    assert "Row 1, column review_date: this column is missing" in page
    assert not Review.objects.exists()


def test_upload_imports_a_good_file(client, make_user, cycle, review_csv):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed_in(client, make_user, roles.FACILITATOR)
    response = client.post(reverse("review_import", args=[cycle.slug]),
                           {"file": SimpleUploadedFile("r.csv", review_csv, content_type="text/csv")}, follow=True)
    assert "Imported 2 reviews with 4 statements." in response.content.decode()
    assert cycle.imports.get().imported_by.username == "facilitator"


@pytest.mark.parametrize("fmt, content_type", [("csv", "text/csv"), ("json", "application/json"),
                                               ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
def test_template_downloads(client, make_user, db, fmt, content_type):
    signed_in(client, make_user, roles.VIEWER)
    response = client.get(reverse("import_template", args=[fmt]))
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("import_template", args=["pdf"])).status_code == 404


def test_commissioner_starts_a_cycle_linked_to_last_year(client, make_user, cycle):
    signed_in(client, make_user, roles.COMMISSIONER)
    response = client.post(reverse("cycle_new"), {"name": "Test town, 2027", "slug": "test-2027", "year": "2027",
                                                  "previous": cycle.pk})
    new = ProgrammeCycle.objects.get(slug="test-2027")
    assert response.url == new.get_absolute_url() and new.previous == cycle
    page = client.post(reverse("cycle_new"), {"name": "", "slug": "test-2027", "year": "1900"}).content.decode()
    assert "There is a problem" in page and 'href="#id_name"' in page and 'href="#id_year"' in page


def test_changes_are_logged_with_who_made_them(client, make_user, cycle):
    from auditlog.models import LogEntry

    signed_in(client, make_user, roles.COMMISSIONER)
    client.post(reverse("cycle_new"), {"name": "Logged, 2027", "slug": "logged-2027", "year": "2027"})
    entry = LogEntry.objects.get_for_object(ProgrammeCycle.objects.get(slug="logged-2027")).get()
    assert entry.actor.username == "commissioner" and entry.action == LogEntry.Action.CREATE


@pytest.mark.parametrize("person_ref, message", [
    ("943 476 5919", "Person ID: this looks like an NHS number. Use the council&#x27;s pseudonymous ID "
                     "(for example P-0042), never an NHS number."),
    ("Xanthe Fhirwell", "Person ID: this looks like a name. Use the council&#x27;s pseudonymous ID"),
])
def test_the_review_form_refuses_a_person_id_shaped_like_an_nhs_number_or_a_name(client, make_user, cycle,
                                                                                  person_ref, message):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    response = client.post(reverse("review_new", args=[cycle.slug]), review_form_data(person_ref=person_ref))
    page = response.content.decode()
    assert response.status_code == 200 and not Review.objects.exists()
    assert 'href="#id_person_ref"' in page and message in page


def test_the_review_form_refuses_a_review_date_before_2000(client, make_user, cycle):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    response = client.post(reverse("review_new", args=[cycle.slug]), review_form_data(review_date="1890-03-12"))
    page = response.content.decode()
    assert response.status_code == 200 and not Review.objects.exists()
    assert "Review date: 12/03/1890 is before 2000 \u2014 check the year." in page


def test_the_review_form_drops_zero_width_and_direction_characters_from_ids_names_and_words(client, make_user,
                                                                                             cycle):
    signed_in(client, make_user, roles.REVIEW_FACILITATOR)
    response = client.post(reverse("review_new", args=[cycle.slug]), review_form_data(
        person_ref="P\u200b77", person_name="Grace\u202e Obi", attendees="Will\u2066 Obi (son)",
        **{"future-0-text": "See the\u200d sea\x07"}))
    review = Review.objects.get(reference="W1")
    assert response.status_code == 302
    assert (review.person_ref, review.person_name) == ("P77", "Grace Obi")
    assert list(review.attendees.values_list("name", flat=True)) == ["Will Obi"]
    assert review.statements.get(kind="future").text == "See the sea"
