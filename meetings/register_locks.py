"""The members' records that published documents show, locked with them (the policy is
meetings/lifecycle.py; these are its rules for the members app's records).

An endorsed (or superseded) terms of reference is locked with its seats and quorum groups; an
appointment may not change who was a member at a meeting whose minutes are locked; a register
entry that a published partners' pack printed ("Registered interests of the partners
expected") keeps what it said, and may still be ended, on or after that meeting.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from meetings.lock_scope import (
    AGENDA,
    MINUTES,
    changed,
    is_new,
    locked_statuses,
    meeting_model,
    stored,
)

TERMS_LABELS = ("members.termsofreference", "members.seat", "members.quorumgroup")
APPOINTMENT_LABEL = "members.appointment"
INTEREST_LABEL = "members.interest"
LABELS = (*TERMS_LABELS, APPOINTMENT_LABEL, INTEREST_LABEL)
# What the pack prints of a register entry.
INTEREST_PRINTED = ("person", "category", "description", "registered_on")


def check(obj: models.Model, *, deleting: bool) -> None:
    """Refuse a save (or, `deleting`, a removal) of one of these records that would change
    what a published document shows."""
    label = obj._meta.label_lower
    if label in TERMS_LABELS:
        _terms(label, obj, deleting=deleting)
    elif label == APPOINTMENT_LABEL:
        _appointment(obj, deleting=deleting)
    elif label == INTEREST_LABEL:
        _interest(obj, deleting=deleting)


def _terms(label: str, obj: models.Model, *, deleting: bool) -> None:
    """An endorsed (or superseded) terms of reference changes only by a new version."""
    Terms = apps.get_model("members", "TermsOfReference")
    draft = Terms.Status.DRAFT
    if label == "members.termsofreference":
        old = stored(obj)
        if old is None or old.status == draft or is_new(label, old.pk):
            return
        name = old.title
        if deleting:
            change = "they cannot be removed"
        else:
            altered = changed(
                obj, old, [f for f in Terms._meta.concrete_fields if f.name != "id"], None
            )
            moves = altered == ["status"] and (old.status, obj.status) == (
                Terms.Status.ENDORSED,
                Terms.Status.SUPERSEDED,
            )
            if not altered or moves:
                return
            change = f"their {', '.join(altered)} can no longer change"
    else:
        terms_ids = {obj.terms_id}
        old = stored(obj)
        if old is not None:
            terms_ids.add(old.terms_id)
        terms_ids = {pk for pk in terms_ids if not is_new("members.termsofreference", pk)}
        locked = Terms.objects.filter(pk__in=terms_ids).exclude(status=draft)
        first = locked.values_list("title", flat=True).first()
        if first is None:
            return
        name = first
        what = "seats" if label == "members.seat" else "quorum groups"
        if not deleting and old is not None:
            fields = [f for f in type(obj)._meta.concrete_fields if f.name != "id"]
            if not changed(obj, old, fields, None):
                return
        change = f"their {what} can no longer change"
    raise ValidationError(
        f"The terms of reference '{name}' are endorsed, so {change}. Draft a new version "
        "and endorse it instead."
    )


def _covers(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return start is not None and start <= day and (end is None or day <= end)


def _appointment(obj: models.Model, *, deleting: bool) -> None:
    """An appointment may not change who was a member at a meeting whose minutes are locked
    (their attendance and quorum print from it); ending it after them is always allowed."""
    old = stored(obj)
    body_ids = {obj.body_id} | ({old.body_id} if old is not None else set())
    dates = sorted(
        meeting_model()
        .objects.filter(body_id__in=body_ids, status__in=locked_statuses(MINUTES))
        .values_list("date", flat=True)
    )
    if not dates:
        return
    was = {d for d in dates if old is not None and _covers(old.start, old.end, d)}
    now = set() if deleting else {d for d in dates if _covers(obj.start, obj.end, d)}
    same_holder = old is not None and (old.person_id, old.body_id, old.seat_key) == (
        obj.person_id,
        obj.body_id,
        obj.seat_key,
    )
    if was == now and (not was or same_holder):
        return
    day = min((was ^ now) or was)
    raise ValidationError(
        f"This appointment decides who was a member at the meeting of {day:%-d %B %Y}, whose "
        "minutes are approved, so it cannot change that. Record a correction of those minutes "
        "instead, or change only its end after that meeting."
    )


def _interest_printed_on(entry: models.Model) -> dt.date | None:
    """The latest meeting whose frozen partners' pack printed this register entry: an agenda
    with a declarations item, of a body the person was a member of that day, within the
    entry's dates (one query)."""
    Meeting = meeting_model()
    printed = Meeting.objects.filter(
        status__in=locked_statuses(AGENDA),
        items__kind="declarations",
        stored_documents__kind="partners_pack",
        date__gte=entry.registered_on,
    ).filter(
        models.Q(body__appointments__person_id=entry.person_id)
        & models.Q(body__appointments__start__lte=models.F("date"))
        & (
            models.Q(body__appointments__end__isnull=True)
            | models.Q(body__appointments__end__gte=models.F("date"))
        )
    )
    if entry.ended_on is not None:
        printed = printed.filter(date__lte=entry.ended_on)
    return printed.order_by("-date").values_list("date", flat=True).first()


def _interest(obj: models.Model, *, deleting: bool) -> None:
    """A register entry a published partners' pack printed keeps its words and dates; it may
    be ended on or after the last meeting that printed it, and a new entry registered."""
    old = stored(obj)
    if old is None:
        return  # a new entry: the frozen packs keep what the register said then
    printed = _interest_printed_on(old)
    if printed is None:
        return
    where = f"the partners' pack of the meeting of {printed:%-d %B %Y}"
    instead = (
        "Record the date it ended and register the new interest instead: the pack keeps what "
        "it printed."
    )
    if deleting:
        raise ValidationError(
            f"This entry of the register of interests was printed in {where}, so it cannot be "
            f"removed. {instead}"
        )
    altered = [
        str(type(obj)._meta.get_field(name).verbose_name)
        for name in INTEREST_PRINTED
        if getattr(obj, type(obj)._meta.get_field(name).attname)
        != getattr(old, type(obj)._meta.get_field(name).attname)
    ]
    if altered:
        raise ValidationError(
            f"This entry of the register of interests was printed in {where}, so its "
            f"{', '.join(altered)} can no longer change. {instead}"
        )
    if obj.ended_on is not None and obj.ended_on < printed:
        raise ValidationError(
            {
                "ended_on": f"This interest was printed as current in {where}, so it cannot "
                f"have ended before {printed:%-d %B %Y}."
            }
        )
