"""The job rendering ahead the parts a meeting's packs generate from the records.

The last meeting's minutes and the actions-arising report do not change when the agenda is
published, so they are rendered before (reports/documents/ahead.py): when a paper of the
meeting is saved (with its own parts, reports/publishing.py) and when the minutes of the
meeting before it are frozen, which is when its minutes part takes its final form. Publishing
then only stitches, numbers and freezes. An optimisation only (DOCUMENTS_RENDER_AHEAD, off in
the tests): whatever is missing is rendered by the publication job.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django_tasks import task

from meetings.models import Meeting
from reports.documents.ahead import render_generated_ahead

logger = logging.getLogger(__name__)


def render_meeting_ahead(meeting: Meeting) -> None:
    """Once the current transaction commits, queue the job rendering the meeting's generated
    parts (only with DOCUMENTS_RENDER_AHEAD)."""
    if not getattr(settings, "DOCUMENTS_RENDER_AHEAD", False):
        return
    pk = meeting.pk
    transaction.on_commit(lambda: _enqueue(pk))


def next_draft(meeting: Meeting) -> Meeting | None:
    """The body's next meeting after this one whose agenda is still a draft (one query)."""
    return (
        Meeting.objects.filter(
            body_id=meeting.body_id, date__gt=meeting.date, status=Meeting.Status.DRAFT
        )
        .order_by("date", "start_time", "pk")
        .first()
    )


def minutes_frozen(meeting: Meeting) -> None:
    """The meeting's minutes were frozen: the next draft agenda prints them (and the actions
    they raised), so its generated parts are rendered ahead."""
    if not getattr(settings, "DOCUMENTS_RENDER_AHEAD", False):
        return
    following = next_draft(meeting)
    if following is not None:
        render_meeting_ahead(following)


def _enqueue(meeting_id: int) -> None:
    try:
        render_meeting_ahead_job.enqueue(meeting_id)
    except Exception:  # an optimisation: publishing renders what is missing
        logger.warning("Could not queue the parts of meeting %s", meeting_id, exc_info=True)


@task()
def render_meeting_ahead_job(meeting_id: int) -> int:
    """The job: the meeting's generated parts into the part cache; how many were rendered."""
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or meeting.agenda_is_public:
        return 0  # published meanwhile: its documents are frozen
    return render_generated_ahead(meeting)
