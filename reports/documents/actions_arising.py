"""The actions-arising report: actions from earlier meetings, grouped by meeting, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from html import escape  # Django's escape is this, made lazy and marked safe: slower
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.models import Action, ActionOwner, ActionUpdate, join_names
from meetings.models import AgendaItem, Meeting
from reports.documents import records
from reports.documents.action_status import UPDATES, StatusAt, report_moment, statuses_at
from reports.documents.minutes import masthead
from reports.documents.render import Correction, Metadata, Rendered, render_pdf
from vru_governance.rules.formats import short_date


@dataclass
class Row:
    """One row of the seed's table: Agenda Item, Action, Deadline, Status, Owner."""

    item: str
    action: str
    deadline: str
    status: str
    owner: str
    overdue: bool


@dataclass
class Group:
    """The actions that came from one earlier meeting."""

    number: int
    heading: str
    meeting: Meeting
    rows: list[Row]

    @property
    def rows_html(self) -> SafeString:
        """The table's rows, as the template's loop wrote them (byte for byte: the parts'
        cache keys stay the same), in Python: a decade's report has thousands of rows, and
        the loop took 65 ms of each of the five times a publication prints the report."""
        out = []
        for row in self.rows:
            overdue = ' class="overdue"' if row.overdue else ""
            flag = '<span class="overdue-flag">Overdue</span>' if row.overdue else ""
            out.append(
                f"\n      <tr{overdue}><td>{escape(row.item)}</td><td>{escape(row.action)}</td>"
                f"<td>{flag}{escape(row.deadline)}</td><td>{escape(row.status)}</td>"
                f"<td>{escape(row.owner)}</td></tr>\n      "
            )
        # Every value above is escaped; the markup is ours.
        return mark_safe("".join(out))  # nosec B703, B308


@dataclass
class ActionsArising:
    """The report for one meeting, as of a date (the meeting date, or today if sooner)."""

    meeting: Meeting
    body_name: str
    masthead: str
    running: str
    rows: list[tuple[str, str]]
    groups: list[Group]
    as_of: dt.date
    overdue_count: int


def _listed(status: StatusAt, since: dt.date | None) -> bool:
    """Still open, or closed since the previous meeting (or at a date the log does not say)."""
    if not status.closed:
        return True
    closed_on = status.closed_on
    return closed_on is None or since is None or closed_on >= since


# Whose minutes an action may be reported from: the public reads only published minutes;
# partners also those circulated to them (DESIGN: "sees draft minutes once circulated").
PUBLIC_MINUTES = Meeting.MINUTES_PUBLIC_STATUSES
PARTNER_MINUTES = Meeting.MINUTES_CIRCULATED_STATUSES
OWNERS = "listed_owners"  # the owners' names, in order


def report_actions(meeting: Meeting, partners: bool = False) -> list[tuple[Action, StatusAt]]:
    """Actions of the body's earlier meetings that the report for this meeting lists, each
    with its status as it stood when the meeting's agenda was published (action_status.py).

    The public's report lists those of the partners' whose meeting's minutes are published;
    within reports_reused() the partners' list is read once for both."""
    built = _BUILT.get()
    key = ("actions", meeting.pk, meeting.status, timezone.localdate())
    listed = built.get(key) if built is not None else None
    if listed is None:
        listed = _partners_actions(meeting)
        if built is not None:
            built[key] = listed
    if partners:
        return listed
    return [(a, status) for a, status in listed if a.meeting.status in PUBLIC_MINUTES]


def _partners_actions(meeting: Meeting) -> list[tuple[Action, StatusAt]]:
    previous = meeting.previous()
    since = previous.date if previous else None
    # A decade's report reads thousands of actions: their meetings and items are read once
    # each (not one copy per action), their owners as names, their updates into plain lists
    # (to_attr), all of which cost more than the queries when made per action.
    reported = Q(
        meeting__body_id=meeting.body_id,
        meeting__date__lt=meeting.date,
        meeting__status__in=PARTNER_MINUTES,
        confirmed=True,
    )
    actions = (
        Action.objects.filter(reported)
        .prefetch_related(
            Prefetch(
                "updates", queryset=ActionUpdate.objects.order_by("date", "pk"), to_attr=UPDATES
            ),
        )
        .order_by("-meeting__date", "item__position", "position", "pk")
    )
    actions = list(actions)
    meetings = Meeting.objects.order_by().in_bulk({a.meeting_id for a in actions})
    items = AgendaItem.objects.order_by().in_bulk({a.item_id for a in actions if a.item_id})
    names: dict[int, list[str]] = {}
    owners = (
        ActionOwner.objects.filter(action__in=Action.objects.filter(reported))
        .order_by("position", "pk")
        .values_list("action_id", "person__name", "role")
    )
    for action_id, name, role in owners:
        names.setdefault(action_id, []).append(name if name is not None else role)
    for action in actions:
        action.meeting = meetings[action.meeting_id]
        action.item = items.get(action.item_id) if action.item_id else None
        setattr(action, OWNERS, names.get(action.pk, []))
    statuses = statuses_at(actions, report_moment(meeting), body_id=meeting.body_id)
    return [(a, statuses[a.pk]) for a in actions if _listed(statuses[a.pk], since)]


# Set by reports_reused(): what was already read and built, by meeting, status and day.
_BUILT: ContextVar[dict[tuple, Any] | None] = ContextVar("built", default=None)


@contextmanager
def reports_reused() -> Iterator[None]:
    """Within, each meeting's report is built once per audience: a freeze prints the public
    one in the pack and on its own, while holding the meeting's lock (nothing changes)."""
    token = _BUILT.set({})
    try:
        yield
    finally:
        _BUILT.reset(token)


def build_actions_arising(meeting: Meeting, partners: bool = False) -> ActionsArising:
    """Group the listed actions by their meeting, newest first, and mark the overdue ones."""
    built = _BUILT.get()
    key = ("report", meeting.pk, partners, meeting.status, timezone.localdate())
    if built is not None and key in built:
        return built[key]
    report = _build(meeting, partners)
    if built is not None:
        built[key] = report
    return report


def _build(meeting: Meeting, partners: bool) -> ActionsArising:
    as_of = min(timezone.localdate(), meeting.date)
    groups: list[Group] = []
    for action, status in report_actions(meeting, partners=partners):
        origin = action.meeting
        if not groups or groups[-1].meeting.pk != origin.pk:
            groups.append(
                Group(
                    number=3 + len(groups),
                    heading=f"Actions Arising from the Meeting of {short_date(origin.date)}",
                    meeting=origin,
                    rows=[],
                )
            )
        item = f"{action.item.number}. {action.item.title}" if action.item else ""
        groups[-1].rows.append(
            Row(
                item=item,
                action=action.description,
                deadline=action.deadline_display(),
                status=status.display(),
                owner=join_names(getattr(action, OWNERS)),
                overdue=not status.closed
                and action.deadline is not None
                and action.deadline < as_of,
            )
        )
    body = meeting.body
    author = records.contact_officer(meeting)
    rows = [
        ("Date of meeting:", short_date(meeting.date)),
        ("Title of report:", "Actions Arising from Previous Meetings"),
    ]
    if author:
        rows.append(("Report author:", author))
    rows.append(("Classification:", "Public"))
    return ActionsArising(
        meeting=meeting,
        body_name=body.name,
        masthead=masthead(body),
        running=f"{body.name}\n{short_date(meeting.date)} — Actions Arising",
        rows=rows,
        groups=groups,
        as_of=as_of,
        overdue_count=sum(row.overdue for group in groups for row in group.rows),
    )


def actions_arising_metadata(report: ActionsArising) -> Metadata:
    return Metadata(
        title=f"Actions arising: {report.body_name}, {short_date(report.meeting.date)}",
        author=report.body_name,
        subject="Actions arising from previous meetings, reported to the meeting of "
        f"{short_date(report.meeting.date)}",
        keywords=("actions arising", report.meeting.key),
    )


def render_actions_arising(
    meeting: Meeting, *, correction: Correction | None = None, draft: bool | None = None
) -> Rendered:
    """The actions-arising report as a PDF of its own: marked DRAFT while the agenda is not
    published, unless `draft` says (rendered ahead as it will be published)."""
    report = build_actions_arising(meeting)
    draft = not meeting.agenda_is_public if draft is None else draft
    return render_pdf(
        "reports/pdf/actions_arising.html",
        {"report": report, "correction": correction, "draft": draft},
        actions_arising_metadata(report),
    )
