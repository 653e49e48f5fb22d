"""The market view: what people want for the future set against what is present, for one cycle.

* **Demand** comes from the *Important for the future* themes of the workshop the cycle's report is about
  (:func:`~goldenthread.reporting.data.pick_workshop`), through the links a person confirmed from each theme to a
  service type (:class:`~goldenthread.market.models.ThemeServiceType`; a suggested, unchecked link counts for
  nothing). Its people are counted as the report counts them (:func:`~goldenthread.reporting.data.placement_rows`:
  distinct person IDs, consented reviews only, placed by their review's area and user group).
* **Supply** is the market directory (:class:`~goldenthread.market.models.Provision`).
* The table and its two flags are worked out by :func:`goldenthread.market.gaps.gap_table`; in anything shared
  (the market position summary page, PDF and XLSX, the API, the golden thread) small counts are hidden by
  :func:`goldenthread.market.gaps.shared`, the project's one suppression rule.
* **What people said**: a few short anonymised card texts of the linked themes, only from the theme × area ×
  user group cells the shared report shows (:class:`~goldenthread.reporting.disclosure.PageDisclosures`).
"""
from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook

from goldenthread.core.models import Kind
from goldenthread.market.gaps import Gap, Offer, TypeGaps, Want, gap_table
from goldenthread.market.gaps import shared as shared_gaps
from goldenthread.market.models import Provision, ServiceType, ThemeServiceType
from goldenthread.privacy.cells import safe_row
from goldenthread.reporting.data import pick_workshop, placement_rows, threshold_setting
from goldenthread.reporting.disclosure import PageDisclosures
from goldenthread.reporting.export import _sheet

NOT_RECORDED = "Not recorded"
#: At most this many quotes per service type, each at most this many characters.
QUOTES, QUOTE_LENGTH = 3, 160


@dataclass
class MarketType:
    id: int
    name: str
    description: str
    themes: list[tuple[int, str]]  # (theme id, name): the future themes confirmed as asking for it
    gaps: TypeGaps
    quotes: list[str] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)

    @property
    def council(self) -> Gap:
        return self.gaps.council


@dataclass
class MarketView:
    cycle: object
    workshop: object
    shared: bool
    threshold: int
    made_by: str
    made_at: dt.datetime
    types: list[MarketType]

    @property
    def flagged(self) -> list[Gap]:
        return [g for t in self.types for g in t.gaps.flagged]

    @property
    def flagged_by_type(self) -> list[tuple[MarketType, list[Gap]]]:
        return [(t, t.gaps.flagged) for t in self.types if t.gaps.flagged]

    @property
    def privacy_note(self) -> str:
        if not self.shared:
            return "Workshop team version: all counts are shown. Do not share it beyond the team."
        return (f"Counts of fewer than {self.threshold} people are hidden, and so are some other counts, so that "
                "no one can work them out. Counts are of people, not statements.")


def offers() -> list[Offer]:
    """The directory as the gap calculation reads it."""
    found = Provision.objects.select_related("service_type").prefetch_related("areas", "user_groups")
    return [Offer(p.name, p.service_type.name, frozenset(a.name for a in p.areas.all()),
                  frozenset(g.name for g in p.user_groups.all()), p.capacity) for p in found]


def _links(workshop):
    return (ThemeServiceType.objects.confirmed()
            .filter(cluster__board__workshop=workshop, cluster__board__kind=Kind.FUTURE, cluster__board__is_main=True,
                    cluster__name__gt="").select_related("cluster__board__workshop", "service_type")
            .order_by("service_type__name", "cluster__position", "cluster__name", "pk"))


def wants(workshop, links, services: set[str] | None = None) -> list[Want]:
    """Each person who wants each service type (once, however many statements), from confirmed links."""
    asks: dict[int, list[str]] = defaultdict(list)
    for link in links:
        asks[link.cluster_id].append(link.service_type.name)
    found = set()
    for cluster_id, person, area, group in placement_rows(workshop, services):
        for st in asks.get(cluster_id, ()):
            found.add(Want(person, area or NOT_RECORDED, group or NOT_RECORDED, st))
    return sorted(found, key=lambda w: (w.service_type, w.area, w.user_group, w.person))


def _quotes(clusters, told: PageDisclosures) -> list[str]:
    texts = []
    for cluster in clusters:
        texts += [c["card_text"] for c in told.cards(cluster) if c["card_text"]]
    short = sorted({t.strip() for t in texts if len(t.strip()) <= QUOTE_LENGTH}, key=lambda t: (len(t), t))
    # Spread the picks over the list (short, middling, longer) so they are not all the tersest cards.
    if len(short) > QUOTES:
        step = (len(short) - 1) / (QUOTES - 1)
        short = [short[round(i * step)] for i in range(QUOTES)]
    return short


def _hidden_by_report(table, links, disclosure) -> dict[str, set]:
    """Per service type, the (area, user group) lines where the shared report hides one of the type's themes."""
    themes: dict[str, list[int]] = defaultdict(list)
    for link in links:
        if link.cluster_id in disclosure.themes:
            themes[link.service_type.name].append(link.cluster_id)
    return {tg.service_type: {(g.area, g.user_group) for g in tg.gaps
                              if any(disclosure.people(t, g.area, g.user_group) is None
                                     for t in themes[tg.service_type])}
            for tg in table}


def market_view(cycle, *, shared: bool = True, threshold: int | None = None, made_by: str = "unknown",
                services: set[str] | None = None, quotes: bool = True) -> MarketView:
    """The market view of one cycle: every service type with its demand, supply, gaps and quotes."""
    threshold = threshold_setting() if threshold is None else threshold
    workshop = pick_workshop(cycle)
    links = list(_links(workshop)) if workshop else []
    types = list(ServiceType.objects.prefetch_related("provisions__areas", "provisions__user_groups"))
    table = gap_table(wants(workshop, links, services) if workshop else [], offers(), [t.name for t in types])
    told = PageDisclosures(shared=shared, threshold=threshold, made_by="market view")
    if shared:
        table = shared_gaps(table, threshold, _hidden_by_report(table, links, told.of(workshop)) if workshop else {})
    out = []
    for st, gaps in zip(types, table):
        clusters = [link.cluster for link in links if link.service_type_id == st.pk]
        out.append(MarketType(st.pk, st.name, st.description, [(c.pk, c.name) for c in clusters], gaps,
                              _quotes(clusters, told) if quotes else [], list(st.provisions.all())))
    return MarketView(cycle, workshop, shared, threshold, made_by, timezone.now(), out)


def market_of_theme(cluster, *, shared: bool = True, threshold: int | None = None) -> list[MarketType]:
    """The golden thread from a future theme: the service types a person confirmed it asks for, each with its
    whole-council line and its flagged gaps (as the market view of the theme's cycle shows them)."""
    asked = set(ThemeServiceType.objects.confirmed().filter(cluster=cluster).values_list("service_type_id", flat=True))
    if not asked:
        return []
    view = market_view(cluster.board.workshop.cycle, shared=shared, threshold=threshold, quotes=False)
    return [t for t in view.types if t.id in asked]


def gap_rows(view: MarketView) -> list[list]:
    """One row a line of the gap table, for the XLSX and the API: hidden counts empty."""
    return [[g.service_type, g.level, g.area or "All areas", g.user_group or "All user groups",
             "" if g.people is None else g.people, "yes" if g.people is None else "no", g.provisions,
             "" if g.capacity is None else g.capacity, g.capacity_unknown, "; ".join(g.flags)]
            for t in view.types for g in t.gaps.gaps]


def to_xlsx(view: MarketView) -> bytes:
    """The market position summary as a workbook: About, Gaps, Directory and What people said."""
    wb = Workbook()
    about = wb.active
    about.title = "About"
    for key, value in (("cycle", view.cycle.name), ("workshop", view.workshop.name if view.workshop else ""),
                       ("made by", view.made_by), ("made at", view.made_at.isoformat(timespec="seconds")),
                       ("shared", "yes" if view.shared else "no (workshop team: every count shown)"),
                       ("suppress below", view.threshold if view.shared else 0), ("note", view.privacy_note),
                       ("counts are", "distinct people (person IDs) with a future statement in a theme confirmed "
                                      "as asking for the service type, not statements")):
        about.append(safe_row([key, value]))
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90
    _sheet(wb, "Gaps", ["service type", "level", "area", "user group", "people who want it", "hidden",
                        "provisions", "capacity known", "provisions of unknown capacity", "flags"], gap_rows(view))
    _sheet(wb, "Directory", ["service type", "name", "kind", "organisation", "areas", "user groups", "capacity",
                             "capacity unit"],
           [[t.name, p.name, p.get_kind_display(), p.organisation, "; ".join(a.name for a in p.areas.all()),
             "; ".join(g.name for g in p.user_groups.all()) or "Everyone",
             "" if p.capacity is None else p.capacity, p.capacity_unit] for t in view.types for p in t.provisions])
    _sheet(wb, "What people said", ["service type", "anonymised card"],
           [[t.name, q] for t in view.types for q in t.quotes])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _count(g: Gap) -> str:
    if g.people is None:
        return "people want it (number hidden)"
    return f"{g.people} {'person wants' if g.people == 1 else 'people want'} it"


def _supply(g: Gap) -> str:
    if not g.provisions:
        return "no provision"
    text = f"{g.provisions} provision{'s' if g.provisions != 1 else ''}"
    if g.capacity is not None:
        text += f", capacity {g.capacity}" + (f" known (and {g.capacity_unknown} not known)" if g.capacity_unknown
                                              else "")
    return text


def gap_sentence(g: Gap) -> str:
    """One line of the table in words, as the PDF and the golden thread say it."""
    where = ", ".join(x for x in (g.area, g.user_group) if x) or "Whole council"
    flags = f" {'. '.join(g.flags)}." if g.flags else ""
    return f"{where}: {_count(g)}; {_supply(g)}.{flags}"


def pdf_document(view: MarketView):
    """The market position summary as a printable document (the PDF toolkit's headed sections)."""
    from goldenthread.programme.pdf import Document, Section

    sections = [Section("Where people want something that is not there", bullets=[
        f"{g.service_type}. {gap_sentence(g)}" for g in view.flagged] or ["No gaps found."])]
    for t in view.types:
        lines = [t.description] if t.description else []
        if t.themes:
            lines.append(f"Asked for by the theme{'s' if len(t.themes) > 1 else ''}: "
                         + "; ".join(name for _id, name in t.themes) + ".")
        parts = [("What people said", [f"\u201c{q}\u201d" for q in t.quotes])] if t.quotes else []
        sections.append(Section(t.name, lines=lines, bullets=[gap_sentence(g) for g in t.gaps.gaps if g.area is None
                                                              or g.user_group is None or g.flags], parts=parts))
    return Document(title=f"Market position summary: {view.cycle.name}",
                    intro="What people told us is important for their future, set against the services, providers' "
                          "offers and community resources already there.", sections=sections,
                    footer=f"Made by {view.made_by} on {view.made_at:%d %B %Y}. {view.privacy_note}")


def to_pdf(view: MarketView) -> bytes:
    from goldenthread.programme.pdf import render

    return render(pdf_document(view))
