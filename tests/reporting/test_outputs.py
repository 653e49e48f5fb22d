"""Every report file opens: PDFs are read by pypdf and drawn by pdftoppm; HTML has the charts and tables."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from goldenthread.reporting.charts import charts_for, to_svg
from goldenthread.reporting.data import build_report
from goldenthread.reporting.outputs import make_output
from tests.reporting.conftest import ALLOTMENT, BUS, STAFF


def _pdftoppm_ok(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    return len(list(tmp_path.glob("page*.png")))


def test_chart_numbers_and_svg_accessibility(world):
    charts = {c.id: c for c in charts_for(build_report(world["cycle"], world["workshop"], shared=False))}
    assert set(charts) >= {"kind-working", "kind-not_working", "kind-future", "votes", "area-not_working",
                           "user-group-not_working"}
    assert charts["votes"].rows == [[BUS, "8", "7"], [STAFF, "3", "3"]]
    assert charts["kind-working"].rows == [[ALLOTMENT, "6"]]
    svg = to_svg(charts["votes"])
    assert "<title" in svg and "<desc" in svg and 'tabindex="0"' in svg and "pattern" in svg
    assert f"{BUS}, Priority dots: 7".replace("'", "&#x27;") in svg or "Priority dots: 7" in svg


@pytest.mark.parametrize("output,fmt", [("full", "pdf"), ("easy_read", "pdf"), ("wall_sheets", "pdf")])
def test_pdfs_open_and_render(world, commissioner, tmp_path, output, fmt):
    made = make_output(world["cycle"], world["workshop"], output, fmt, user=commissioner)
    reader = PdfReader(io.BytesIO(made.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "cora" in text  # who made it is on the page
    assert "said by" not in text  # never the identifiable words
    if output == "wall_sheets":
        assert len(reader.pages) == 4 and "Some people said this" in text  # the staff theme's 3 is hidden
    if shutil.which("pdftoppm"):
        assert _pdftoppm_ok(made.content, tmp_path) == len(reader.pages)


def test_html_report_and_easy_read(world, commissioner):
    from goldenthread.reporting.models import ExportRecord

    html = make_output(world["cycle"], world["workshop"], "full", "html", user=commissioner).content.decode()
    assert "<svg" in html and "Show the numbers as a table" in html and "Pay for a later bus" in html
    easy = make_output(world["cycle"], world["workshop"], "easy_read", "html", user=commissioner).content.decode()
    assert "We will: Pay for a later bus." in easy and "Some people said this." in easy
    assert ExportRecord.objects.filter(made_by=commissioner, shared=True).count() == 2


def test_command_line_writes_every_format(world, commissioner, tmp_path, monkeypatch):
    from goldenthread.cli import django_setup
    from goldenthread.cli.report import report
    from goldenthread.reporting.models import ExportRecord

    monkeypatch.setattr(django_setup, "setup", lambda migrate=False: None)
    monkeypatch.setattr("goldenthread.cli.report.setup", lambda migrate=False: None)
    runner = CliRunner()
    for fmt, extra in [("html", []), ("pdf", []), ("xlsx", []), ("csv", []), ("json", ["--team"]),
                       ("html", ["--easy-read"]), ("pdf", ["--wall-sheets"])]:
        out = tmp_path / f"r-{fmt}-{len(extra)}.{fmt}"
        result = runner.invoke(report, ["test-2026", "--format", fmt, "--output", str(out), "--user", "cora",
                                        "--workshop", str(world["workshop"].pk), *extra])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100
    assert ExportRecord.objects.filter(via="cli", made_by_name="cora").count() == 7
    assert ExportRecord.objects.filter(shared=False).count() == 1
    bad = runner.invoke(report, ["test-2026", "--format", "csv", "--output", str(tmp_path / "x"), "--easy-read"])
    assert bad.exit_code != 0 and "no easy read as csv" in bad.output


def test_tall_charts_are_split_to_fit_a_pdf_page():
    from goldenthread.reporting.charts import Chart
    from goldenthread.reporting.full import chart_parts

    chart = Chart("x", "T", "D", [f"t{i}" for i in range(40)], [(f"s{j}", list(range(40))) for j in range(6)])
    parts = chart_parts(chart)
    assert len(parts) > 1 and sum(len(p.categories) for p in parts) == 40
    assert all(len(p.categories) * (6 * 11 + 7) <= 600 for p in parts)
