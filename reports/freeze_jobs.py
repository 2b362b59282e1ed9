"""Documents of a published meeting that were never frozen, frozen by a job when first asked.

Publishing freezes every document (reports/services.py); records imported as published (the
importer stores none), and a supplement added since, have none yet. A reader asking for one
gets "being prepared" while this job freezes it once, as publishing would have: from then on
every request serves the same stored bytes, and none renders.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import task

from meetings.models import Meeting
from reports.models import Paper, StoredDocument
from reports.services import freeze_documents

logger = logging.getLogger(__name__)

# A job asked for and not finished within this is taken as lost: it may be asked for again.
QUEUED_SECONDS = 10 * 60


def queued_key(meeting_id: int, kind: str, paper_id: int | None) -> str:
    return f"freeze-queued:{meeting_id}:{kind}:{paper_id or ''}"


def ask_to_freeze(meeting: Meeting, kind: str, paper: Paper | None = None) -> None:
    """Once the current transaction commits, queue the job freezing the meeting's document
    of this kind (a paper's copies when given), unless one is queued already."""
    meeting_id, paper_id, value = meeting.pk, paper.pk if paper is not None else None, str(kind)
    transaction.on_commit(lambda: _enqueue(meeting_id, value, paper_id))


def _enqueue(meeting_id: int, kind: str, paper_id: int | None) -> None:
    key = queued_key(meeting_id, kind, paper_id)
    try:
        if not cache.add(key, 1, QUEUED_SECONDS):
            return
    except Exception:  # noqa: BLE001 — the cache only saves queuing the same job twice
        logger.warning("Cache unavailable: queuing the freeze job", exc_info=True)
    try:
        freeze_job.enqueue(meeting_id, kind, paper_id)
    except Exception:  # the next reader asks again
        logger.warning("Could not queue freezing %s of meeting %s", kind, meeting_id, exc_info=True)
        _forget(key)


def _forget(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001 — it expires by itself
        logger.warning("Cache unavailable", exc_info=True)


@task()
def freeze_job(meeting_id: int, kind: str, paper_id: int | None = None) -> int:
    """The job: freeze what is missing (nothing when it is stored meanwhile); how many
    documents the meeting then has of that kind."""
    try:
        meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
        papers = None
        if kind == StoredDocument.Kind.PAPER:
            papers = list(Paper.objects.filter(pk=paper_id, item__meeting=meeting))
        return len(freeze_documents(meeting, [kind], papers=papers))
    except (Meeting.DoesNotExist, ValidationError) as exc:
        # Unpublished or removed meanwhile: nothing to freeze, the reader is told so.
        logger.warning("Not frozen: %s of meeting %s (%s)", kind, meeting_id, exc)
        return 0
    finally:
        _forget(queued_key(meeting_id, kind, paper_id))
