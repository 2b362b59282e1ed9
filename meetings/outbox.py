"""Partner e-mails as an outbox: one row per message, written in the transaction that
publishes, sent by a job once it commits, retried with back-off; the secretary sees how it went.

The job never runs inside the publishing request's transaction (it is enqueued on commit), so a
mail server that is down costs the secretary no error page and loses no publication: the rows
wait, with the error, for the next attempt. Jobs run through django-tasks (settings.TASKS): in
the embedded setup in the enqueuing process right after the commit; in production in an RQ
worker, which also runs the deferred retries. `manage.py send_pending_mail` sends whatever is
due, whichever the backend (cron; the embedded setup's retries).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from meetings.models import MailDelivery, Meeting
from vru_governance.rules.formats import clock

logger = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, … failure; the failure after the last gives up.
BACKOFF_SECONDS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
# A row a job has taken is not due again for this long: a job that dies mid-send is retried.
LEASE = dt.timedelta(minutes=5)
# Rows one sweep takes at most (the next sweep takes the rest).
SWEEP_BATCH = 200

Status = MailDelivery.Status


def record(meeting: Meeting, kind: str, messages: Iterable[tuple[str, str, str]]) -> int:
    """Keep (to, subject, body) messages about a meeting and send them after the current
    transaction commits (now, outside any transaction). Returns how many were kept."""
    now = timezone.now()
    rows = MailDelivery.objects.bulk_create(
        MailDelivery(
            meeting=meeting, kind=kind, to=to, subject=subject, body=body, next_attempt_at=now
        )
        for to, subject, body in messages
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
    return len(ids)


def enqueue(ids: list[int], *, run_after: dt.datetime | None = None) -> None:
    """Queue the job that sends these rows. A queue that is down loses nothing: the rows are
    kept, and the next sweep sends them."""
    job = send_mail_deliveries
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return  # the embedded backend runs jobs at once: the sweep retries instead
        job = job.using(run_after=run_after)
    try:
        job.enqueue(ids)
    except Exception:
        logger.exception("Could not queue %d e-mail(s); the next sweep sends them.", len(ids))


@task()
def send_mail_deliveries(delivery_ids: list[int]) -> int:
    """The job: send these rows (those still due); return how many went."""
    return send(ids=delivery_ids)


def send(*, ids: list[int] | None = None, now: dt.datetime | None = None) -> int:
    """Send the due rows (of `ids`, or every due one): each failure is recorded with the time
    of the next attempt, or gives up after MAX_ATTEMPTS. Returns how many were sent."""
    now = now or timezone.now()
    rows = _claim(ids, now)
    if not rows:
        return 0
    sent, failed = 0, []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        failed = [(row, exc) for row in rows]
    else:
        try:
            for row in rows:
                message = EmailMessage(
                    row.subject,
                    row.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [row.to],
                    headers=row.headers or None,
                )
                try:
                    connection.send_messages([message])
                except Exception as exc:
                    failed.append((row, exc))
                else:
                    row.status, row.sent_at, row.last_error = Status.SENT, timezone.now(), ""
                    row.attempts += 1
                    row.next_attempt_at = row.sent_at
                    row.save(update_fields=_UPDATED)
                    sent += 1
        finally:
            try:
                connection.close()
            except Exception:  # a server gone mid-conversation: the sends are recorded
                logger.warning("The mail server connection did not close cleanly.")
    retry_at = [_failed(row, exc, now) for row, exc in failed]
    if failed:
        logger.warning(
            "E-mail to %d recipient(s) (meeting %s) failed: %s",
            len(failed),
            rows[0].meeting_id,
            failed[0][0].last_error,
        )
    waiting = [(row.pk, when) for (row, _), when in zip(failed, retry_at, strict=True) if when]
    if waiting:
        enqueue([pk for pk, _ in waiting], run_after=min(when for _, when in waiting))
    return sent


_UPDATED = ["status", "attempts", "last_error", "next_attempt_at", "sent_at"]


def _claim(ids: list[int] | None, now: dt.datetime) -> list[MailDelivery]:
    """Take the due rows in one UPDATE, stamping them with a lease of our own: of two jobs
    that meet on a row, only one sends it."""
    due = MailDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    else:
        due = due.filter(
            pk__in=list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH])
        )
    # A lease of this job alone: the time it ends, made distinct to the microsecond at random.
    lease = now + LEASE + dt.timedelta(microseconds=uuid.uuid4().int % 1_000_000)
    if not due.update(next_attempt_at=lease):
        return []
    return list(
        MailDelivery.objects.filter(status=Status.PENDING, next_attempt_at=lease).order_by("pk")
    )


def _failed(row: MailDelivery, exc: Exception, now: dt.datetime) -> dt.datetime | None:
    """Record a failed attempt; returns when the next one is due, or None after the last."""
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = Status.GAVE_UP, now
    else:
        row.next_attempt_at = now + dt.timedelta(seconds=BACKOFF_SECONDS[row.attempts - 1])
    row.save(update_fields=_UPDATED)
    return row.next_attempt_at if row.status == Status.PENDING else None


@transaction.atomic
def try_again(*, meeting: Meeting) -> int:
    """The secretary's "Try again": every unsent partner e-mail of the meeting is due now,
    with its attempts counted afresh. Returns how many."""
    rows = meeting.mail_deliveries.filter(kind__in=MailDelivery.PARTNER_KINDS).exclude(
        status=Status.SENT
    )
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        raise ValidationError("Every e-mail about this meeting has been sent.")
    rows.update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: enqueue(ids))
    return len(ids)


@dataclass(frozen=True)
class MailProgress:
    """How the e-mails of one kind about a meeting stand, for the secretary's page."""

    kind: str
    label: str
    sent: int
    waiting: int
    retrying: int
    gave_up: int
    last_error: str
    next_attempt_at: dt.datetime | None

    @property
    def failing(self) -> bool:
        return bool(self.retrying or self.gave_up)

    @property
    def unsent(self) -> int:
        return self.waiting + self.retrying + self.gave_up

    def sentence(self) -> str:
        def partners(n: int) -> str:
            return f"{n} partner{'s' if n != 1 else ''}"

        parts = []
        if self.gave_up:
            parts.append(
                f"e-mail to {partners(self.gave_up)} failed {MAX_ATTEMPTS} times and is no "
                "longer retried"
            )
        if self.retrying:
            when = timezone.localtime(self.next_attempt_at) if self.next_attempt_at else None
            parts.append(
                f"e-mail to {partners(self.retrying)} failed, retrying"
                + (f" at {clock(when.time())}" if when else "")
            )
        if self.waiting:
            parts.append(f"e-mail to {partners(self.waiting)} being sent")
        if self.sent:
            parts.append(f"sent to {partners(self.sent)}")
        text = "; ".join(parts)
        return f"{self.label}: {text}."


def progress(meeting: Meeting) -> list[MailProgress]:
    """The partners' e-mails about a meeting by kind: sent, waiting, retrying, given up (two
    queries). The public's alerts are retried by the sweep and not reported here."""
    partners_mail = meeting.mail_deliveries.filter(kind__in=MailDelivery.PARTNER_KINDS)
    counts = (
        partners_mail.values("kind")
        .annotate(
            sent=Count("pk", filter=Q(status=Status.SENT)),
            waiting=Count("pk", filter=Q(status=Status.PENDING, attempts=0)),
            retrying=Count("pk", filter=Q(status=Status.PENDING, attempts__gt=0)),
            gave_up=Count("pk", filter=Q(status=Status.GAVE_UP)),
        )
        .order_by("kind")
    )
    if not counts:
        return []
    failures: dict[str, MailDelivery] = {}
    for row in (
        partners_mail.exclude(status=Status.SENT).exclude(last_error="").order_by("next_attempt_at")
    ):
        failures.setdefault(row.kind, row)
    labels = dict(MailDelivery.Kind.choices)
    result = []
    for c in counts:
        failure = failures.get(c["kind"])
        result.append(
            MailProgress(
                kind=c["kind"],
                label=str(labels.get(c["kind"], c["kind"])),
                sent=c["sent"],
                waiting=c["waiting"],
                retrying=c["retrying"],
                gave_up=c["gave_up"],
                last_error=failure.last_error if failure else "",
                next_attempt_at=failure.next_attempt_at
                if failure and failure.status == Status.PENDING
                else None,
            )
        )
    return result
