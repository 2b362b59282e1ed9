"""When the lock on published records applies: the stages a meeting's status has published,
and the writes exempt from it.

A correction changes a meeting's locked records inside `correcting(meeting)`; records of the
past (an imported meeting with its minutes, a test world) are built inside
`recording_history()`; an import may add children to the records it created itself
(`importing()` with `mark_new`). The policy that uses these is meetings/lifecycle.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.apps import apps
from django.db import models

AGENDA = "agenda"
MINUTES = "minutes"

# Meetings being corrected (their locked records may change), and whether history is being
# recorded (nothing is locked).
_correcting: ContextVar[frozenset[int]] = ContextVar("correcting", default=frozenset())
_history: ContextVar[bool] = ContextVar("recording_history", default=False)
# During an import: the (label, pk) of records it created, whose children it may still add.
_new: ContextVar[set[tuple[str, int]] | None] = ContextVar("new_records", default=None)


@contextlib.contextmanager
def correcting(meeting: models.Model) -> Iterator[None]:
    """Let a correction change the locked records of one meeting."""
    token = _correcting.set(_correcting.get() | {meeting.pk})
    try:
        yield
    finally:
        _correcting.reset(token)


@contextlib.contextmanager
def recording_history() -> Iterator[None]:
    """Build records of the past (a meeting entered with its minutes): nothing is locked."""
    token = _history.set(True)
    try:
        yield
    finally:
        _history.reset(token)


@contextlib.contextmanager
def importing() -> Iterator[None]:
    """An import: records it creates (a past meeting with its minutes) are history, entered
    with their children; the records already there stay locked."""
    token = _new.set(set())
    try:
        yield
    finally:
        _new.reset(token)


def mark_new(obj: models.Model) -> None:
    """Note a record the current import created (nothing outside an import)."""
    new = _new.get()
    if new is not None and obj.pk is not None:
        new.add((obj._meta.label_lower, obj.pk))


def is_new(label: str, pk: int) -> bool:
    """Whether the current import created this record."""
    new = _new.get()
    return new is not None and (label, pk) in new


def recording() -> bool:
    """Whether history is being recorded (nothing is locked)."""
    return _history.get()


def exempt(meeting_pk: int) -> bool:
    """Whether this meeting's locked records may change now: it is being corrected, or the
    current import created it."""
    return meeting_pk in _correcting.get() or is_new("meetings.meeting", meeting_pk)


# Stages ---------------------------------------------------------------------------------


def meeting_model() -> type[models.Model]:
    return apps.get_model("meetings", "Meeting")


def stage_locked(status: str, stage: str) -> bool:
    """Whether a meeting in this status has published the documents of this stage."""
    Meeting = meeting_model()
    order = Meeting.ORDER
    if status not in order:
        return False
    first = Meeting.Status.AGENDA_PUBLISHED if stage == AGENDA else Meeting.Status.MINUTES_APPROVED
    return order.index(status) >= order.index(first)


def locked_statuses(stage: str) -> list[str]:
    return [s for s in meeting_model().ORDER if stage_locked(s, stage)]


# A record against its stored self --------------------------------------------------------


def stored(obj: models.Model) -> models.Model | None:
    """The record as the database holds it (None for one not saved yet)."""
    if obj.pk is None or obj._state.adding:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def changed(
    obj: models.Model, old: models.Model, fields: list[models.Field], only: set[str] | None
) -> list[str]:
    """The names of `fields` (of those in `only`, if given) whose value differs from `old`."""
    return [
        str(f.verbose_name)
        for f in fields
        if (only is None or f.name in only or f.attname in only)
        and getattr(obj, f.attname) != getattr(old, f.attname)
    ]
