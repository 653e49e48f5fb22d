"""The tender pack, PDF and Word: what it holds, small counts hidden in both, hostile words harmless in both."""
from __future__ import annotations

import io
import re
import zipfile

from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reporting.tender_pack import build_pack, render_docx, render_pdf
from goldenthread.tenders import services


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in doc.sections[0].footer.paragraphs]
    return " ".join(" ".join(parts).split())


def _both(tender, **kwargs) -> dict[str, str]:
    pack = build_pack(tender, **kwargs)
    return {"pdf": _pdf_text(render_pdf(pack)), "docx": _docx_text(render_docx(pack))}


def test_the_pack_holds_the_themes_success_and_questions_with_counts_as_the_shared_report(tender, as_user, settings):
    # The demo is small: at the usual limit of 5 its shared counts are nearly all hidden and no words are quoted
    # (the next test). With a limit of 2 some are shown, from the same rule.
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 2
    pack = build_pack(tender)
    told = PageDisclosures(shared=True)
    for cluster in tender.themes.all():
        theme = next(t for t in pack.themes if t.name == cluster.name)
        assert theme.people == told.people(cluster)  # the shared report's own count (or None where it hides it)
    assert any(t.quotes for t in pack.themes)
    for name, text in _both(tender).items():
        for cluster in tender.themes.all():
            assert cluster.name.replace("'", "") in text.replace("'", "").replace("\u2019", ""), name
        for line in tender.success.values_list("text", flat=True):
            assert " ".join(line.split()) in text, (name, line)
        for criterion in tender.criteria.all():
            assert criterion.text in text, (name, criterion.text)
        quote = next(q for t in pack.themes for q in t.quotes)
        assert " ".join(quote.split())[:40] in text, name
        assert "Counts of fewer than 2 people are hidden" in text, name
    # Both files download, from the tender's page, for anyone signed in.
    client = as_user("viewer")
    for fmt, starts in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = client.get(reverse("reports:tender_pack", args=[tender.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(starts)
    assert client.get(reverse("reports:tender_pack", args=[tender.pk, "xlsx"])).status_code == 404


def test_below_the_limit_no_count_and_no_words_appear_in_either_file(tender, settings):
    settings.GOLDENTHREAD_SUPPRESS_BELOW = 50  # every theme now has fewer people than the limit
    pack = build_pack(tender)
    assert pack.themes and all(t.people is None and t.in_area is None and not t.quotes for t in pack.themes)
    cards = [p.card.statement.card_text for c in tender.themes.all() for p in c.placements.all()]
    for name, text in _both(tender).items():
        assert "number hidden" in text and "No words can be quoted" in text, name
        assert not any(" ".join(card.split())[:30] in text for card in cards if len(card) > 30), name
        assert "Across the council: number hidden." in text and not re.search(r": \d+ (person|people)\.", text), name


# No NUL: Django's forms refuse it and PostgreSQL cannot store it, so it never reaches a saved tender.
HOSTILE = '=HYPERLINK("http://evil.example","Click") <b>bold</b> & \x07\x0b\x1f\ufffe\u202e done'


def test_hostile_words_cannot_break_either_file(tender):
    tender.name = HOSTILE
    tender.purpose = HOSTILE
    tender.save()
    services.add_success(tender, HOSTILE)
    criterion = tender.criteria.first()
    criterion.text = HOSTILE[:200]
    criterion.save()
    pack = build_pack(tender)
    pdf, docx = render_pdf(pack), render_docx(pack)
    for text in (_pdf_text(pdf), _docx_text(docx)):
        assert 'HYPERLINK("http://evil.example","Click") <b>bold</b> &' in text and "done" in text
    document = Document(io.BytesIO(docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(c.startswith("'=HYPERLINK") for c in cells), "a table cell that is a formula is neutralised"
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert not any(ch in xml for ch in "\x00\x07\x0b\x1f\ufffe\u202e")
    assert "<b>bold</b>" not in xml and "&lt;b&gt;bold&lt;/b&gt;" in xml
