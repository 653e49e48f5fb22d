"""Bring in the market directory (service types and provisions, all or nothing), keep it, and suggest which
*Important for the future* themes ask for which kind of service.

Files are read as every table of the council's own lists is (:mod:`goldenthread.reviews.tables`): CSV or XLSX,
every problem named by row and column ("Row 5, column capacity: …"), nothing saved if there is any. The API
sends the same rows as JSON (``where`` is then "Service type 2" or "Provision 3"). Areas and user groups must be
on the council's lists (:mod:`goldenthread.core.lookups`: "Did you mean …?"); a provision names several,
separated by semicolons; no user group means everyone.

Importing again updates what is held (a service type by its name; a provision by its name and type) and adds
the rest; it removes nothing (removing is done on the directory page, one entry at a time, logged).
"""
from __future__ import annotations

from django.db import transaction

from goldenthread.core.lookups import Lookups, NotOnTheList, name_key
from goldenthread.core.models import Kind
from goldenthread.market.models import Provision, ServiceType, ThemeServiceType
from goldenthread.reviews import tables
from goldenthread.reviews.importing import Problem, ReviewFileError, Table
from goldenthread.reviews.tables import ImportSummary, cell_text, table_of  # noqa: F401  (table_of: the API's)
from goldenthread.workshops import theme_links
from goldenthread.workshops.models import Workshop

TYPE_COLUMNS = ["name", "description"]
TYPE_REQUIRED = ["name"]
PROVISION_COLUMNS = ["name", "kind", "service_type", "organisation", "areas", "user_groups", "capacity",
                     "capacity_unit", "notes"]
PROVISION_REQUIRED = ["name", "service_type", "areas"]
KIND_WORDS = {**{k.value: k.value for k in Provision.Kind}, **{k.label.casefold(): k.value for k in Provision.Kind},
              "community resource": Provision.Kind.COMMUNITY.value, "provider offer": Provision.Kind.PROVIDER.value}
LONGEST = {"name": 200, "organisation": 200, "capacity_unit": 40, "notes": 2000}


class MarketFileError(ReviewFileError):
    """The file (or API body) cannot be imported. ``problems`` lists every reason; nothing was saved."""


def read_table(data: bytes, filename: str, file_format: str | None = None) -> Table:
    return tables.read_table(data, filename, file_format, error=MarketFileError)


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.split(";") if n.strip()]


# --- Service types -------------------------------------------------------------------------------

def check_service_types(table: Table) -> list[dict]:
    tables.check_columns(table, TYPE_COLUMNS, TYPE_REQUIRED, "service types", MarketFileError)
    problems, out, seen = [], [], {}
    for where, row in table.rows:
        name, description = " ".join(cell_text(row.get("name")).split()), cell_text(row.get("description"))
        if not name:
            problems.append(Problem(where, "name", "is empty"))
        elif len(name) > 120:
            problems.append(Problem(where, "name", "is longer than 120 characters"))
        if len(description) > 2000:
            problems.append(Problem(where, "description", "is longer than 2000 characters"))
        if name and name_key(name) in seen:
            problems.append(Problem(where, "name", f'"{name[:40]}" is named on {seen[name_key(name)].lower()} too'))
            continue
        seen[name_key(name)] = where
        out.append({"name": name, "description": description})
    if problems:
        raise MarketFileError(problems)
    return out


def import_service_types(table: Table) -> ImportSummary:
    """Add or update service types (by name, in any case) from a table, all or nothing."""
    rows = check_service_types(table)
    held = {name_key(t.name): t for t in ServiceType.objects.all()}
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            existing = held.get(name_key(row["name"]))
            if existing is None:
                ServiceType.objects.create(**row)
                created += 1
            elif existing.description != row["description"]:
                existing.description = row["description"]
                existing.save(update_fields=["description"])
                updated += 1
    return ImportSummary(created, updated, "service types")


# --- Provisions ----------------------------------------------------------------------------------

def _lookup_all(lookups: Lookups, field: str, names: list[str], where: str, column: str, problems: list) -> list:
    found = []
    for name in names:
        try:
            found.append(lookups.find(field, name))
        except NotOnTheList as exc:
            problems.append(Problem(where, column, str(exc)))
    return found


def check_provisions(table: Table) -> list[dict]:
    tables.check_columns(table, PROVISION_COLUMNS, PROVISION_REQUIRED, "provisions", MarketFileError)
    types = {name_key(t.name): t for t in ServiceType.objects.all()}
    lookups = Lookups()
    problems, out, seen = [], [], {}
    for where, row in table.rows:
        v = {c: cell_text(row.get(c)) for c in PROVISION_COLUMNS}
        for column in PROVISION_REQUIRED:
            if not v[column]:
                problems.append(Problem(where, column, "is empty"))
        for column, longest in LONGEST.items():
            if len(v[column]) > longest:
                problems.append(Problem(where, column, f"is longer than {longest} characters"))
        service_type = types.get(name_key(v["service_type"]))
        if v["service_type"] and service_type is None:
            problems.append(Problem(where, "service_type", f'"{v["service_type"][:40]}" is not one of the service '
                                                           "types. Import the service types first"))
        kind = KIND_WORDS.get(v["kind"].casefold()) if v["kind"] else Provision.Kind.SERVICE.value
        if kind is None:
            problems.append(Problem(where, "kind", 'must be "service", "provider" or "community"'))
        capacity = None
        if v["capacity"]:
            text = v["capacity"].replace(",", "")
            if text.endswith(".0"):
                text = text[:-2]
            if not (text.isascii() and text.isdigit() and len(text) <= 9):
                problems.append(Problem(where, "capacity", f'"{v["capacity"][:20]}" is not a whole number of 0 or '
                                                           "more"))
            else:
                capacity = int(text)
        areas = _lookup_all(lookups, "area", _names(v["areas"]), where, "areas", problems)
        groups = _lookup_all(lookups, "user_group", _names(v["user_groups"]), where, "user_groups", problems)
        key = (name_key(v["name"]), name_key(v["service_type"]))
        if v["name"] and key in seen:
            problems.append(Problem(where, "name", f'"{v["name"][:40]}" of this type is on {seen[key].lower()} too'))
        seen.setdefault(key, where)
        out.append({"name": " ".join(v["name"].split()), "kind": kind, "service_type": service_type,
                    "organisation": v["organisation"], "capacity": capacity,
                    "capacity_unit": v["capacity_unit"] or "people", "notes": v["notes"], "areas": areas,
                    "user_groups": groups})
    if problems:
        raise MarketFileError(problems)
    return out


def save_provision(provision: Provision, fields: dict, areas, user_groups) -> bool:
    """Save a provision and its areas and user groups; True if anything changed."""
    changed = provision.pk is None or any(getattr(provision, k) != v for k, v in fields.items())
    for k, v in fields.items():
        setattr(provision, k, v)
    if changed:
        provision.save()
    for relation, wanted in ((provision.areas, areas), (provision.user_groups, user_groups)):
        if {o.pk for o in relation.all()} != {o.pk for o in wanted}:
            relation.set(wanted)
            changed = True
    return changed


def import_provisions(table: Table) -> ImportSummary:
    """Add provisions from a table, or update those held (same name and type); all or nothing."""
    rows = check_provisions(table)
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            areas, groups = row.pop("areas"), row.pop("user_groups")
            held = Provision.objects.filter(service_type=row["service_type"], name__iexact=row["name"]).first()
            if held is None:
                save_provision(Provision(), row, areas, groups)
                created += 1
            elif save_provision(held, row, areas, groups):
                updated += 1
    return ImportSummary(created, updated, "provisions")


# --- Future themes to service types --------------------------------------------------------------

def suggest_links(workshop: Workshop, *, at_least: float = 0.3, most: int = 2) -> int:
    """Suggest, for each *Important for the future* theme of the workshop, the (at most two) service types most
    like it. Nothing counts until a person confirms it; a link a person already decided is left as it is."""
    types = list(ServiceType.objects.all())
    return theme_links.suggest_links(ThemeServiceType, "service_type", theme_links.themes_of(workshop, Kind.FUTURE),
                                     types, [f"{t.name}. {t.description}".strip() for t in types],
                                     at_least=at_least, most=most)


def link_by_hand(cluster, service_type: ServiceType, user) -> ThemeServiceType:
    """A person links a future theme to a service type the engine did not suggest: confirmed at once."""
    link, _ = ThemeServiceType.objects.get_or_create(cluster=cluster, service_type=service_type)
    link.decide(user, same=True)
    return link
