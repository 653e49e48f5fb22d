"""Monthly statements a person can read: what came in, what was used, what is left, and why.

:func:`monthly_statement` builds the numbers from the ledger (opening balance,
every line of the month with its explanation and running balance, closing
balance) and checks that the closing balance is the ledger's sum — if it is
not, it raises rather than print a wrong statement. It also splits the month's
costs into direct support and management/service costs, so the provider shows
transparently where the money went.

:func:`statement_pdf` prints it on A4 with the PDF toolkit (:mod:`goldenthread.pdf`: every script, the one
text clean-up, the shared easy-read styles and pictures); ``easy_read=True`` gives the easy-read
version: large type, short sentences, one line per thing that happened, and a
picture beside each line with the picture's meaning written in words.
"""
from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from goldenthread.pdf.layout import markup
from goldenthread.providers import flex
from goldenthread.providers.models import ZERO, Category, EntryKind, Fund
from goldenthread.providers.pictograms import FOR_KIND, PICTURES


@dataclass
class Line:
    occurred_on: dt.date
    kind: str
    kind_label: str
    description: str
    with_whom: str
    hours: Decimal
    money: Decimal
    bank: Decimal
    explanation: str
    hours_left: Decimal
    money_left: Decimal
    bank_left: Decimal
    picture: str
    actual_hours: Decimal | None = None
    corrected: bool = False
    correction_of: str = ""
    #: Put right by a correction in the same month: the easy read nets the two out and says so once.
    netted: bool = False
    end_of_week: bool = False
    management: Decimal = ZERO
    #: For a correction: the line it puts right (its date, description, kind and amounts).
    original: object = None
    pk: int | None = None


def _left(value: Decimal, fmt, what: str) -> str:
    """"You have 12 hours left." — never a number below nothing: an agreed overspend is said in words."""
    if value >= 0:
        return f"You have {fmt(value)} {what}."
    return (f"You have nothing {what}: you used {fmt(-value)} more than you had, and your provider agreed to "
            "that.")


@dataclass
class Statement:
    fund: Fund
    year: int
    month: int
    opening: dict[str, Decimal]
    closing: dict[str, Decimal]
    lines: list[Line]
    direct_cost: Decimal
    management_cost: Decimal
    hours_delivered: Decimal
    rules: list[str] = field(default_factory=list)
    #: Management and service costs declared for this month (the allocations' share) and what is left of them.
    management_declared: Decimal = ZERO
    management_left: Decimal = ZERO
    #: At the ends of the weeks of this month: unused hours that went to the bank, and that lapsed.
    week_end_banked: Decimal = ZERO
    week_end_lapsed: Decimal = ZERO
    #: Lines of earlier months put right this month: what came back (money's worth of support, hours, money).
    put_right_value: Decimal = ZERO

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    def summary(self) -> list[tuple[str, str]]:
        """What is left at the end of the month, in words, never below nothing: (picture, sentence)."""
        close = self.closing
        out = [("clock", _left(close["hours"], flex.fmt_hours, "left"))]
        if self.has_money:
            out.append(("coins", _left(close["money"], flex.fmt_money, "to spend as you choose")))
        if self.has_bank:
            out.append(("piggy", f"Your bank has {flex.fmt_hours(max(close['bank'], ZERO))} saved."))
        return out

    @property
    def week_end_sentence(self) -> str:
        """"12 hours banked, 3 hours lapsed": what happened to the hours not used by the end of each week."""
        parts = []
        if self.week_end_banked:
            parts.append(f"{flex.fmt_hours(self.week_end_banked)} banked")
        if self.week_end_lapsed:
            parts.append(f"{flex.fmt_hours(self.week_end_lapsed)} lapsed")
        return ", ".join(parts)

    @property
    def spending_sentences(self) -> list[str]:
        """Where the money went, for the person: never a negative amount."""
        out = [f"Money spent on your support: {flex.fmt_money(self.direct_cost)}."]
        if self.put_right_value:
            out.append(f"Put right from earlier months: {flex.fmt_money(self.put_right_value)} of support given "
                       "back to you.")
        out.append(f"Money spent on organising it: {flex.fmt_money(self.management_cost)}. This is the provider's "
                   "own share, not your money.")
        return out

    def easy_lines(self) -> list[tuple[str, str, str]]:
        """The month in a few short sentences for the easy-read version: (picture, sentence, how it was worked out).

        Lines of the same kind and description are put together ("Dancing with Amira: 4 times, 8 hours"). A line
        put right in the same month is left out with its correction, and one sentence says so; a line of an earlier
        month put right now is said as "put right", with what came back. Unused hours at the ends of the weeks are
        one sentence: "12 hours banked, 3 hours lapsed".
        """
        first = dt.date(self.year, self.month, 1)
        groups: dict[tuple, list[Line]] = {}
        put_right: list[tuple[str, str, str]] = []
        reasons = {}
        for line in self.lines:
            if line.kind == EntryKind.CORRECTION:
                if line.original is not None and line.original.occurred_on >= first:
                    reasons[line.original.pk] = line.description  # netted out with the line it puts right
                else:
                    put_right.append(self._put_right(line))
                continue
            if line.netted:
                continue
            if line.end_of_week:
                groups.setdefault(("end_of_week", "", "", "piggy"), []).append(line)
                continue
            key = (line.kind, line.description if line.kind in (EntryKind.DELIVERED, EntryKind.PURCHASE) else "",
                   line.with_whom if line.kind == EntryKind.DELIVERED else "", line.picture)
            groups.setdefault(key, []).append(line)
        out = []
        week_end = groups.pop(("end_of_week", "", "", "piggy"), None)
        if week_end:  # said after what happened, however early in the month the first week ended
            groups[("end_of_week", "", "", "piggy")] = week_end
        for (kind, description, with_whom, picture), group in groups.items():
            n = len(group)
            times = "once" if n == 1 else ("twice" if n == 2 else f"{n} times")
            used = -sum((g.hours + g.bank for g in group), ZERO)
            money_in = sum((g.money for g in group), ZERO)
            if kind == EntryKind.ALLOCATION:
                got = sum((g.hours for g in group), ZERO)
                extra = f" and {flex.fmt_money(money_in)}" if money_in else ""
                out.append((picture, f"Your hours came in {times}: {flex.fmt_hours(got)}{extra}.",
                            group[0].explanation))
            elif kind == "end_of_week":
                out.append((picture, f"Hours you did not use by the end of the week: {self.week_end_sentence}.",
                            self._week_end_how()))
            elif kind == EntryKind.DELIVERED:
                who = f" with {with_whom}" if with_whom else ""
                actual = sum((self._actual(g) for g in group), ZERO)
                sentence = f"{description}{who}: {times}, {flex.fmt_hours(actual)}."
                how = ""
                if actual != used:
                    how = (f"These hours cost more: {flex.fmt_hours(actual)} use "
                           f"{flex.fmt_hours(used).replace('hour', 'standard hour')}. "
                           f"For example: {group[0].explanation}")
                if any(g.bank for g in group):
                    how = (how + " Taken from your bank.").strip()
                out.append((picture, sentence, how))
            elif kind == EntryKind.PURCHASE:
                out.append((picture, f"You bought {description}: {flex.fmt_money(-money_in)}.", ""))
            elif kind == EntryKind.MANAGEMENT:
                spent = -sum((g.management for g in group), ZERO)
                out.append((picture, f"Organising your support cost {flex.fmt_money(spent)}.",
                            "This pays for planning the rota and paying staff. It comes from the provider's own "
                            "share, not from your hours or money."))
            elif kind == EntryKind.BANKED:
                saved = sum((g.bank for g in group), ZERO)
                out.append((picture, f"You saved {flex.fmt_hours(saved)} in your bank.", ""))
            elif kind == EntryKind.FROM_BANK:
                out.append((picture, f"You took {flex.fmt_hours(-sum((g.bank for g in group), ZERO))} "
                                     f"out of your bank to use.", ""))
            elif kind == EntryKind.CONVERTED:
                out.append((picture, f"You turned {flex.fmt_hours(used)} into {flex.fmt_money(money_in)}.",
                            " ".join(g.explanation for g in group)))
            else:
                out.append((picture, f"{group[0].kind_label}: {times}.", " ".join(g.explanation for g in group)))
        for line in self.lines:
            if line.netted:
                reason = reasons.get(line.pk, "")
                out.append(("pencil", f"Put right: {line.description} on {line.occurred_on:%-d %B} was a mistake, "
                                      "so it is not counted.", f"Why: {reason}" if reason else ""))
        return out + put_right

    def _put_right(self, line: Line) -> tuple[str, str, str]:
        """One sentence for a correction: netted out (same month) or what came back (a line of an earlier month)."""
        original = line.original
        reason = f"Why: {line.description}"
        when = f"{original.occurred_on:%-d %B}" if original is not None else "an earlier day"
        what = original.description if original is not None else "a line"
        effects = []
        if line.hours > 0:
            effects.append(f"you got {flex.fmt_hours(line.hours)} back")
        elif line.hours < 0:
            effects.append(f"{flex.fmt_hours(-line.hours)} added by mistake were taken off")
        if line.bank > 0:
            effects.append(f"{flex.fmt_hours(line.bank)} went back into your bank")
        elif line.bank < 0:
            effects.append(f"{flex.fmt_hours(-line.bank)} saved by mistake were taken out of your bank")
        if line.money > 0:
            effects.append(f"you got {flex.fmt_money(line.money)} back")
        elif line.money < 0:
            effects.append(f"{flex.fmt_money(-line.money)} added by mistake was taken off")
        if line.management:
            effects.append("the charge for organising your support was put right (it was never your money)")
        effect = (": " + " and ".join(effects)) if effects else ""
        return ("pencil", f"Put right: {what} on {when} was a mistake{effect}.", reason)

    def _week_end_how(self) -> str:
        bank_rule = self.fund.flex_rules.filter(active=True, kind="banking").first()
        if bank_rule is None:
            return "Your fund's rules do not save hours you do not use: they lapse at the end of the week."
        if bank_rule.limit_hours is None:
            return "Hours you do not use go to your bank at the end of the week."
        return (f"Hours you do not use go to your bank at the end of the week. Your bank holds at most "
                f"{flex.fmt_hours(bank_rule.limit_hours)}, so hours that do not fit lapse.")

    @property
    def unprintable(self) -> list[str]:
        """The characters of the statement's words that no font here can print (empty: it prints as written)."""
        from goldenthread.pdf import missing

        words = [self.fund.name, _name(self), str(self.fund.service), *self.rules]
        words += [w for line in self.lines for w in (line.description, line.with_whom, line.explanation)]
        return missing(" ".join(words))

    def _actual(self, line: Line) -> Decimal:
        return line.actual_hours if line.actual_hours is not None else -(line.hours + line.bank)

    @property
    def has_money(self) -> bool:
        """Whether money is part of this fund at all (an allocation, a conversion rule or a balance)."""
        return bool(self.fund.weekly_money or self.opening["money"] or self.closing["money"]
                    or any(line.money for line in self.lines)
                    or self.fund.flex_rules.filter(kind="conversion").exists())

    @property
    def has_bank(self) -> bool:
        return bool(self.opening["bank"] or self.closing["bank"] or any(line.bank for line in self.lines))

    @property
    def management_share(self) -> str:
        total = self.direct_cost + self.management_cost
        if not total:
            return "0%"
        return f"{(self.management_cost * 100 / total).quantize(Decimal('1'))}%"


def monthly_statement(fund: Fund, year: int, month: int) -> Statement:
    """The statement for one calendar month, checked against the ledger's sum.

    The costs count what happened this month: a line put right in the same month nets out with its correction,
    and a line of an earlier month put right now is counted apart, as support given back, so no cost is ever
    below nothing.
    """
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    opening = fund.balances(until=first - dt.timedelta(days=1))
    h, m, b = opening["hours"], opening["money"], opening["bank"]
    lines: list[Line] = []
    direct = management = delivered = put_right = declared = banked = lapsed = ZERO
    entries = fund.entries.filter(occurred_on__gte=first, occurred_on__lte=last).select_related("corrects", "fund")
    corrections = {c.corrects_id: c.occurred_on for c in fund.entries.filter(kind=EntryKind.CORRECTION)}
    for e in entries:
        h, m, b = h + e.hours, m + e.money, b + e.bank_hours
        netted = e.pk in corrections and first <= corrections[e.pk] <= last
        if e.kind == EntryKind.CORRECTION:
            original = e.corrects
            if original.occurred_on < first and original.category == Category.DIRECT:
                put_right += original.cost  # given back: shown apart, never as a negative cost
        elif not netted:
            if e.category == Category.MANAGEMENT:
                management += e.cost
            elif e.category == Category.DIRECT:
                direct += e.cost
            if e.kind == EntryKind.DELIVERED:
                delivered += e.actual_hours or ZERO
        if e.kind == EntryKind.ALLOCATION:
            declared += e.management
        if e.end_of_week and e.kind == EntryKind.BANKED:
            banked += e.bank_hours
        elif e.end_of_week and e.kind == EntryKind.LAPSED:
            lapsed += -e.hours
        picture = "moon" if e.band else FOR_KIND.get(e.kind, "clock")
        lines.append(Line(e.occurred_on, e.kind, e.get_kind_display(), e.description, e.with_whom, e.hours, e.money,
                          e.bank_hours, e.explanation, h, m, b, picture, actual_hours=e.actual_hours,
                          corrected=e.pk in corrections,
                          correction_of=f"{e.corrects.occurred_on:%-d %B}: {e.corrects.description}"
                          if e.corrects_id else "", netted=netted, end_of_week=e.end_of_week,
                          management=e.management, original=e.corrects if e.corrects_id else None, pk=e.pk))
    closing = {"hours": h, "money": m, "bank": b}
    check = fund.balances(until=last)
    if closing != check:  # never print a statement that does not add up
        raise AssertionError(f"Statement for {fund} {year}-{month:02d} does not match its ledger: {closing} != {check}")
    rules = [r.describe() for r in fund.rules()]
    if not fund.rules().filter(kind="banking").exists() and fund.weekly_hours:
        rules.append("Hours not used by the end of each week lapse: this fund does not save them.")
    return Statement(fund, year, month, opening, closing, lines, direct, management, delivered, rules,
                     management_declared=declared, management_left=fund.management_balance(until=last),
                     week_end_banked=banked, week_end_lapsed=lapsed, put_right_value=put_right)


# --- PDF ----------------------------------------------------------------------------------------------------------

def statement_pdf(statement: Statement, *, easy_read: bool = False) -> bytes:
    """The statement as an A4 PDF; ``easy_read`` gives large type, one line per thing, pictures named in words."""
    return _easy_pdf(statement) if easy_read else _standard_pdf(statement)


def _name(statement: Statement) -> str:
    return statement.fund.person.name if statement.fund.person else statement.fund.name


def _standard_pdf(statement: Statement) -> bytes:
    """Every ledger line of the month in a table (the header repeats on each page), then the totals."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    from goldenthread.pdf.layout import P, Para, base_font, document, style

    buf = io.BytesIO()
    doc = document(buf, pagesize=landscape(A4), margins=(15, 15, 15, 15),
                   title=f"{_name(statement)}: statement for {statement.title}")
    body = style("body", 10, leading=13)
    cell = style("cell", 9, leading=11)
    note = style("note", 9, leading=11, colour="#484949")
    h1 = style("h1", 18, bold=True, leading=22, spaceAfter=6)
    f, o, cl = statement.fund, statement.opening, statement.closing
    story = [P(f"{f.name}: statement for {statement.title}", h1),
             P(f"Person: {_name(statement)}. Service: {f.service}. Allocation: "
               f"{flex.fmt_hours(f.weekly_hours)} a week"
               + (f" and {flex.fmt_money(f.weekly_money)} a week" if f.weekly_money else "") + ".", body),
             Spacer(1, 4 * mm)]
    rows = [["Date", "What, and how it was worked out", "Hours", "Money", "Bank", "Hours left", "Money left",
             "Bank left"],
            ["", P("Start of the month", cell, bold=True), "", "", "", str(o["hours"]), str(o["money"]),
             str(o["bank"])]]
    for line in statement.lines:
        what = (markup(line.kind_label, bold=True) + markup(": " + line.description)
                + (markup(f" (with {line.with_whom})") if line.with_whom else "")
                + (" " + markup("[put right by a later line]", bold=True) if line.corrected else "")
                + (markup(f" ({line.correction_of})") if line.correction_of else ""))
        rows.append([f"{line.occurred_on:%-d %b}", [Para(what, cell), P(line.explanation, note)],
                     str(line.hours), str(line.money), str(line.bank), str(line.hours_left), str(line.money_left),
                     str(line.bank_left)])
    rows.append(["", P("End of the month", cell, bold=True), "", "", "", str(cl["hours"]), str(cl["money"]),
                 str(cl["bank"])])
    table = Table(rows, colWidths=[18 * mm, 129 * mm] + [21 * mm] * 6, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), base_font(True), 9), ("FONT", (0, 1), (-1, -1), base_font(), 9),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, HexColor("#b1b4b6")),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#f3f2f1")),
    ]))
    story += [table, Spacer(1, 4 * mm),
              P(f"Direct support this month: {flex.fmt_money(statement.direct_cost)} "
                f"({flex.fmt_hours(statement.hours_delivered)} of support). Management and service costs: "
                f"{flex.fmt_money(statement.management_cost)} ({statement.management_share} of the total), "
                f"paid from the provider's declared share ({flex.fmt_money(statement.management_declared)} "
                f"this month), never from the person's hours or money. "
                + statement.fund.describe_management(), body)]
    if statement.put_right_value:
        story.append(P(f"Put right from earlier months: {flex.fmt_money(statement.put_right_value)} of "
                       "support given back.", body))
    if statement.week_end_sentence:
        story.append(P(f"Unused hours at the ends of the weeks: {statement.week_end_sentence}.", body))
    if statement.rules:
        story.append(P("This fund's rules: " + " ".join(statement.rules), body))
    story.append(P("Every number comes from the fund's ledger, which keeps every line; a mistake is put "
                   "right by a new line that cancels it.", note))
    doc.build(story)
    return buf.getvalue()


def _easy_pdf(statement: Statement) -> bytes:
    """Large type, a few short sentences, and a picture beside each with the picture's meaning in words."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from goldenthread.pdf.easy_read import styles
    from goldenthread.pdf.layout import Para
    from goldenthread.pdf.pictograms import PICTURES, draw
    from goldenthread.pdf.text import clean

    buf = io.BytesIO()
    width, height = A4
    c = Canvas(buf, pagesize=A4, invariant=1)
    name = _name(statement)
    c.setTitle(clean(f"Easy read: {name}: statement for {statement.title}"))
    c.setAuthor("Golden Thread")
    margin = 18 * mm
    size = 18
    st = styles(size)
    body, small, heading = st["body"], st["small"], st["heading"]
    y = height - margin

    def para(text: str, style):
        nonlocal y
        p = Para(text, style)
        _, ph = p.wrap(width - 2 * margin, height)
        if y - ph < margin:
            c.showPage()
            y = height - margin
        p.drawOn(c, margin, y - ph)
        y -= ph + 6

    para(markup(f"{name}: your statement for {statement.title}", bold=True), heading)
    summary = [(picture, markup(sentence, bold=True)) for picture, sentence in statement.summary()]
    icon = 22 * mm
    for picture, text in summary + [(picture, markup(sentence) + (
            f"<br/><font size='{size * 0.8:.0f}'>{markup(how)}</font>" if how else ""))
            for picture, sentence, how in statement.easy_lines()]:
        p = Para(text, body)
        _, ph = p.wrap(width - 2 * margin - icon - 8 * mm, height)
        words = Para(markup(f"Picture: {PICTURES[picture].words}"), small)
        _, wh = words.wrap(icon + 6 * mm, height)
        block = max(ph, icon + wh + 2) + 5 * mm
        if y - block < margin:
            c.showPage()
            y = height - margin
        draw(c, picture, margin, y - icon, icon)
        words.drawOn(c, margin - 3 * mm, y - icon - wh - 1)
        p.drawOn(c, margin + icon + 8 * mm, y - ph)
        y -= block
    para(markup(" ".join(statement.spending_sentences)), body)
    if statement.rules:
        para(markup("Your fund's rules: " + " ".join(statement.rules)), body)
    para(markup("Made by Golden Thread. Every number comes from your fund's ledger; ask your provider to see it."),
         small)
    c.showPage()
    c.save()
    return buf.getvalue()
