"""Publishing an agenda: the pre-publication checks, publishing with acknowledgements, and
freezing the documents published at each stage (agenda or minutes).

Each workflow is one transaction, runs the models' full_clean() and raises ValidationError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings import alerts, notifications
from meetings.models import ChecklistAcknowledgement, Meeting
from meetings.services import history
from reports import services as documents
from reports.models import Paper, StoredDocument


def stage_kinds(stage: str) -> tuple[str, ...]:
    """The kinds of document published at this stage ("agenda" or "minutes")."""
    return documents.AGENDA_KINDS if stage == "agenda" else documents.MINUTES_KINDS


def freeze_published_documents(
    meeting: Meeting,
    stage: str,
    *,
    correction_note: str = "",
    user: User | None = None,
    issued_at: dt.datetime | None = None,
) -> None:
    """Freeze the documents published at this stage ("agenda" or "minutes") through
    reports.services.freeze_documents; a correction note stores a new version. A stage
    recorded as history dates the versions it stores on the day it really happened."""
    kinds = stage_kinds(stage)
    before = set(meeting.stored_documents.values_list("pk", flat=True)) if issued_at else set()
    stored = documents.freeze_documents(meeting, kinds, correction_note=correction_note, user=user)
    if issued_at is not None:
        new = [d.pk for d in stored if d.pk not in before]
        # The stored bytes are unchanged; only the date the version lists show as issued.
        StoredDocument.objects.filter(pk__in=new).update(created_at=issued_at)


def reissue_reports_listing(action_id: int, *, correction_note: str, user: User | None) -> None:
    """After a correction of an action: a new version of each later meeting's frozen
    actions-arising report (and its packs) that printed it (reports.services)."""
    documents.reissue_reports_listing(action_id, correction_note=correction_note, user=user)


@dataclass(frozen=True)
class Check:
    """One pre-publication check: passed or failed, with what it found."""

    key: str
    label: str
    passed: bool
    detail: str
    # A check that looks forward (the notice a publication gives) does not apply to a
    # meeting entered as history: it is shown, never asked to be acknowledged.
    applies: bool = True

    @property
    def blocks(self) -> bool:
        """Failed and applicable: publishing needs it fixed or acknowledged with a reason."""
        return self.applies and not self.passed


def clear_days(published_on: dt.date, meeting_on: dt.date) -> int:
    """Whole days between publication and the meeting, neither day counted."""
    return max((meeting_on - published_on).days - 1, 0)


def agenda_checks(
    meeting: Meeting, today: dt.date | None = None, *, published_on: dt.date | None = None
) -> list[Check]:
    """The pre-publication checklist of an agenda (DESIGN rules 3, 7, 8 and 9). With the
    date of a publication recorded as history, the notice it gave is shown but not asked."""
    today = today or timezone.localdate()
    terms = meeting.terms()
    checks: list[Check] = []
    notice = terms.agenda_notice_days if terms else 5
    if published_on is not None:
        days = clear_days(published_on, meeting.date)
        checks.append(
            Check(
                "notice",
                "Notice period",
                days >= notice,
                f"Recorded as history: published on {published_on:%-d %B %Y}, {days} clear "
                f"day{'s' if days != 1 else ''} before the meeting (the terms of reference "
                f"ask for {notice}); not asked of a past publication.",
                applies=False,
            )
        )
    else:
        days = clear_days(today, meeting.date)
        checks.append(
            Check(
                "notice",
                "Notice period",
                days >= notice,
                f"Publishing today ({today:%-d %B %Y}) gives {days} clear day"
                f"{'s' if days != 1 else ''} before the meeting; the terms of reference ask "
                f"for {notice}.",
            )
        )
    composition = meeting.body.composition_on(meeting.date)
    if composition is None:
        checks.append(
            Check(
                "composition",
                "Community composition",
                False,
                "No terms of reference are in force on the meeting date.",
            )
        )
    else:
        checks.append(
            Check(
                "composition",
                "Community composition",
                composition.meets_minimum,
                composition.describe().capitalize() + ".",
            )
        )
    papers = list(
        Paper.objects.filter(item__meeting=meeting)
        .select_related("item")
        .order_by("item__position", "position")
    )
    no_equality = [
        p
        for p in papers
        if not (p.file_has_equality_comments if p.file else p.equality_comments.strip())
    ]
    checks.append(
        Check(
            "equality",
            "Equality comments on every paper",
            not no_equality,
            "Every paper says how equality issues were considered."
            if not no_equality
            else "No equality comments (ToR 8.1): "
            + "; ".join(f"item {p.item.number}, '{p.title}'" for p in no_equality)
            + ".",
        )
    )
    inaccessible = [p for p in papers if p.file and p.file_accessibility_failures]
    checks.append(
        Check(
            "accessibility",
            "Uploaded papers accessible",
            not inaccessible,
            "Every uploaded paper is tagged, titled, in a stated language, with its fonts embedded."
            if not inaccessible
            else "Not accessible (they will be listed on the accessibility statement): "
            + "; ".join(
                f"item {p.item.number}, '{p.title}': " + " ".join(p.accessibility_problems())
                for p in inaccessible
            ),
        )
    )
    not_final = [p for p in papers if not p.final]
    checks.append(
        Check(
            "final",
            "Every paper final",
            not not_final,
            "Every paper is marked final."
            if not not_final
            else "Not marked final: "
            + "; ".join(f"item {p.item.number}, '{p.title}'" for p in not_final)
            + ".",
        )
    )
    exempt = [p for p in papers if p.is_exempt]
    incomplete = [
        p
        for p in exempt
        if not (
            p.exemption_section.strip() and p.exemption_reason.strip() and p.exemption_review_on
        )
    ]
    checks.append(
        Check(
            "exemptions",
            "Exemption details on exempt papers",
            not incomplete,
            (
                f"{len(exempt)} exempt paper{'s' if len(exempt) != 1 else ''}, each with its "
                "section, public-interest reason and review date."
            )
            if not incomplete
            else "Missing exemption details: "
            + "; ".join(f"'{p.title}'" for p in incomplete)
            + ".",
        )
    )
    flag = meeting.interval_flag()
    checks.append(
        Check(
            "interval",
            "Interval since the last meeting",
            flag is None,
            flag[0].upper() + flag[1:]
            if flag
            else "Within the interval the terms of reference set (or no earlier meeting).",
        )
    )
    return checks


def check_publishable(
    meeting: Meeting,
    acknowledgements: dict[str, str],
    *,
    today: dt.date | None = None,
    published_on: dt.date | None = None,
) -> list[Check]:
    """Raise ValidationError unless the (locked) meeting's draft agenda may be published now
    with these acknowledgements; return its checks. Asked when the secretary presses Publish
    (reports/publishing.py) and again by publish_agenda when the job publishes."""
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(
            f"The agenda is not a draft ({meeting.get_status_display().lower()}), so it cannot "
            "be published again."
        )
    if published_on is not None:
        history.check_entered_date(
            "published_on",
            "the agenda was published",
            published_on,
            not_after=meeting.date,
            not_after_what="the meeting",
            today=today,
        )
    checks = agenda_checks(meeting, today, published_on=published_on)
    errors = {
        c.key: f"{c.label} failed: fix it, or give the reason for publishing anyway. {c.detail}"
        for c in checks
        if c.blocks and not acknowledgements.get(c.key, "").strip()
    }
    if errors:
        raise ValidationError(errors)
    return checks


@transaction.atomic
def publish_agenda(
    meeting: Meeting,
    user: User | None,
    acknowledgements: dict[str, str],
    *,
    today: dt.date | None = None,
    base_url: str = "",
    published_on: dt.date | None = None,
) -> Meeting:
    """Publish a draft agenda: every failed check acknowledged with a reason; partners and
    the readers with alerts e-mailed.

    With `published_on`, the meeting is recorded as history: the agenda was published on that
    day (on or before the meeting), no one is e-mailed and the notice check does not apply."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    checks = check_publishable(meeting, acknowledgements, today=today, published_on=published_on)
    for check in checks:
        if check.blocks:
            ack = ChecklistAcknowledgement(
                meeting=meeting,
                check_key=check.key,
                reason=acknowledgements[check.key].strip(),
                detail=check.detail,
                acknowledged_by=user,
            )
            ack.full_clean()
            ack.save()
    meeting.status = Meeting.Status.AGENDA_PUBLISHED
    if published_on is not None:
        meeting.agenda_published_at = history.stamp(published_on)
        meeting.recorded_as_history = True
    else:
        meeting.agenda_published_at = timezone.now()
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    freeze_published_documents(
        meeting,
        "agenda",
        user=user,
        issued_at=meeting.agenda_published_at if meeting.recorded_as_history else None,
    )
    if not meeting.recorded_as_history:
        # Written in this transaction, sent by a job once it commits (meetings/outbox.py).
        notifications.notify_agenda_published(meeting, base_url)
        alerts.publication_alerts(meeting, "agenda", base_url)
    return meeting
