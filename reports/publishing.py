"""Publishing an agenda as a job, and papers' parts rendered ahead by a job when saved.

The Publish button (request_publication) checks the checklist under the meeting's lock,
records what was asked in a Publication row and enqueues the job when that commits: the
request renders nothing. The job (run) first tries to publish from the part cache alone: when
the documents were joined ahead (the job a saved paper enqueues joins them as they will be
published), it stores them as they were joined. Otherwise (something changed since, or
nothing was rendered ahead) that attempt is rolled back and the job renders, with no
transaction open, the parts of both packs the part cache does not hold, the row counting them
for the secretary's page; then it publishes through
meetings.services.publication.publish_agenda in one short transaction, which checks
everything again, keeps the acknowledgements, freezes the documents (stitching, numbering
and storing cached parts) and records the partners' e-mails, sent by their own job once it
commits. A failure is kept on the row and shown with "Try again"; so is a job that stopped
moving (its worker died: the render processes die with it).

Jobs run through django-tasks (settings.TASKS): a thread of the web process in the embedded
setup, an RQ worker in production, at once in the tests.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from meetings.models import Meeting
from meetings.services.publication import check_publishable, publish_agenda
from reports.ahead_jobs import join_if_last, latest_turn
from reports.documents.ahead import meeting_part_jobs, render_ahead, render_generated_ahead
from reports.documents.ahead import render_paper_ahead as render_paper_ahead_now
from reports.documents.parts import PartsMissing, cached_only
from reports.models import Paper, Publication

logger = logging.getLogger(__name__)

State = Publication.State
# An open publication whose row has not moved for this long lost its job: offered again.
STALLED_AFTER = dt.timedelta(minutes=10)


def latest(meeting: Meeting) -> Publication | None:
    """The meeting's newest publication, if one was asked for."""
    return meeting.publications.order_by("-requested_at", "-pk").first()


def is_stalled(publication: Publication, now: dt.datetime | None = None) -> bool:
    """Open, and not moved for STALLED_AFTER: its job died or was lost."""
    now = now or timezone.now()
    return publication.state in Publication.OPEN_STATES and (
        now - publication.updated_at > STALLED_AFTER
    )


@transaction.atomic
def request_publication(
    meeting: Meeting,
    user: User | None,
    acknowledgements: dict[str, str],
    *,
    base_url: str = "",
    published_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Publication:
    """Check the agenda may be published with these acknowledgements, record the request and
    enqueue the job that publishes it once this commits. Raises ValidationError."""
    locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if locked.publications.filter(state__in=Publication.OPEN_STATES).exists():
        raise ValidationError(
            "The agenda is already being published: this page shows how far it has gone."
        )
    check_publishable(locked, acknowledgements, today=today, published_on=published_on)
    publication = Publication(
        meeting=locked,
        requested_by=user if user is not None and user.pk else None,
        acknowledgements={k: v.strip() for k, v in acknowledgements.items() if v.strip()},
        published_on=published_on,
        base_url=base_url,
    )
    publication.full_clean()
    publication.save()
    transaction.on_commit(lambda: enqueue(publication.pk))
    return publication


@transaction.atomic
def try_again(publication: Publication) -> Publication:
    """Queue a failed (or stalled) publication again, with what was asked the first time."""
    row = Publication.objects.select_for_update().get(pk=publication.pk)
    if row.state == State.DONE:
        raise ValidationError("The agenda is already published.")
    if row.state != State.FAILED and not is_stalled(row):
        raise ValidationError("The agenda is being published: this page shows how far it has gone.")
    row.state, row.error, row.done, row.total = State.QUEUED, "", 0, 0
    row.save()
    transaction.on_commit(lambda: enqueue(row.pk))
    return row


def enqueue(publication_id: int) -> None:
    """Queue the job; a queue that cannot be reached is recorded as a failure to try again."""
    try:
        publish_job.enqueue(publication_id)
    except Exception:
        logger.exception("Could not queue publication %s", publication_id)
        _set(
            publication_id,
            state=State.FAILED,
            error="The job queue could not be reached, so nothing was published. Try again.",
        )


@task()
def publish_job(publication_id: int) -> str:
    """The job: render what is missing, then publish; returns the publication's state."""
    return run(publication_id)


def run(publication_id: int) -> str:
    """Publish as asked: a publication not waiting (taken by another job, done) is left."""
    taken = Publication.objects.filter(pk=publication_id, state=State.QUEUED).update(
        state=State.RENDERING,
        attempts=F("attempts") + 1,
        done=0,
        total=0,
        updated_at=timezone.now(),
    )
    if not taken:
        return "not queued"
    publication = Publication.objects.select_related("meeting__body", "requested_by").get(
        pk=publication_id
    )
    meeting = publication.meeting

    def publish() -> None:
        publish_agenda(
            meeting,
            publication.requested_by,
            publication.acknowledgements,
            base_url=publication.base_url,
            published_on=publication.published_on,
        )

    try:
        ahead = getattr(settings, "DOCUMENTS_RENDER_AHEAD", False)
        stored = False
        if ahead:
            # First from the cache alone: documents joined ahead (services.join_ahead) are
            # stored as they were joined. Anything missing rolls that attempt back, before
            # anything was stored, and is rendered below without the lock.
            _set(publication_id, state=State.FREEZING)
            try:
                with cached_only():
                    publish()
                stored = True
            except PartsMissing:
                _set(publication_id, state=State.RENDERING)
        if not stored:
            if ahead:
                # Outside any transaction: the lock below is held only to stitch and store.
                render_ahead(
                    meeting_part_jobs(meeting),
                    on_progress=lambda done, total: _set(publication_id, done=done, total=total),
                )
            _set(publication_id, state=State.FREEZING)
            publish()
    except ValidationError as exc:
        _set(publication_id, state=State.FAILED, error=" ".join(exc.messages))
        return State.FAILED
    except Exception as exc:
        logger.exception("Publication %s of meeting %s failed", publication_id, meeting.pk)
        _set(
            publication_id,
            state=State.FAILED,
            error=f"The documents could not be made ({type(exc).__name__}), so nothing was "
            "published. Try again; if it fails again, the error is in the site's log.",
        )
        return State.FAILED
    _set(publication_id, state=State.DONE)
    return State.DONE


def _set(publication_id: int, **fields: object) -> None:
    """Move the row at once, outside any transaction of the job's (the page polls it)."""
    now = timezone.now()
    if fields.get("state") in (State.DONE, State.FAILED):
        fields["finished_at"] = now
    Publication.objects.filter(pk=publication_id).update(updated_at=now, **fields)


# Parts rendered and documents joined ahead ----------------------------------------------------


def render_paper_ahead(paper: Paper) -> None:
    """Once the current transaction commits, queue the job rendering the paper's parts and
    joining its meeting's documents as they will be published (DOCUMENTS_RENDER_AHEAD; off in
    the tests, where it would render on every save)."""
    if not getattr(settings, "DOCUMENTS_RENDER_AHEAD", False):
        return
    pk = paper.pk
    meeting_id = Paper.objects.filter(pk=pk).values_list("item__meeting_id", flat=True).first()
    transaction.on_commit(lambda: _enqueue_paper(pk, meeting_id))


def _enqueue_paper(paper_id: int, meeting_id: int | None) -> None:
    try:
        render_paper_job.enqueue(paper_id, latest_turn(meeting_id) if meeting_id else "")
    except Exception:  # an optimisation: publishing renders what is missing
        logger.warning("Could not queue the parts of paper %s", paper_id, exc_info=True)


@task()
def render_paper_job(paper_id: int, turn: str = "") -> int:
    """The job: the paper's parts of the public and partners' packs, and the parts its
    meeting's packs generate from the records (reports/ahead_jobs.py), into the part cache;
    then, unless a later save queued its own job (`turn`), the meeting's documents joined as
    they will be published (services.join_ahead). Returns how many parts it rendered."""
    paper = Paper.objects.select_related("item__meeting__body").filter(pk=paper_id).first()
    if paper is None:
        return 0
    meeting = paper.item.meeting
    rendered = render_paper_ahead_now(paper)
    if not meeting.agenda_is_public:
        rendered += render_generated_ahead(meeting)
        join_if_last(meeting, turn)
    return rendered
