"""The council's fixed lists: areas, services and user groups.

Working together for change compares what people said across places, services
and groups of people. That only works if every review names its area, service
and user group from the same short list: "Northbrok" and "Northbrook" would
otherwise be counted as two places, and each would hold too few people to show.
So the lists are kept by the people who run cycles (the "Areas, services and
user groups" page, or the Django admin), and everything that makes a review —
the review form, the person-centred review, a review file, the API — picks
from them. A value that is not on the list is refused with a close match when
there is one::

    'Northbrok' is not one of the council's areas. Did you mean 'Northbrook'?

Names are matched without regard to case or surrounding spaces. A name in use
by a review cannot be removed (renaming it is fine: the reviews follow).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction

from goldenthread.core.models import Area, Service, UserGroup


@dataclass(frozen=True)
class FixedList:
    """One list: its model, the review field that uses it, and its name in words."""

    slug: str          # in URLs: "areas"
    field: str         # on Review and in review files: "area"
    model: type[models.Model]
    singular: str      # "area"
    plural: str        # "areas"
    hint: str

    @property
    def title(self) -> str:
        return self.plural[0].upper() + self.plural[1:]


LISTS: dict[str, FixedList] = {
    "areas": FixedList("areas", "area", Area, "area", "areas",
                       "The places the council compares, such as a district or a town."),
    "services": FixedList("services", "service", Service, "service", "services",
                          "The services and providers that support people."),
    "user-groups": FixedList("user-groups", "user_group", UserGroup, "user group", "user groups",
                             "The groups of people who use services, such as Older people."),
}
BY_FIELD: dict[str, FixedList] = {fl.field: fl for fl in LISTS.values()}


class NotOnTheList(ValueError):
    """A name that is not on one of the council's lists."""

    def __init__(self, fixed: FixedList, value: str, suggestion: str | None):
        self.fixed, self.value, self.suggestion = fixed, value, suggestion
        message = f"'{value}' is not one of the council's {fixed.plural}."
        if suggestion:
            message += f" Did you mean '{suggestion}'?"
        super().__init__(message)


class ListChangeRefused(ValueError):
    """A change to a list that would break it: a duplicate or empty name, or removing a name in use."""


def name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def closest(value: str, names) -> str | None:
    """The name most like ``value``, if one is close enough to be a likely typing slip."""
    by_key = {name_key(n): n for n in names}
    match = difflib.get_close_matches(name_key(value), list(by_key), n=1, cutoff=0.75)
    return by_key[match[0]] if match else None


class Lookups:
    """The three lists read once, to check many values (a whole review file) with three queries."""

    def __init__(self):
        self._rows = {fl.field: {name_key(o.name): o for o in fl.model.objects.all()} for fl in LISTS.values()}

    def find(self, field: str, value: str):
        """The row named ``value`` on the list for ``field``; raises :class:`NotOnTheList`."""
        rows = self._rows[field]
        found = rows.get(name_key(value))
        if found is None:
            raise NotOnTheList(BY_FIELD[field], str(value).strip(), closest(value, [o.name for o in rows.values()]))
        return found


def reviews_using(obj) -> int:
    """How many reviews name this area, service or user group."""
    return obj.reviews.count()


def _clean(fixed: FixedList, name: str, *, exclude=None) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ListChangeRefused(f"Enter the name of the {fixed.singular}.")
    if len(name) > 120:
        raise ListChangeRefused(f"The name of the {fixed.singular} must be 120 characters or fewer.")
    clash = [o for o in fixed.model.objects.exclude(pk=getattr(exclude, "pk", None)) if name_key(o.name) == name_key(name)]
    if clash:
        raise ListChangeRefused(f"'{clash[0].name}' is already one of the {fixed.plural}.")
    return name


def add(fixed: FixedList, name: str):
    """Add a name to a list (refused if it is empty, too long, or already there in any case)."""
    name = _clean(fixed, name)
    try:
        with transaction.atomic():
            return fixed.model.objects.create(name=name)
    except IntegrityError:  # added by someone else a moment ago
        raise ListChangeRefused(f"'{name}' is already one of the {fixed.plural}.") from None


def rename(fixed: FixedList, obj, name: str):
    """Rename an entry; the reviews that name it follow."""
    obj.name = _clean(fixed, name, exclude=obj)
    try:
        with transaction.atomic():
            obj.save(update_fields=["name"])
    except IntegrityError:
        raise ListChangeRefused(f"'{name}' is already one of the {fixed.plural}.") from None
    return obj


def remove(fixed: FixedList, obj) -> None:
    """Remove an entry no review uses; refused, saying how many use it, otherwise."""
    used = reviews_using(obj)
    if used:
        raise ListChangeRefused(
            f"'{obj.name}' cannot be removed: {used} review{'s use' if used != 1 else ' uses'} it. "
            f"You can rename it instead.")
    try:
        with transaction.atomic():
            obj.delete()
    except models.ProtectedError as exc:
        n = len(exc.protected_objects)
        raise ListChangeRefused(
            f"'{obj.name}' cannot be removed: {n} other record{'s use' if n != 1 else ' uses'} it "
            "(such as an Individual Service Fund). You can rename it instead.") from None
