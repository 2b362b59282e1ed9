"""What a published document shows is locked: one policy, obeyed by every write path.

Once a meeting's agenda is published, what the agenda, the packs and the papers show is
locked: the meeting's details, its items and its papers. Once its minutes are approved, what
the minutes show is locked too: the closing time, decisions (outcome, recommendation as put,
wording approved), attendance, paragraphs, declarations, dissent and reservations, and the
actions printed under an item with their owners. An endorsed (or superseded) terms of
reference is locked with its seats and quorum groups, and an appointment may not change who
was a member at a meeting whose minutes are locked.

The only change to a locked record is a correction (meetings/services/corrections.py), made
inside `lock_scope.correcting(meeting)`, which then freezes new versions of the documents.
Records of the past entered as history (an imported meeting with its minutes, a test world)
are built inside `lock_scope.recording_history()` (meetings/lock_scope.py). The members'
records are locked by meetings/register_locks.py.

`guard_save` and `guard_delete` run before every save and delete of these models (connected
in MeetingsConfig.ready), so the workspace, the admin, the importer, the partners' portal and
any command obey them. `QuerySet.update()` and bulk writes send no signals: a service that
uses them on these models asks `check_bulk` first (renumbering the agenda, ordering the
attendance), and an import bulk-inserts only the children of meetings it created, each checked
by `check_save` before it is held back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete, pre_save

from meetings import register_locks
from meetings.lock_scope import (
    AGENDA,
    MINUTES,
    changed,
    exempt,
    meeting_model,
    recording,
    stage_locked,
    stored,
)

# Bookkeeping that no document shows (optimistic locking counters).
NEVER_LOCKED = frozenset({"id", "version", "attendance_version"})


@dataclass(frozen=True)
class Rule:
    """The fields of a record that a stage's documents show (None: all but `free` and the
    bookkeeping), and whether adding or removing such a record changes them too."""

    stage: str
    what: str
    fields: frozenset[str] | None = None
    free: frozenset[str] = frozenset()
    adds: bool = True
    removes: bool = True

    def locked_fields(self, model: type[models.Model]) -> list[models.Field]:
        return [
            f
            for f in model._meta.concrete_fields
            if f.name not in NEVER_LOCKED
            and f.name not in self.free
            and (self.fields is None or f.name in self.fields)
        ]


# The policy, by model label. A paper may still be added to a published agenda: it goes out
# as a supplement (DESIGN rule 8). An action's status, deadline and wording live on in the
# action log; the minutes print only who owns an action and where it arose.
RULES: dict[str, tuple[Rule, ...]] = {
    "meetings.meeting": (
        Rule(
            AGENDA,
            "the meeting's details",
            frozenset(
                {
                    "body",
                    "key",
                    "date",
                    "start_time",
                    "place",
                    "in_attendance",
                    "next_meeting",
                    "next_meeting_text",
                }
            ),
            adds=False,
        ),
        Rule(
            MINUTES,
            "the closing time and contact officer",
            frozenset({"end_time", "contact_officer"}),
            adds=False,
        ),
    ),
    "meetings.agendaitem": (
        Rule(
            AGENDA,
            "the agenda item",
            frozenset(
                {"meeting", "number", "position", "title", "presenter", "presenter_lead", "kind"}
            ),
        ),
        Rule(
            MINUTES,
            "the item's decision",
            frozenset({"outcome", "recommendation", "approved_wording", "decision_paragraph"}),
        ),
    ),
    "meetings.minuteparagraph": (
        Rule(MINUTES, "the minute paragraph", frozenset({"item", "position", "text"})),
    ),
    "meetings.attendance": (Rule(MINUTES, "the attendance record"),),
    "meetings.declaration": (Rule(MINUTES, "the declaration of interest"),),
    "meetings.dissent": (Rule(MINUTES, "the dissent"),),
    "actions.action": (
        Rule(
            MINUTES,
            "the action",
            frozenset({"meeting", "item", "paragraph", "confirmed"}),
        ),
    ),
    "actions.actionowner": (Rule(MINUTES, "the action's owners"),),
    "reports.paper": (
        Rule(AGENDA, "the paper", free=frozenset({"exemption_review_on"}), adds=False),
    ),
}


def _known_meeting_pk(label: str, obj: models.Model) -> int | None:
    """The pk of the record's meeting when the record itself holds it (no query)."""
    if label == "meetings.meeting":
        return obj.pk
    if label in ("meetings.agendaitem", "meetings.attendance", "actions.action"):
        return obj.meeting_id
    parent = obj._state.fields_cache.get("action" if label == "actions.actionowner" else "item")
    return parent.meeting_id if parent is not None else None


def _meeting_of(label: str, obj: models.Model | None) -> tuple[int, str, str] | None:
    """(pk, status, name) of the meeting a record belongs to, as stored (one query; none
    for a meeting exempt from the lock, such as one the current import created)."""
    if obj is None:
        return None
    known = _known_meeting_pk(label, obj)
    if known is not None and exempt(known):
        return known, "", ""  # skipped as exempt: its status and name are not read
    Meeting = meeting_model()
    if label == "meetings.meeting":
        where: dict[str, Any] = {"pk": obj.pk}
    elif label in ("meetings.agendaitem", "meetings.attendance", "actions.action"):
        where = {"pk": obj.meeting_id}
    elif label == "actions.actionowner":
        where = {"actions": obj.action_id}
    else:  # paragraphs, declarations, dissents and papers belong to an item
        where = {"items": obj.item_id}
    if None in where.values():
        return None
    row = Meeting.objects.filter(**where).values_list("pk", "status", "date").first()
    if row is None:
        return None
    return row[0], row[1], f"the meeting of {row[2]:%-d %B %Y}"


def _action_printed(action: models.Model | None) -> bool:
    """The minutes print a confirmed action raised under an item ("Action: owner")."""
    return action is not None and bool(action.item_id) and bool(action.confirmed)


def _refuse(what: str, where: str, stage: str, change: str) -> ValidationError:
    shown = "published agenda and papers" if stage == AGENDA else "approved minutes"
    return ValidationError(
        f"{what[0].upper()}{what[1:]} is part of the {shown} of {where}, so {change}. "
        "Record a correction, with its reason, instead: it issues new versions of the "
        "documents."
    )


# The guards -----------------------------------------------------------------------------


def check_save(obj: models.Model, *, update_fields: set[str] | None = None) -> None:
    """Refuse a save that would change what a published document shows."""
    if recording():
        return
    label = obj._meta.label_lower
    if label in register_locks.LABELS:
        register_locks.check(obj, deleting=False)
        return
    rules = RULES.get(label)
    if not rules:
        return
    old = stored(obj)
    if label == "actions.action" and not (_action_printed(obj) or _action_printed(old)):
        return
    if label == "actions.actionowner" and not _action_printed(obj.action):
        return
    # The record's meeting as stored, and the one it would move to.
    meetings = {m for m in (_meeting_of(label, old), _meeting_of(label, obj)) if m}
    for pk, status, where in sorted(meetings):
        if exempt(pk):
            continue
        if label == "meetings.meeting" and old is not None:
            _check_status(old, obj)
        for rule in rules:
            if not stage_locked(status, rule.stage):
                continue
            if old is None:
                if rule.adds:
                    raise _refuse(rule.what, where, rule.stage, "nothing can be added to it")
                continue
            altered = changed(obj, old, rule.locked_fields(type(obj)), update_fields)
            if altered:
                raise _refuse(
                    rule.what, where, rule.stage, f"its {', '.join(altered)} can no longer change"
                )


def check_delete(obj: models.Model) -> None:
    """Refuse removing a record that a published document shows."""
    if recording():
        return
    label = obj._meta.label_lower
    if label in register_locks.LABELS:
        register_locks.check(obj, deleting=True)
        return
    rules = RULES.get(label)
    if not rules:
        return
    meeting = _meeting_of(label, obj)
    if meeting is None or exempt(meeting[0]):
        return
    if label == "actions.action" and not _action_printed(stored(obj)):
        return
    if label == "actions.actionowner" and not _action_printed(obj.action):
        return
    pk, status, where = meeting
    for rule in rules:
        if rule.removes and stage_locked(status, rule.stage):
            raise _refuse(rule.what, where, rule.stage, "it cannot be removed")


def _check_status(old: models.Model, new: models.Model) -> None:
    """A published meeting moves only forward (or, before it is held, to cancelled)."""
    Meeting = type(old)
    order = Meeting.ORDER
    if old.status == new.status or old.status not in order:
        return
    before = order.index(old.status)
    if before < order.index(Meeting.Status.AGENDA_PUBLISHED):
        return
    if new.status == Meeting.Status.CANCELLED:
        if before <= order.index(Meeting.Status.AGENDA_PUBLISHED):
            return
    elif new.status in order and order.index(new.status) > before:
        return
    raise ValidationError(
        {
            "status": f"The meeting is '{old.get_status_display()}'; its status moves only "
            f"forward, through the workspace's steps, never back to "
            f"'{new.get_status_display()}'."
        }
    )


def check_replacing(obj: models.Model, field: str) -> None:
    """Refuse a new value for `field` of a record a published document shows before anything
    is written: a new file is stored before its record is saved (and a storage that
    overwrites would replace the published one)."""
    probe = copy.copy(obj)
    setattr(probe, field, "\0 a new value")  # differs from anything stored
    check_save(probe, update_fields={field})


def check_bulk(model: type[models.Model], meeting: models.Model, fields: set[str]) -> None:
    """Refuse a write that sends no signal (`QuerySet.update()`, `bulk_update`) of these
    fields of `model`'s records under one meeting, when its published documents show them.

    Services call it before such a write; it reads the meeting's stored status (one query)."""
    if recording() or exempt(meeting.pk):
        return
    label = model._meta.label_lower
    row = meeting_model().objects.filter(pk=meeting.pk).values_list("status", "date").first()
    if row is None:
        return
    status, date = row
    for rule in RULES.get(label, ()):
        if not stage_locked(status, rule.stage):
            continue
        locked = [f for f in rule.locked_fields(model) if f.name in fields or f.attname in fields]
        if locked:
            changed = ", ".join(str(f.verbose_name) for f in locked)
            where = f"the meeting of {date:%-d %B %Y}"
            raise _refuse(rule.what, where, rule.stage, f"its {changed} can no longer change")


def guard_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures loaded as they are
    fields = kwargs.get("update_fields")
    check_save(instance, update_fields=set(fields) if fields else None)


def guard_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    check_delete(instance)


def install() -> None:
    """Connect the guards to every model the policy names (from MeetingsConfig.ready)."""
    for label in (*RULES, *register_locks.LABELS):
        model = apps.get_model(label)
        pre_save.connect(guard_save, sender=model, dispatch_uid=f"lifecycle-save-{label}")
        pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"lifecycle-delete-{label}")


# What the admin (and any form) shows read-only --------------------------------------------


@dataclass(frozen=True)
class Locks:
    """What the policy locks now for records of one model under one meeting."""

    fields: frozenset[str]
    adds: bool
    removes: bool


NO_LOCKS = Locks(frozenset(), False, False)


def locks_for(model: type[models.Model], status: str | None) -> Locks:
    """The fields, additions and removals of `model`'s records locked at this meeting status."""
    rules = RULES.get(model._meta.label_lower, ())
    live = [r for r in rules if status is not None and stage_locked(status, r.stage)]
    if not live:
        return NO_LOCKS
    return Locks(
        frozenset(f.name for r in live for f in r.locked_fields(model)),
        any(r.adds for r in live),
        any(r.removes for r in live),
    )


def status_of(obj: models.Model | None) -> str | None:
    """The stored status of the meeting whose published documents show this record (None when
    none does: no meeting, or an action the minutes do not print)."""
    if obj is None or obj.pk is None:
        return None
    label = obj._meta.label_lower
    if label == "actions.action" and not _action_printed(stored(obj)):
        return None
    if label not in RULES:
        return None
    meeting = _meeting_of(label, obj)
    return meeting[1] if meeting else None
