"""What every form shares: error-summary entries for the "There is a problem" box, and the GOV.UK date input."""
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
        if isinstance(field.widget, (forms.RadioSelect, DateParts)):  # the first radio, or the day box
            widget_id = f"id_{form.add_prefix(name)}_0"
        labels = getattr(form, "summary_labels", {})  # an empty label: the message is shown on its own
        label = str(labels[name] if name in labels else (field.label or form[name].label))
        # A message that already names its field ("Enter the person ID.") needs no label in front.
        items += [{"text": f"{prefix}{e}" if label.lower() in e.lower() else f"{prefix}{label}: {e}",
                   "href": f"#{widget_id}"} for e in errs]
    return items


class ManyFromList(forms.ModelMultipleChoiceField):
    """Django's ``ModelMultipleChoiceField`` that also refuses an id no database row can have.

    Django checks each chosen id by building a query, but an id past the largest integer the database holds
    (``9223372036854775808``, sent by a fuzzer or a hand-made request) only fails when the query runs: SQLite
    raises ``OverflowError`` and PostgreSQL a ``DataError``, a server error either way. This field answers it
    as any other id that is not on the list ("Select ... from the list"). Use it for every many-choice field.
    """

    LARGEST = 2**63 - 1

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk" or self.queryset.model._meta.get_field(key).get_internal_type().endswith("AutoField"):
            for pk in value or ():
                try:
                    out_of_range = not -self.LARGEST <= int(str(pk).strip()) <= self.LARGEST
                except (TypeError, ValueError):
                    continue  # not a number: Django's own check names it
                if out_of_range:
                    raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                                params={"pk": str(pk)[:40]})
        return super()._check_values(value)


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if not label[1:2].isupper() else label


def plain_english_errors(form) -> None:
    """Give every field of ``form`` GOV.UK-style messages that name it, in place of Django's defaults.

    A message the form set itself is kept; one still equal to Django's default ("This field is required.",
    "Enter a number.", "Ensure this value is greater than or equal to 0.01.") becomes, for a field labelled
    "Amount in pounds", "Enter the amount in pounds", "Amount in pounds must be a number" and "Amount in pounds
    must be 0.01 or more".
    """
    for name, field in form.fields.items():
        label = str(field.label or name.replace("_", " ").capitalize()).strip().rstrip("?:").strip()
        lower = _lower(label)
        defaults = {}
        for cls in reversed(type(field).__mro__):
            defaults.update(getattr(cls, "default_error_messages", {}))
        messages = field.error_messages

        def default(key):
            return key not in messages or (key in defaults and str(messages[key]) == str(defaults[key]))

        choosing = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField))
        if default("required"):
            messages["required"] = (f"Select {lower}" if choosing else
                                    f"Answer “{label}?”" if str(field.label or "").endswith("?") else f"Enter {lower}")
        if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
            if default("invalid_choice"):
                messages["invalid_choice"] = f"Select {lower} from the list"
            if isinstance(field, forms.ModelMultipleChoiceField) and default("invalid_pk_value"):
                messages["invalid_pk_value"] = f"Select {lower} from the list"
        if isinstance(field, forms.DateField) and default("invalid"):
            messages["invalid"] = f"{label} must be a real date, for example 14 3 2026"
        if isinstance(field, forms.EmailField) and default("invalid"):
            messages["invalid"] = "Enter an e-mail address in the correct format, like name@example.com"
        if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
            whole = isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField)
            if default("invalid"):
                messages["invalid"] = f"{label} must be a {'whole ' if whole else ''}number"
            for key, words in (("min_value", "%(limit_value)s or more"), ("max_value", "%(limit_value)s or less"),
                               ("max_digits", "smaller"), ("max_whole_digits", "smaller"),
                               ("max_decimal_places", "given to at most %(max)s decimal places"),
                               ("step_size", "a multiple of %(limit_value)s")):
                if default(key):
                    messages[key] = f"{label} must be {words}"
        if isinstance(field, forms.CharField):
            if default("max_length"):
                messages["max_length"] = f"{label} must be %(limit_value)d characters or fewer"
            if default("min_length"):
                messages["min_length"] = f"{label} must be %(limit_value)d characters or more"


class PlainErrors:
    """A form mixin: :func:`plain_english_errors` on every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_english_errors(self)


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


class DateParts(forms.MultiWidget):
    """Day, month and year in three number boxes (the GOV.UK date input), not the browser's date picker,
    whose order and wording follow the browser's language rather than the page's."""

    template_name = "core/widgets/date_parts.html"
    template_kind = "date"
    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = [forms.TextInput(attrs={"inputmode": "numeric", "maxlength": size, "class": f"govuk-date-input__input govuk-input--width-{size}",
                                          "autocomplete": "off"}) for _, _, size in self.PARTS]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, (_, label, _) in zip(context["widget"]["subwidgets"], self.PARTS):
            sub["part_label"] = label
        return context


class DateInput(DateParts):
    """The day, month and year boxes for an ordinary ``forms.DateField``: the three boxes are read back as one
    ISO date ("2026-3-14"), which the field parses and checks as usual (a missing or impossible part gives the
    field's "invalid" message). A single ISO value posted under the field's own name (an API client, an old
    form) is still read, so the boxes change only what people see."""

    def value_from_datadict(self, data, files, name):
        parts = [str(p or "").strip() for p in super().value_from_datadict(data, files, name)]
        if not any(parts):
            return data.get(name, "")
        day, month, year = parts
        return f"{year}-{month}-{day}"

    def decompress(self, value):
        if isinstance(value, str):
            bits = value.split("-")
            return [bits[2], bits[1], bits[0]] if len(bits) == 3 else [None, None, None]
        return super().decompress(value)


class TableFileForm(forms.Form):
    """A CSV or XLSX file of the council's own figures or lists (outcomes, measures, the market directory)."""

    file = forms.FileField(label="File", help_text="A CSV or Excel (.xlsx) file.")
    file_format = forms.ChoiceField(choices=[("", "Work it out from the file name"), ("csv", "CSV"), ("xlsx", "XLSX")],
                                    required=False, label="File format")
