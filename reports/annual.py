"""The board's own picture (issue 18, capability 6): a body's year from its published records.

Only what the public may read counts: meetings whose agenda is published (for the notice given)
and meetings whose minutes are published (for attendance, composition, actions and decisions).
Every figure comes from a fixed number of queries, whatever the number of meetings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import CLOSED, Action, ActionUpdate
from meetings.models import AgendaItem, Attendance, Meeting

# The module, not the function: publication imports reports.services, which asks for this
# report's PDF when documents are frozen (reports/annual_pdf.py).
from meetings.services import publication
from members.models import Appointment, Body, Seat, TermsOfReference
from reports.published import AGENDA_PUBLIC_STATUSES, MINUTES_PUBLIC_STATUSES

# Without terms of reference in force, the notice the publication checklist asks for.
DEFAULT_NOTICE_DAYS = 5
PRESENT = {Attendance.Capacity.MEMBER, Attendance.Capacity.SUBSTITUTE}


@dataclass
class Bar:
    """One bar of a chart: a label, the count and the total it is out of (0: no total)."""

    label: str
    value: int
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0


@dataclass
class LateAgenda:
    meeting: Meeting
    clear_days: int
    notice_days: int


@dataclass
class AnnualReport:
    body: Body
    year: int
    meetings: list[Meeting] = field(default_factory=list)
    # The meetings of those whose minutes record attendance.
    attendance_meetings: list[Meeting] = field(default_factory=list)
    attendance_by_seat: list[Bar] = field(default_factory=list)
    attendance_by_person: list[Bar] = field(default_factory=list)
    composition: list[Bar] = field(default_factory=list)
    minimum_percent: int = 0
    actions: list[Bar] = field(default_factory=list)
    decisions: list[Bar] = field(default_factory=list)
    notice: list[Bar] = field(default_factory=list)
    late_agendas: list[LateAgenda] = field(default_factory=list)


def report_years(body: Body) -> list[int]:
    """The years with a meeting whose agenda is published, latest first (one query)."""
    dates = Meeting.objects.filter(body=body, status__in=AGENDA_PUBLIC_STATUSES).dates(
        "date", "year", order="DESC"
    )
    return [d.year for d in dates]


def _closed_on(action: Action) -> dt.date | None:
    """When a closed action was closed: its latest closing update (None if still open, or
    closed with no dated update, e.g. imported without its status log)."""
    if action.status not in CLOSED:
        return None
    return max((u.date for u in action.updates.all() if u.status in CLOSED), default=None)


def annual_report(*, body: Body, year: int) -> AnnualReport:
    """The year's figures for the body, from its published records only (eight queries)."""
    report = AnnualReport(body=body, year=year)
    agendas = list(
        Meeting.objects.filter(body=body, date__year=year, status__in=AGENDA_PUBLIC_STATUSES)
        .select_related("body")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("person")),
            Prefetch("items", queryset=AgendaItem.objects.order_by("position", "pk")),
        )
        .order_by("date", "start_time", "pk")
    )
    versions = list(
        TermsOfReference.objects.filter(body=body).prefetch_related("seats").order_by("pk")
    )
    appointments = list(
        Appointment.objects.filter(body=body).select_related("person").order_by("start", "pk")
    )
    minuted = [m for m in agendas if m.status in MINUTES_PUBLIC_STATUSES]
    report.meetings = minuted

    # Papers published late against the notice rule of the terms in force on the meeting date.
    # Records imported without the moment of publication cannot say: they are counted apart.
    on_time = undated = 0
    for meeting in agendas:
        if meeting.agenda_published_at is None:
            undated += 1
            continue
        terms = TermsOfReference.in_force_among(versions, meeting.date)
        notice = terms.agenda_notice_days if terms else DEFAULT_NOTICE_DAYS
        days = publication.clear_days(timezone.localdate(meeting.agenda_published_at), meeting.date)
        if days >= notice:
            on_time += 1
        else:
            report.late_agendas.append(LateAgenda(meeting, days, notice))
    report.notice = [
        Bar("Published with the notice asked", on_time, len(agendas)),
        Bar("Published late", len(report.late_agendas), len(agendas)),
        Bar("Publication date not recorded", undated, len(agendas)),
    ]

    # Attendance and composition, meeting by meeting: the members appointed on the date are
    # expected; a member counts as present when they, or a named substitute, attended.
    seat_seen: Counter[str] = Counter()
    seat_expected: Counter[str] = Counter()
    seat_labels: dict[str, str] = {}
    seat_order: dict[str, int] = {}
    seats = {t.pk: t.seat_by_key() for t in versions}

    def seats_of(terms: TermsOfReference) -> dict[str, Seat]:
        return seats[terms.pk]

    person_seen: Counter[int] = Counter()
    person_expected: Counter[int] = Counter()
    names: dict[int, str] = {}
    for meeting in minuted:
        terms = TermsOfReference.in_force_among(versions, meeting.date)
        active = [a for a in appointments if a.is_active_on(meeting.date)]
        present = {
            a.on_behalf_of_id if a.capacity == Attendance.Capacity.SUBSTITUTE else a.person_id
            for a in meeting.attendance.all()
            if a.capacity in PRESENT
        }
        # Minutes that record no attendance at all say nothing of who came: not all absent.
        recorded = bool(meeting.attendance.all())
        if recorded:
            report.attendance_meetings.append(meeting)
        for appointment in active if recorded else []:
            seat = appointment.seat_key
            if terms is not None and seat in seats_of(terms):
                seat_labels.setdefault(seat, seats_of(terms)[seat].label)
                seat_order.setdefault(seat, seats_of(terms)[seat].position)
            seat_expected[seat] += 1
            person_expected[appointment.person_id] += 1
            names[appointment.person_id] = appointment.person.name
            if appointment.person_id in present:
                seat_seen[seat] += 1
                person_seen[appointment.person_id] += 1
        if terms is not None:
            composition = terms.composition_of(active)
            report.minimum_percent = round(100 * composition.minimum)
            report.composition.append(
                Bar(f"{meeting.date:%-d %B %Y}", composition.community, composition.members)
            )
    report.attendance_by_seat = [
        Bar(seat_labels.get(k, k), seat_seen[k], seat_expected[k])
        for k in sorted(seat_expected, key=lambda k: (seat_order.get(k, 1_000), k))
    ]
    report.attendance_by_person = sorted(
        (Bar(names[p], person_seen[p], person_expected[p]) for p in person_expected),
        key=lambda b: b.label,
    )

    # Actions raised at the year's meetings with published minutes, closed by their deadline.
    actions = list(
        Action.objects.filter(meeting__in=minuted, confirmed=True).prefetch_related(
            Prefetch("updates", queryset=ActionUpdate.objects.order_by("date", "pk"))
        )
    )
    closed = [a for a in actions if a.status in CLOSED]
    # Whether an action closed on time needs the dated update that closed it.
    dated = [(a, _closed_on(a)) for a in closed]
    report.actions = [
        Bar("Raised", len(actions), len(actions)),
        Bar("Closed", len(closed), len(actions)),
        Bar(
            "Closed by the deadline",
            sum(1 for a, on in dated if on and a.deadline and on <= a.deadline),
            sum(1 for a, on in dated if on and a.deadline),
        ),
        Bar("Closed, date not recorded", sum(1 for _, on in dated if on is None), len(closed)),
    ]

    # Decisions by outcome, as recorded in the published minutes.
    outcomes = Counter(i.outcome for m in minuted for i in m.items.all() if i.outcome)
    total = sum(outcomes.values())
    report.decisions = [
        Bar(label, outcomes[value], total) for value, label in AgendaItem.Outcome.choices
    ]
    return report


# Charts: the geometry of server-rendered SVG bars, shared by the page and the PDF. ------

# The chart's geometry, in SVG user units: a label column, then the bars.
LABEL_WIDTH = 260
BAR_WIDTH = 300
ROW_HEIGHT = 24


@dataclass
class ChartRow:
    bar: Bar
    y: int
    width: int
    text_y: int


@dataclass
class Chart:
    """A horizontal bar chart: each bar's length is its share of its total (or of the
    largest value when the bars have no total)."""

    id: str
    title: str
    rows: list[ChartRow]
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    marker_x: int | None = None


def chart(id: str, title: str, bars: list[Bar], *, marker_percent: int | None = None) -> Chart:
    largest = max((b.value for b in bars), default=0) or 1
    rows = []
    for index, bar in enumerate(bars):
        scale = bar.total or largest
        y = index * ROW_HEIGHT + 4
        rows.append(ChartRow(bar, y, round(BAR_WIDTH * bar.value / scale), y + 14))
    marker = LABEL_WIDTH + round(BAR_WIDTH * marker_percent / 100) if marker_percent else None
    return Chart(id, title, rows, len(bars) * ROW_HEIGHT + 8, marker_x=marker)


def charts(report: AnnualReport) -> list[Chart]:
    return [
        chart("attendance-seat", "Attendance by seat", report.attendance_by_seat),
        chart("attendance-person", "Attendance by person", report.attendance_by_person),
        chart(
            "composition",
            "Community members at each meeting",
            report.composition,
            marker_percent=report.minimum_percent,
        ),
        chart("actions", "Actions raised and closed", report.actions),
        chart("decisions", "Decisions by outcome", report.decisions),
        chart("notice", "Agendas published with the notice asked", report.notice),
    ]
