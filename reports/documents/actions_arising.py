"""The actions-arising report: actions from earlier meetings, grouped by meeting, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import Action, ActionOwner, ActionUpdate
from meetings.models import Meeting
from reports.documents import records
from reports.documents.action_status import StatusAt, report_moment, statuses_at
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


def report_actions(meeting: Meeting, partners: bool = False) -> list[tuple[Action, StatusAt]]:
    """Actions of the body's earlier meetings that the report for this meeting lists, each
    with its status as it stood when the meeting's agenda was published (action_status.py)."""
    previous = meeting.previous()
    since = previous.date if previous else None
    owners = ActionOwner.objects.select_related("person").order_by("position", "pk")
    actions = (
        Action.objects.filter(
            meeting__body_id=meeting.body_id,
            meeting__date__lt=meeting.date,
            meeting__status__in=PARTNER_MINUTES if partners else PUBLIC_MINUTES,
            confirmed=True,
        )
        .select_related("meeting", "item")
        .prefetch_related(
            Prefetch("owners", queryset=owners),
            Prefetch("updates", queryset=ActionUpdate.objects.order_by("date", "pk")),
        )
        .order_by("-meeting__date", "item__position", "position", "pk")
    )
    actions = list(actions)
    statuses = statuses_at(actions, report_moment(meeting), body_id=meeting.body_id)
    return [(a, statuses[a.pk]) for a in actions if _listed(statuses[a.pk], since)]


def build_actions_arising(meeting: Meeting, partners: bool = False) -> ActionsArising:
    """Group the listed actions by their meeting, newest first, and mark the overdue ones."""
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
                owner=action.owners_display(),
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
