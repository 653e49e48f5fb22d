"""The one page for importing a table of the council's own figures or lists (outcomes, measures, the market
directory): upload, all or nothing, every problem listed by row and column."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from goldenthread.core.forms import TableFileForm, form_errors
from goldenthread.reviews.tables import read_table


def import_table_page(request, *, title: str, columns: str, do_import, error, back: tuple[str, str]):
    """GET: the upload form. POST: import the file with ``do_import`` (a Table -> ImportSummary function that
    raises ``error``); on success say what changed and go back to ``back`` (url, label); else list each
    problem, nothing saved."""
    form = TableFileForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.GOLDENTHREAD_MAX_UPLOAD_BYTES:
            form.add_error("file", "The file is too big.")
        else:
            try:
                summary = do_import(read_table(upload.read(), upload.name, form.cleaned_data["file_format"] or None,
                                               error=error))
            except error as exc:
                problems = exc.problems
            else:
                messages.success(request, str(summary))
                return redirect(back[0])
    return render(request, "reviews/table_import.html", {
        "form": form, "title": title, "columns": columns, "problems": problems[:200], "back": back,
        "form_errors": form_errors(form), "more_problems": max(0, len(problems) - 200)})
