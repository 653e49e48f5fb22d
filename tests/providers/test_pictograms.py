"""The easy-read pictures: the shipped SVG files are the ones the code draws, and each has its words."""
from pathlib import Path

import goldenthread.providers
from goldenthread.providers.pictograms import FOR_KIND, PICTURES, svg

FOLDER = Path(goldenthread.providers.__file__).parent / "static" / "providers" / "pictograms"


def test_the_shipped_svg_files_match_the_drawings_used_in_the_pdf():
    for name in PICTURES:
        assert (FOLDER / f"{name}.svg").read_text() == svg(name), f"run pictograms.write_static for {name}"


def test_every_picture_is_named_in_words_and_every_ledger_kind_has_one():
    assert all(p.words for p in PICTURES.values())
    assert set(FOR_KIND.values()) <= set(PICTURES)
    assert "<title>a piggy bank</title>" in svg("piggy")
