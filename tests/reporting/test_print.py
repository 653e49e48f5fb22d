"""Report print fixes: footers that fit the page at any length, and easy-read pictures named in words."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from goldenthread.reporting.full import footer_lines
from goldenthread.reporting.outputs import make_output
from goldenthread.reporting.pictograms import BY_KEY, DEFAULT, drawing, pictogram_for

SHOTS = Path(os.environ.get("GOLDENTHREAD_SHOTS", "/tmp/wall-shots"))
LONG = ("Ashdown, Northbrook, Kelsey Vale and Harford adult social care and learning disability services "
        "joint programme cycle for the year 2026 to 2027, with the self-advocacy group and family carers")


def test_a_long_footer_wraps_at_spaces_and_fits_the_width():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "Made by somebody with a very long name on 30 November 2026 10:00. " + LONG * 4
    lines = footer_lines(text, "Helvetica", 10, 400, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(stringWidth(line, "Helvetica", 10) <= 400 for line in lines)
    words = set(text.split())
    assert all(w in words for line in lines for w in line.rstrip(" …").split())  # no word split in two


@pytest.mark.parametrize("text, key", [("I can't get a bus after six", "transport"), ("My care bill doubled", "money"),
                                       ("I am lonely", "friends"), ("Hospital letters only in English", "health"),
                                       ("Quite unrelated words", "said")])
def test_each_theme_gets_a_picture_from_its_words(text, key):
    assert pictogram_for(text).key == key


def test_every_pictogram_draws_and_has_a_name_in_words():
    for p in [*BY_KEY.values(), DEFAULT]:
        d = drawing(p, 60)
        assert d.width == 60 and p.name and p.name.islower()


@pytest.mark.parametrize("output", ["full", "easy_read"])
def test_the_pdf_footer_fits_with_a_long_cycle_name(world, commissioner, tmp_path, output):
    world["cycle"].name = LONG
    world["cycle"].save()
    made = make_output(world["cycle"], world["workshop"], output, "pdf", user=commissioner)
    reader = PdfReader(io.BytesIO(made.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "cora" in text
    if output == "easy_read":
        assert "getting about" in text  # the bus theme's picture, named in words
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        (tmp_path / "r.pdf").write_bytes(made.content)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / "r.pdf"), str(SHOTS / f"report-{output}")],
                       check=True, timeout=60)
