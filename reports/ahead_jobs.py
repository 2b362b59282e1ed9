"""The job rendering ahead the parts a meeting's packs generate from the records.

The last meeting's minutes and the actions-arising report do not change when the agenda is
published, so they are rendered before (reports/documents/ahead.py): when a paper of the
meeting is saved (with its own parts, reports/publishing.py) and when the minutes of the
meeting before it are frozen, which is when its minutes part takes its final form. Publishing
then only stitches, numbers and freezes. The same jobs then join the meeting's documents as
they will be published (reports.services.join_ahead), so that publishing stores them as they
were joined; saves in a row join once, in the last job queued (its `turn`). An optimisation
only (DOCUMENTS_RENDER_AHEAD, off in the tests): whatever is missing is rendered, and joined,
by the publication job.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from meetings.models import Meeting
from reports.documents.ahead import render_generated_ahead

logger = logging.getLogger(__name__)


def _turn_key(meeting_id: int) -> str:
    return f"documents:ahead-turn:{meeting_id}"


def latest_turn(meeting_id: int) -> str:
    """A new turn for the meeting's documents to be joined ahead: a job queued with an
    earlier turn leaves the joining to the one queued with this (saves in a row join once)."""
    turn = uuid.uuid4().hex
    try:
        cache.set(_turn_key(meeting_id), turn, 24 * 3600)
    except Exception:  # noqa: BLE001 — without the cache, every job joins
        return ""
    return turn


def is_latest_turn(meeting_id: int, turn: str) -> bool:
    """Whether a job queued with `turn` is the last queued for the meeting (or cannot tell)."""
    if not turn:
        return True
    try:
        return cache.get(_turn_key(meeting_id)) in (None, turn)
    except Exception:  # noqa: BLE001
        return True


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
        render_meeting_ahead_job.enqueue(meeting_id, latest_turn(meeting_id))
    except Exception:  # an optimisation: publishing renders what is missing
        logger.warning("Could not queue the parts of meeting %s", meeting_id, exc_info=True)


@task()
def render_meeting_ahead_job(meeting_id: int, turn: str = "") -> int:
    """The job: the meeting's generated parts into the part cache (how many were rendered),
    then its documents joined as they will be published, unless a later job will."""
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None or meeting.agenda_is_public:
        return 0  # published meanwhile: its documents are frozen
    rendered = render_generated_ahead(meeting)
    join_if_last(meeting, turn)
    return rendered


def join_if_last(meeting: Meeting, turn: str) -> None:
    """Join the meeting's documents ahead (services.join_ahead) unless a job queued after the
    one holding `turn` will; a join that fails is only logged (publishing joins what is
    missing)."""
    # Imported here: reports.services, which freezes, imports this module to queue the job.
    from reports import services

    if not is_latest_turn(meeting.pk, turn):
        return
    try:
        services.join_ahead(meeting)
    except Exception:  # an optimisation: publishing joins what is missing
        logger.warning("Could not join meeting %s's documents ahead", meeting.pk, exc_info=True)
