"""Decisions: correcting the decision of an item whose minutes are approved (a correction with
its reason, which issues new versions of the minutes). A decision is recorded with the item's
minutes (minutes.save_item_minutes) while they are a draft.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from meetings import lock_scope
from meetings.models import AgendaItem, Dissent, Meeting
from meetings.services.corrections import record_correction
from vru_governance.rules.versions import check_version


def _described(item: AgendaItem) -> str:
    parts = [
        f"Recommendation: {item.recommendation or '(none)'}",
        f"Outcome: {item.get_outcome_display() or '(none)'}",
        f"Approved wording: {item.approved_wording or '(none)'}",
    ]
    if item.decision_paragraph:
        parts.append(f"Stated in paragraph {item.decision_paragraph} of the item's minutes")
    return "\n".join(parts)


@transaction.atomic
def correct_decision(
    item: AgendaItem,
    *,
    outcome: str,
    recommendation: str,
    approved_wording: str,
    decision_paragraph: int | None = None,
    reason: str,
    user: User | None,
    version: int | None = None,
) -> AgendaItem:
    """Correct the recorded decision of an item of approved minutes, with the reason."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=item.meeting_id)
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    locked.meeting = meeting
    check_version(locked, version, f"the decision of item {locked.number}")
    if not meeting.minutes_locked:
        raise ValidationError("These minutes are not approved yet: edit the decision directly.")
    wanted = (outcome, recommendation.strip(), approved_wording.strip(), decision_paragraph)
    recorded = (
        locked.outcome,
        locked.recommendation,
        locked.approved_wording,
        locked.decision_paragraph,
    )
    if recorded == wanted:
        raise ValidationError("The corrected decision is the same as the recorded one.")
    before = _described(locked)

    def change(m: Meeting) -> AgendaItem:
        locked.meeting = m
        (
            locked.outcome,
            locked.recommendation,
            locked.approved_wording,
            locked.decision_paragraph,
        ) = wanted
        locked.version += 1
        locked.full_clean()
        locked.check_reservations(locked.dissents.filter(kind=Dissent.Kind.RESERVATION).count())
        locked.check_decision_paragraph(locked.paragraphs.count())
        locked.save()
        return locked

    return record_correction(
        meeting,
        what=f"the decision of item {locked.number}",
        reason=reason,
        user=user,
        change=change,
        stages=[lock_scope.MINUTES],
        before=before,
        after=_described(
            AgendaItem(
                number=locked.number,
                outcome=wanted[0],
                recommendation=wanted[1],
                approved_wording=wanted[2],
                decision_paragraph=wanted[3],
            )
        ),
    )
