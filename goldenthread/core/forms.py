"""Error-summary entries for the GOV.UK-style "There is a problem" box that every form page shows."""
from __future__ import annotations

from django import forms


def form_errors(form, prefix: str = "") -> list[dict]:
    """Error summary entries for a form, each naming the field and linking to it."""
    items = []
    for name, errs in form.errors.items():
        field = form.fields.get(name)
        if name == "__all__" or field is None:
            items += [{"text": f"{prefix}{e}", "href": "#main"} for e in errs]
            continue
        widget_id = form[name].id_for_label or f"id_{form.add_prefix(name)}"
        if isinstance(field.widget, forms.RadioSelect):
            widget_id = f"id_{form.add_prefix(name)}_0"
        label = str(getattr(form, "summary_labels", {}).get(name, field.label) or form[name].label)
        # A message that already names its field ("Enter the person ID.") needs no label in front.
        items += [{"text": f"{prefix}{e}" if label.lower() in e.lower() else f"{prefix}{label}: {e}",
                   "href": f"#{widget_id}"} for e in errs]
    return items
