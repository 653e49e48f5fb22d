"""One door to every report output, used by the command line and the web app alike.

:func:`make_output` counts the numbers once (:func:`~goldenthread.reporting.data.build_report`),
draws the asked-for file, and logs an :class:`~goldenthread.reporting.models.ExportRecord`
saying who made it, when, and whether small counts were hidden.
"""
from __future__ import annotations

from dataclasses import dataclass

from goldenthread.reporting.data import build_report, threshold_setting

#: (output, format) pairs that exist.
OUTPUTS = {
    ("full", "html"), ("full", "pdf"), ("easy_read", "html"), ("easy_read", "pdf"), ("wall_sheets", "pdf"),
    ("data", "csv"), ("data", "xlsx"), ("data", "json"),
}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
    "json": "application/json", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Output:
    content: bytes
    content_type: str
    filename: str


def output_for(file_format: str, easy_read: bool = False, wall_sheets: bool = False) -> str:
    if wall_sheets:
        return "wall_sheets"
    if easy_read:
        return "easy_read"
    return "data" if file_format in ("csv", "xlsx", "json") else "full"


def make_output(cycle, workshop, output: str, file_format: str, *, shared: bool = True, user=None,
                user_name: str | None = None, via: str = "web") -> Output:
    """Make one file and log who made it. Raises ``ValueError`` for a pair that does not exist."""
    if (output, file_format) not in OUTPUTS:
        raise ValueError(f"there is no {output.replace('_', ' ')} as {file_format}")
    from goldenthread.reporting.models import ExportRecord

    name = user_name or (user.get_username() if user is not None else "command line")
    data = build_report(cycle, workshop, shared=shared, made_by=name)
    if output == "data":
        from goldenthread.reporting import export

        content = {"csv": export.to_csv, "xlsx": export.to_xlsx, "json": export.to_json}[file_format](data)
    elif output == "full":
        from goldenthread.reporting import full

        content = full.render_html(data) if file_format == "html" else full.render_pdf(data)
    elif output == "easy_read":
        from goldenthread.reporting import easy_read

        content = easy_read.render_html(data) if file_format == "html" else easy_read.render_pdf(data)
    else:
        from goldenthread.reporting import wall_sheets

        content = wall_sheets.render_pdf(data)
    ExportRecord.objects.create(cycle=cycle, workshop=workshop, output=output, file_format=file_format, shared=shared,
                                threshold=threshold_setting(), made_by=user, made_by_name=name, via=via)
    suffix = "" if output in ("full", "data") else f"-{output.replace('_', '-')}"
    version = "" if shared else "-team"
    return Output(content, CONTENT_TYPES[file_format], f"{cycle.slug}{suffix}{version}.{file_format}")
