"""The lifecycle of summary minutes: draft → circulated → approved → published, each step
taken now (partners e-mailed where they are told) or recorded as history on the dates typed.

Each step is one transaction, raises ValidationError and takes the meeting's row lock first.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetings import alerts, notifications
from meetings.models import AgendaItem, Dissent, Meeting, MinuteParagraph
from meetings.services import history, publication

Status = Meeting.Status


def refuse_unfitting_decisions(meeting: Meeting) -> None:
    """Every item's outcome fits its reservations (vru_governance/rules/decisions.py) before
    the minutes leave the secretary: a reservation removed since the outcome was saved, or
    an admin edit, is caught here (one query)."""
    items = meeting.items.annotate(
        reservations=Count("dissents", filter=Q(dissents__kind=Dissent.Kind.RESERVATION))
    )
    errors = []
    for item in items:
        try:
            item.check_reservations(item.reservations)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def circulate_minutes(
    meeting: Meeting,
    user: User | None,
    *,
    base_url: str = "",
    circulated_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """Circulate the draft minutes to partners for comment (partners are emailed). With
    `circulated_on` the circulation is recorded as history: dated that day, no one e-mailed."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status != Status.MINUTES_DRAFT:
        raise ValidationError(
            "Only draft minutes can be circulated; the meeting's status is "
            f"{meeting.get_status_display()}."
        )
    history.require_date_for_history(
        "circulated_on", "the minutes were circulated", circulated_on, meeting.recorded_as_history
    )
    if circulated_on is not None:
        history.check_entered_date(
            "circulated_on",
            "the minutes were circulated",
            circulated_on,
            not_before=meeting.date,
            not_before_what="the meeting",
            today=today,
        )
    if not MinuteParagraph.objects.filter(item__meeting=meeting).exists():
        raise ValidationError("The minutes have no paragraphs yet.")
    refuse_unfitting_decisions(meeting)
    unconfirmed = meeting.actions.filter(confirmed=False).count()
    if unconfirmed:
        raise ValidationError(
            f"{unconfirmed} action{'s' if unconfirmed != 1 else ''} from 'Action:' lines "
            f"{'are' if unconfirmed != 1 else 'is'} not confirmed: confirm or discard "
            f"{'them' if unconfirmed != 1 else 'it'} first."
        )
    meeting.status = Status.MINUTES_CIRCULATED
    meeting.version += 1
    if circulated_on is not None:
        meeting.minutes_circulated_at = history.stamp(circulated_on)
        meeting.save()
        return meeting
    meeting.minutes_circulated_at = timezone.now()
    meeting.save()
    # Written in this transaction, sent by a job once it commits (meetings/outbox.py).
    notifications.notify_minutes_circulated(meeting, base_url)
    return meeting


def approving_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """The meetings that may approve a meeting's minutes: every later meeting of its body
    that was not cancelled, whether or not its agenda has a 'Minutes of last meeting' item."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, date__gt=meeting.date)
        .exclude(status=Status.CANCELLED)
        .order_by("date", "start_time")
    )


@transaction.atomic
def approve_minutes(
    meeting: Meeting,
    user: User | None,
    *,
    at_item: AgendaItem | None = None,
    at_meeting: Meeting | None = None,
    by_chair: bool = False,
    approved_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """Approve circulated minutes at a later meeting of the body (at its 'Minutes of last
    meeting' item when it has one), or by the Chair; from then on they are locked.

    With `approved_on` (or, for a meeting recorded as history, the approving meeting's date)
    the approval is dated as it happened rather than by the clock."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.MINUTES_CIRCULATED:
        raise ValidationError(
            "Minutes are approved once circulated to partners; the meeting's status is "
            f"{meeting.get_status_display()}."
        )
    if at_item is not None:
        if at_item.kind != AgendaItem.Kind.MINUTES_OF_LAST_MEETING or (
            at_meeting is not None and at_item.meeting_id != at_meeting.pk
        ):
            raise ValidationError(
                {
                    "at_meeting": "Choose the 'Minutes of last meeting' item of a later meeting "
                    "of this body."
                }
            )
        at_meeting = at_item.meeting
    if bool(at_meeting) == bool(by_chair):
        raise ValidationError(
            {"at_meeting": "Say whether a later meeting or the Chair approved the minutes."}
        )
    if at_meeting is not None:
        if not approving_meetings(meeting).filter(pk=at_meeting.pk).exists():
            raise ValidationError(
                {
                    "at_meeting": "Choose a later meeting of this body (not a cancelled one) "
                    f"than the meeting of {meeting.date:%-d %B %Y}."
                }
            )
        if at_item is None:
            at_item = at_meeting.items.filter(kind=AgendaItem.Kind.MINUTES_OF_LAST_MEETING).first()
        if approved_on is not None and approved_on != at_meeting.date:
            raise ValidationError(
                {
                    "approved_on": f"The meeting of {at_meeting.date:%-d %B %Y} approved them on "
                    f"its own day, not on {approved_on:%-d %B %Y}: leave the date empty or "
                    "choose the Chair."
                }
            )
        if meeting.recorded_as_history:
            approved_on = at_meeting.date
    history.require_date_for_history(
        "approved_on", "the Chair approved the minutes", approved_on, meeting.recorded_as_history
    )
    if approved_on is not None:
        history.check_entered_date(
            "approved_on",
            "the minutes were approved",
            approved_on,
            not_before=history.local_day(meeting.minutes_circulated_at),
            not_before_what="their circulation",
            today=today,
        )
    refuse_unfitting_decisions(meeting)
    meeting.status = Status.MINUTES_APPROVED
    meeting.minutes_approved_at = (
        history.stamp(approved_on) if approved_on is not None else timezone.now()
    )
    meeting.minutes_approved_at_item = at_item
    meeting.minutes_approved_at_meeting = at_meeting
    meeting.minutes_approved_by_chair = by_chair
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def publish_minutes(
    meeting: Meeting,
    user: User | None,
    *,
    published_on: dt.date | None = None,
    today: dt.date | None = None,
    base_url: str = "",
) -> Meeting:
    """Publish approved minutes: the accessible page and the frozen documents go public, and
    the readers with alerts are e-mailed. With `published_on` the publication is recorded as
    history, dated that day, and no one is e-mailed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.MINUTES_APPROVED:
        raise ValidationError(
            "Only approved minutes are published; the meeting's status is "
            f"{meeting.get_status_display()}."
        )
    history.require_date_for_history(
        "published_on", "the minutes were published", published_on, meeting.recorded_as_history
    )
    if published_on is not None:
        history.check_entered_date(
            "published_on",
            "the minutes were published",
            published_on,
            not_before=history.local_day(meeting.minutes_approved_at),
            not_before_what="their approval",
            today=today,
        )
    meeting.status = Status.MINUTES_PUBLISHED
    meeting.minutes_published_at = (
        history.stamp(published_on) if published_on is not None else timezone.now()
    )
    meeting.version += 1
    meeting.save()
    publication.freeze_published_documents(
        meeting,
        "minutes",
        user=user,
        issued_at=meeting.minutes_published_at if published_on is not None else None,
    )
    if published_on is None:
        # Written in this transaction, sent by a job once it commits (meetings/outbox.py).
        alerts.publication_alerts(meeting, "minutes", base_url)
    return meeting
