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


def fixed_list_field(field: str, *, required: bool = True, label: str | None = None,
                     help_text: str = "") -> forms.ModelChoiceField:
    """A choice from one of the council's fixed lists (area, service, user group), sorted by name.

    Only names on the list can be chosen; the lists are kept on the "Areas, services and user groups"
    page. Errors are plain English: "Select the area".
    """
    from django.db.models.functions import Lower

    from goldenthread.core.lookups import BY_FIELD

    fixed = BY_FIELD[field]
    return forms.ModelChoiceField(
        queryset=fixed.model.objects.order_by(Lower("name"), "pk"),
        required=required,
        label=label or fixed.singular.capitalize(),
        help_text=help_text,
        empty_label=f"Choose the {fixed.singular}" if required else f"No {fixed.singular}",
        error_messages={
            "required": f"Select the {fixed.singular}.",
            "invalid_choice": f"Select the {fixed.singular} from the list. If it is missing, ask someone who "
                              f"runs cycles to add it to the {fixed.plural}.",
        },
    )
