"""Workflows on the forward plan: items proposed for later meetings, and placing them on one.

Each workflow is one transaction, runs the models' full_clean() and raises ValidationError
(EditConflict for a stale form).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction

from meetings.models import AgendaItem, ForwardPlanItem, Meeting
from meetings.services.agenda import add_item
from vru_governance.rules.versions import check_version

# What the secretary's form changes; the rest (body, placing) is kept as saved.
PLAN_FIELDS = ("title", "presenter", "target_meeting", "target_month", "proposed_by", "notes")


@transaction.atomic
def save_forward_plan_item(plan: ForwardPlanItem, *, version: int | None = None) -> ForwardPlanItem:
    """Add or change an item of the forward plan.

    A change made from a form opened before someone else saved or placed the item is refused
    (EditConflict): `version` is the item's version the form was opened with. The typed
    fields are copied onto the row read again under its lock, so a placing made meanwhile is
    never undone by a form that did not show it."""
    if plan.pk is None:
        plan.full_clean()
        plan.save()
        return plan
    saved = ForwardPlanItem.objects.select_for_update().get(pk=plan.pk)
    check_version(saved, version, f"the forward-plan item '{saved.title}'")
    for f in ForwardPlanItem._meta.concrete_fields:
        if f.name in PLAN_FIELDS:
            setattr(saved, f.attname, getattr(plan, f.attname))
    saved.version += 1
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def place_planned_item(plan: ForwardPlanItem, meeting: Meeting) -> AgendaItem:
    """Pull a forward-plan item into a meeting's agenda as a business item."""
    if plan.body_id != meeting.body_id:
        raise ValidationError("That meeting belongs to another body.")
    # The meeting's row first, as every agenda change takes it; then the plan item's, read
    # again: two secretaries placing the same plan item make one agenda item, not two.
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    plan = ForwardPlanItem.objects.select_for_update().get(pk=plan.pk)
    if plan.is_placed:
        raise ValidationError(
            f"'{plan.title}' is already item {plan.placed_item.number} of "
            f"{plan.placed_item.meeting}."
        )
    item = add_item(meeting, title=plan.title, presenter=plan.presenter)
    plan.placed_item = item
    plan.target_meeting = meeting
    plan.version += 1  # an edit form opened before the placing is now stale
    plan.full_clean()
    plan.save()
    return item


def planned_for(meeting: Meeting) -> list[ForwardPlanItem]:
    """Unplaced forward-plan items aimed at this meeting or its month, or at nothing yet."""
    month = meeting.date.replace(day=1)
    return list(
        meeting.body.forward_plan.filter(placed_item__isnull=True)
        .filter(
            models.Q(target_meeting=meeting)
            | models.Q(target_meeting__isnull=True, target_month__lte=month)
            | models.Q(target_meeting__isnull=True, target_month__isnull=True)
        )
        .select_related("proposed_by")
    )
