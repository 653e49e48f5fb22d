"""Importing review files: all or nothing, every problem named by row and column, no duplicates."""
from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.core import serializers

from goldenthread.reviews.importing import ReviewFileError, import_reviews, read_review_file
from goldenthread.reviews.models import ImportBatch, Review, Statement
from goldenthread.reviews.template import template_csv, template_json, template_xlsx

HEADER = ("review_id,person_id,person_name,review_date,facilitator,attendees,location,area,service,user_group,"
          "consent,kind,perspective,priority,text\n")


def database_snapshot() -> str:
    """Every row of every Golden Thread table, serialised, so "unchanged" can be checked exactly."""
    models = [m for c in apps.get_app_configs() if c.name.startswith("goldenthread.") for m in c.get_models()]
    return serializers.serialize("json", [obj for m in models for obj in m.objects.order_by("pk")])


def problems_of(cycle, data: bytes, filename="reviews.csv") -> list[str]:
    before = database_snapshot()
    with pytest.raises(ReviewFileError) as caught:
        import_reviews(cycle, data, filename)
    assert database_snapshot() == before, "a failed import must leave the database exactly as it was"
    return [str(p) for p in caught.value.problems]


def test_a_good_csv_is_imported_with_anonymised_cards(cycle, review_csv):
    result = import_reviews(cycle, review_csv, "reviews.csv")
    assert (result.reviews_created, result.statements_created) == (2, 4)
    review = Review.objects.get(reference="R1")
    assert review.person_name == "Dev Patel"
    assert [str(a) for a in review.attendees.all()] == ["Dev Patel (person)", "Rose Akers (sister)"]
    statement = review.statements.get(kind="not_working")
    assert statement.text == "Rose's car broke so Dev can't get to town"
    assert statement.card_text == "[name]'s car broke so [name] can't get to town"
    assert statement.priority == 1 and statement.card_code == "N-001"
    assert review.statements.get(kind="future").perspective == "family"
    assert Review.objects.get(reference="R2").consent_given is False
    assert list(cycle.card_statements().order_by().values_list("review__reference", flat=True).distinct()) == ["R1"]
    assert ImportBatch.objects.get().reviews_created == 2


def test_importing_the_same_file_again_adds_nothing(cycle, review_csv):
    import_reviews(cycle, review_csv, "reviews.csv")
    before = database_snapshot()
    result = import_reviews(cycle, review_csv, "reviews.csv")
    assert (result.reviews_created, result.reviews_unchanged) == (0, 2)
    assert "Nothing new to import" in result.summary()
    assert database_snapshot() == before


def test_a_file_with_new_and_known_reviews_adds_only_the_new_ones(cycle, review_csv):
    import_reviews(cycle, review_csv, "reviews.csv")
    more = review_csv + b"R3,P3,,2026-01-05,,,,Harford,,Older people,yes,working,,,Lunch club\n"
    result = import_reviews(cycle, more, "reviews.csv")
    assert (result.reviews_created, result.reviews_unchanged, result.statements_created) == (1, 2, 1)
    assert Statement.objects.get(review__reference="R3").card_number == 3  # continues W-001, W-002


def test_a_review_id_already_used_for_other_content_is_refused(cycle, review_csv):
    import_reviews(cycle, review_csv, "reviews.csv")
    changed = review_csv.replace(b"My carers are kind", b"My carers are late")
    assert problems_of(cycle, changed) == [
        'Review "R2", column review_id: this review ID is already used in Test town, 2026 for a review with '
        "different details. Give this review a new ID, or change the review on the web instead"]


def test_every_bad_row_is_reported_and_nothing_is_saved(cycle):
    data = (HEADER
            + "R1,P1,,2026-02-03,,,,Northbrook,,LD,yes,workng,,,Fine\n"             # row 2: kind
            + "R2,P2,,2026-02-30,,,,Northbrook,,LD,yes,working,,,Fine\n"            # row 3: date
            + "R3,P3,,2026-02-03,,,,Northbrook,,LD,yes,working,,,   \n"             # row 4: empty text
            + "R4,P4,,2026-02-03,,,,Northbrook,,LD,perhaps,future,boss,5,Fine\n"    # row 5: three problems
            + "R5,P5,,2026-02-03,,,,Northbrook,,LD,yes,working,,,Good\n"            # row 6: fine
            + "R5,P9,,2026-02-03,,,,Northbrook,,LD,yes,working,,,Also good\n"       # row 7: conflicts with row 6
            ).encode()
    assert problems_of(cycle, data) == [
        'Row 2, column kind: "workng" is not a kind of statement. Use working, not working, future or important now',
        'Row 3, column review_date: "2026-02-30" is not a date. Use the form 2026-03-14 or 14/03/2026',
        "Row 4, column text: is empty",
        'Row 5, column consent: "perhaps" is not yes or no',
        'Row 5, column perspective: "boss" is not a perspective. Use person, family, staff or professional',
        'Row 5, column priority: "5" is not a priority. Use 1, 2 or 3, or leave it empty',
        'Row 7, column person_id: review "R5" has a different person_id here than on row 6. '
        "Each review ID must be used for one review only",
    ]
    assert not Review.objects.exists()


def test_a_good_file_is_not_half_written_when_the_last_row_is_bad(cycle, review_csv):
    bad = review_csv + b"R9,P9,,2026-01-05,,,,Harford,,Older people,yes,working,,,\n"
    assert problems_of(cycle, bad) == ["Row 6, column text: is empty"]


def test_missing_columns_are_named(cycle):
    data = b"review_id,person_id,review_date,area,user_group,kind\nR1,P1,2026-01-01,A,G,working\n"
    assert problems_of(cycle, data) == ["Row 1, column consent: this column is missing",
                                        "Row 1, column text: this column is missing"]


def test_repeated_top_choices_are_refused(cycle):
    data = (HEADER + "R1,P1,,2026-02-03,,,,A,,G,yes,working,,1,One\n"
            + "R1,P1,,2026-02-03,,,,A,,G,yes,working,,1,Two\n").encode()
    assert problems_of(cycle, data) == [
        'Review "R1", column priority: priority 1 is given to 2 "working" statements; '
        "each of 1, 2 and 3 can be used once per kind"]


@pytest.mark.parametrize("data, filename, message", [
    (b"", "r.csv", "File: the file is empty"),
    (b"   \n\n", "r.csv", "File: the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "r.csv", "File: this is not a text table (it contains binary data)"),
    (b"Dear team,\nplease find the reviews attached.\n", "r.csv", "File: this does not look like a table of reviews"),
    (b"%PDF-1.4 not a workbook", "r.xlsx", "File: this is not an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "r.xls", "File: this is an old Excel .xls file"),
    (b"{\"reviews\": [", "r.json", "File: this is not valid JSON (line 1"),
    (b"{\"people\": []}", "r.json", 'File: the JSON must be an object with a "reviews" list'),
    (b"a,b\n1,2\n", "r.txt", 'File: cannot tell the format of "r.txt"'),
])
def test_files_that_are_not_review_tables(cycle, data, filename, message):
    problems = problems_of(cycle, data, filename)
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_wrong_encoding_names_the_line_and_says_how_to_fix_it(cycle):
    # Windows-1252 is read (Excel's plain CSV on Windows); a byte that is neither UTF-8 nor Windows-1252 is not.
    data = (HEADER + "R1,P1,,2026-02-03,,,,A,,G,yes,working,,,Caf\u00e9 trips\n").encode("cp1252") + b"\x90\n"
    [problem] = problems_of(cycle, data)
    assert problem == ('File: the file is neither UTF-8 nor Windows-1252 text: byte 0x90 on line 3 cannot be '
                       'read. Save the file again as "CSV UTF-8" and import it again')


def test_utf8_with_bom_and_semicolons_from_excel(cycle):
    data = ("\ufeff" + HEADER.replace(",", ";") + "R1;P1;;2026-02-03;;;;A;;G;yes;working;;;Caf\u00e9 trips\n")
    result = import_reviews(cycle, data.encode("utf-8"), "r.csv")
    assert result.statements_created == 1
    assert Statement.objects.get().text == "Caf\u00e9 trips"


def test_a_row_with_too_many_values(cycle):
    data = (HEADER + "R1,P1,,2026-02-03,,,,A,,G,yes,working,,,Fine,extra\n").encode()
    assert problems_of(cycle, data) == ["Row 2: has 16 values but there are only 15 column names"]


def test_xlsx_import_reads_dates_and_numbers_from_cells(cycle):
    from openpyxl import Workbook
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["Review ID", "Person ID", "Review date", "Area", "User group", "Consent", "Kind", "Priority",
                  "Text"])
    sheet.append(["X1", "P1", dt.datetime(2026, 1, 9), "Harford", "Older people", "Yes", "Working", 1.0, "Bingo"])
    sheet.append([None] * 9)
    sheet.append(["X1", "P1", dt.datetime(2026, 1, 9), "Harford", "Older people", "Yes", "Future", 7, "Trips"])
    out = io.BytesIO()
    book.save(out)
    problems = problems_of(cycle, out.getvalue(), "reviews.xlsx")
    assert problems == ['Row 4, column priority: "7" is not a priority. Use 1, 2 or 3, or leave it empty']


def test_json_names_the_review_and_statement(cycle):
    doc = {"reviews": [
        {"review_id": "J1", "person_id": "P1", "review_date": "2026-01-02", "area": "A", "user_group": "G",
         "consent": True, "statements": [{"kind": "working", "text": "ok"}, {"kind": "bad", "text": "x"}]},
        {"review_id": "J1", "person_id": "P1", "review_date": "2026-01-02", "area": "A", "user_group": "G",
         "consent": True, "statements": [{"kind": "working", "text": "again"}]},
        {"review_id": "J3", "statements": []},
    ]}
    problems = problems_of(cycle, json.dumps(doc).encode(), "r.json")
    assert problems == ["Review 3, column statements: must be a list with at least one statement"]
    del doc["reviews"][2]
    problems = problems_of(cycle, json.dumps(doc).encode(), "r.json")
    assert problems == [
        'Review 1, statement 2, column kind: "bad" is not a kind of statement. '
        "Use working, not working, future or important now",
        'Review 2, statement 1, column review_id: "J1" is used by review 1 too',
    ]


@pytest.mark.parametrize("make, filename", [(template_csv, "t.csv"), (template_xlsx, "t.xlsx"),
                                            (template_json, "t.json")])
def test_the_downloadable_templates_import_cleanly(cycle, make, filename):
    drafts = read_review_file(make(), filename)
    assert len(drafts) == 1 and len(drafts[0].statements) == 6
    result = import_reviews(cycle, make(), filename)
    assert result.statements_created == 6
    kim = Statement.objects.get(text__startswith="Kim says")
    assert kim.card_text == "[name] says [name] is more confident"


def test_the_three_templates_hold_the_same_review(cycle):
    fingerprints = {read_review_file(make(), name)[0].fingerprint()
                    for make, name in [(template_csv, "t.csv"), (template_xlsx, "t.xlsx"),
                                       (template_json, "t.json")]}
    assert len(fingerprints) == 1


def test_an_import_refuses_person_ids_shaped_like_nhs_numbers_or_names_naming_row_and_column(cycle):
    data = (HEADER
            + "R1,943 476 5919,,2026-02-03,,,,A,,G,yes,working,,,Fine\n"
            + "R2,Xanthe Fhirwell,,2026-02-03,,,,A,,G,yes,working,,,Fine\n"
            + "R3,P-0042,,12/03/1890,,,,A,,G,yes,working,,,Fine\n").encode()
    assert problems_of(cycle, data) == [
        "Row 2, column person_id: this looks like an NHS number. Use the council's pseudonymous ID "
        "(for example P-0042), never an NHS number",
        "Row 3, column person_id: this looks like a name. Use the council's pseudonymous ID "
        "(for example P-0042), never the person's name",
        "Row 4, column review_date: 12/03/1890 is before 2000 \u2014 check the year",
    ]
    assert not Review.objects.exists()


def test_an_xlsx_or_json_import_refuses_an_nhs_number_as_person_id(cycle):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Review ID", "Person ID", "Review date", "Area", "User group", "Consent", "Kind", "Text"])
    book.active.append(["X1", 9434765919, "2026-01-09", "Harford", "Older people", "Yes", "Working", "Bingo"])
    out = io.BytesIO()
    book.save(out)
    assert problems_of(cycle, out.getvalue(), "reviews.xlsx")[0].startswith(
        "Row 2, column person_id: this looks like an NHS number")
    doc = {"reviews": [{"review_id": "J1", "person_id": "943-476-5919", "review_date": "2026-01-02", "area": "A",
                        "user_group": "G", "consent": True, "statements": [{"kind": "working", "text": "ok"}]}]}
    assert problems_of(cycle, json.dumps(doc).encode(), "r.json")[0].startswith(
        "Review 1, statement 1, column person_id: this looks like an NHS number")


def test_an_import_drops_zero_width_direction_and_control_characters_before_reading_a_row(cycle, review_csv):
    dirty = (review_csv.decode().replace("R1,P1,Dev Patel", "R1,P\u200b1,Dev\u202e Patel")
             .replace("I like my job", "I like\u2060 my\x0b job"))
    import_reviews(cycle, dirty.encode(), "reviews.csv")
    review = Review.objects.get(reference="R1")
    assert (review.person_ref, review.person_name) == ("P1", "Dev Patel")
    assert review.statements.get(kind="working").text == "I like my job at the cafe"
