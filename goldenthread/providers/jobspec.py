"""A person-centred job specification, written from a person's plan, their wishes and the doughnut of a role.

The providers' guide's idea: recruit for *this* person. The specification says
who the person is and what the support is for (their costed support plan), the
role's doughnut — what staff must always do (core), where they use judgement
and creativity, and what is not their job — and the person wanted (must-have
and wanted skills, personality, shared interests, when). :func:`job_specification`
gathers it once; the page and :func:`job_spec_pdf` (A4, ReportLab) both print it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from goldenthread.providers.flex import fmt_hours
from goldenthread.providers.models import Doughnut, PlanLine, SupportedPerson, Wishes, lines


@dataclass
class JobSpec:
    person: SupportedPerson
    doughnut: Doughnut
    wishes: Wishes | None
    plan: list[PlanLine] = field(default_factory=list)
    core: list[str] = field(default_factory=list)
    judgement: list[str] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)
    must: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    #: From the person's one-page profile, when they agreed the service may see it: in their own words.
    support: list[str] = field(default_factory=list)
    important: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.doughnut.role}, supporting {self.person.name}"

    def wanted(self) -> list[tuple[str, str]]:
        """The "person we are looking for" table: each row's heading and words."""
        when = ", ".join(self.times) or "To be agreed"
        if self.wishes:
            when += f"; about {fmt_hours(self.wishes.hours_needed)} a week across the team"
        return [("Must have", ", ".join(self.must) or "Nothing essential listed"),
                ("Good to have", ", ".join(self.skills) or "Nothing listed"),
                ("Personality", ", ".join(self.chars) or "Nothing listed"),
                ("Shared interests", ", ".join(self.interests) or "Nothing listed"),
                ("When", when)]


def job_specification(person: SupportedPerson, doughnut: Doughnut) -> JobSpec:
    """Everything the job specification prints, gathered from the person's plan, wishes, one-page profile (when they
    agreed the service may see it) and this doughnut."""
    from goldenthread.providers.services import supporting_profile

    wishes = Wishes.objects.filter(person=person).first()
    profile = supporting_profile(person)
    plan = list(PlanLine.objects.filter(fund__person=person).order_by("fund_id", "pk"))
    w = (lambda name: lines(getattr(wishes, name))) if wishes else (lambda name: [])
    return JobSpec(person=person, doughnut=doughnut, wishes=wishes, plan=plan, core=lines(doughnut.core),
                   judgement=lines(doughnut.judgement), not_ours=lines(doughnut.not_our_job),
                   must=w("must_have_skills") + [f"speaks {lang}" for lang in w("languages")], skills=w("wanted_skills"), chars=w("wanted_characteristics"),
                   interests=w("interests"), times=w("times_needed"),
                   support=lines(profile.support) if profile else [], important=lines(profile.important) if profile else [])


def job_spec_pdf(spec: JobSpec) -> bytes:
    """The job specification on A4 portrait: headings, bullet lists and the "person we are looking for" table."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle

    from goldenthread.pdf.layout import P, base_font, document, style

    buf = io.BytesIO()
    doc = document(buf, title=f"Job specification: {spec.title}", margins=(20, 20, 18, 18))
    body = style("body", 12, leading=16, spaceAfter=4)
    small = style("small", 10, leading=13, colour="#484949", spaceAfter=4)
    h1 = style("h1", 20, bold=True, leading=25, spaceAfter=8)
    h2 = style("h2", 14, bold=True, leading=18, spaceBefore=10, spaceAfter=4)
    name = spec.person.name

    def bullets(items: list[str], empty: str):
        items = items or [empty]
        return ListFlowable([ListItem(P(i, body), leftIndent=14) for i in items],
                            bulletType="bullet", start="\u2022", leftIndent=14, bulletFontSize=12,
                            bulletFontName=base_font())

    story = [P(f"Job specification: {spec.title}", h1),
             P(f"Written from {name}'s plan, what {name} wants from their supporters, and the doughnut of "
               f"this role. Service: {spec.person.service}.", small),
             P("The person you will support", h2)]
    if spec.interests:
        story.append(P(f"{name} enjoys: {', '.join(spec.interests)}.", body))
    if spec.important:
        story += [P(f"What is important to {name}, in their own words:", body), bullets(spec.important, "")]
    if spec.plan:
        story += [P("What the support is for:", body),
                  bullets([f"{p.what} ({p.when})" if p.when else p.what for p in spec.plan], "")]
    if spec.support:
        story += [KeepTogether([P(f"How best to support {name}, in their own words", h2), bullets(spec.support, "")])]
    story += [KeepTogether([P("Core responsibilities: what you must always do", h2),
                            bullets(spec.core, "To be agreed.")]),
              KeepTogether([P("Where you use your judgement and creativity", h2),
                            bullets(spec.judgement, f"To be agreed with {spec.person.name}.")]),
              KeepTogether([P("Not your job", h2), bullets(spec.not_ours, "Nothing listed.")])]
    rows = [[P(k, body, bold=True), P(v, body)] for k, v in spec.wanted()]
    table = Table(rows, colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.5, HexColor("#b1b4b6")),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    story += [KeepTogether([P("The person we are looking for", h2), table]), Spacer(1, 6 * mm)]
    doc.build(story)
    return buf.getvalue()
