"""Issue 25, part 6: review files as councils' spreadsheets save them, and cycle names that can be told apart.

Excel on Windows saves a plain CSV in Windows-1252, "Unicode text" in UTF-16; a workbook's reviews may be on a
sheet that is not the first. Names and statements are invented.
"""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from django.urls import reverse

from goldenthread.core import roles
from goldenthread.reviews.importing import ReviewFileError, import_reviews
from goldenthread.reviews.models import ProgrammeCycle, Review

HEADER = "review_id,person_id,review_date,area,user_group,consent,kind,text\n"
ROW = "R1,P1,2026-02-03,Northbrook,Learning disability,yes,working,Zoë and Siân take me to the café\n"


def test_a_csv_saved_by_excel_on_windows_is_read_as_windows_1252_and_the_summary_says_so(cycle):
    result = import_reviews(cycle, (HEADER + ROW).encode("cp1252"), "reviews.csv")
    assert Review.objects.get().statements.get().text == "Zoë and Siân take me to the café"
    assert "read as Windows-1252 text" in result.summary()


def test_a_csv_saved_as_unicode_text_is_read_as_utf_16(cycle):
    data = (HEADER + ROW.replace("café", "Łódź café")).encode("utf-16")
    result = import_reviews(cycle, data, "reviews.csv")
    assert "Łódź" in Review.objects.get().statements.get().text
    assert "read as UTF-16 text" in result.summary()


def test_a_utf_8_csv_says_nothing_about_how_it_was_read(cycle):
    assert "read as" not in import_reviews(cycle, (HEADER + ROW).encode("utf-8"), "reviews.csv").summary()


def test_a_csv_that_is_neither_utf_8_nor_windows_1252_is_refused_naming_the_line(cycle):
    data = (HEADER + "R1,P1,2026-02-03,Northbrook,Learning disability,yes,working,ok\n").encode() + b"R2,\x81\n"
    with pytest.raises(ReviewFileError, match="byte 0x81 on line 3"):
        import_reviews(cycle, data, "reviews.csv")


def test_the_reviews_are_found_on_a_sheet_that_is_not_the_first(cycle):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Read me first"])
    sheet = book.create_sheet("Data")
    for line in (HEADER + ROW).splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    import_reviews(cycle, out.getvalue(), "reviews.xlsx")
    assert Review.objects.get().reference == "R1"


def test_a_workbook_with_no_review_sheet_is_refused_naming_its_sheets(cycle):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Read me first"])
    book.create_sheet("Budget").append(["Spend"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ReviewFileError, match='none of the sheets \\("Notes", "Budget"\\)'):
        import_reviews(cycle, out.getvalue(), "reviews.xlsx")


def test_a_second_cycle_with_the_same_name_is_refused_on_the_form(client, cycle, make_user):
    client.force_login(make_user(roles.ADMINISTRATOR, "ada"))
    response = client.post(reverse("cycle_new"), {"name": f"  {cycle.name.upper()} ", "slug": "another", "year": 2026})
    assert response.status_code == 200 and "A cycle with this name already exists" in response.content.decode()
    assert ProgrammeCycle.objects.count() == 1


def test_a_second_cycle_with_the_same_name_is_refused_by_the_command(cycle):
    from goldenthread.cli.main import cli

    result = CliRunner().invoke(cli, ["cycle", "create", "--name", cycle.name, "--slug", "another", "--year", "2026"])
    assert result.exit_code != 0 and "already exists" in result.output
    assert ProgrammeCycle.objects.count() == 1


def test_a_review_from_outside_the_cycles_years_is_refused_by_the_import_naming_the_review_and_column(cycle):
    assert cycle.year == 2026
    old = "R2,P2,2019-05-03,Northbrook,Learning disability,yes,working,I like the garden\n"
    with pytest.raises(ReviewFileError) as caught:
        import_reviews(cycle, (HEADER + ROW + old).encode(), "reviews.csv")
    assert [str(p) for p in caught.value.problems] == [
        'Review "R2", column review_date: 03/05/2019 is not in 2025 or 2026, the years the 2026 cycle uses '
        "\u2014 check the year"]
    assert not Review.objects.filter(cycle=cycle).exists()  # all or nothing: R1 was not kept either
    last_year = "R3,P3,2025-11-20,Northbrook,Learning disability,yes,working,I like the garden\n"
    assert import_reviews(cycle, (HEADER + ROW + last_year).encode(), "reviews.csv").reviews_created == 2
