"""Actions' statuses as they stood at a moment: a report speaks as at its meeting's publication.

The status log (ActionUpdate: dated status updates) and the action's own history (simple_history,
one row per save with its time) together say what an action's status was at any moment. A
report frozen today for an old meeting must not quote an update written for a later one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from actions.models import CLOSED, Action, ActionUpdate, Status
from meetings.models import Meeting


@dataclass(frozen=True)
class StatusAt:
    """An action's status and note at a moment, and the date of the update that closed it."""

    status: str
    note: str
    closed_on: dt.date | None = None

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def display(self) -> str:
        """'Complete: The letter has been sent.' as the actions-arising report prints it."""
        label = Status(self.status).label if self.status in Status.values else self.status
        return f"{label}: {self.note}" if self.note else label


def report_moment(meeting: Meeting) -> dt.datetime | None:
    """The moment a meeting's reports speak for: when its agenda was published; None (now)
    while it is a draft. Imported records that do not say when: the start of the meeting day."""
    if not meeting.agenda_is_public:
        return None
    if meeting.agenda_published_at is not None:
        return meeting.agenda_published_at
    return timezone.make_aware(dt.datetime.combine(meeting.date, dt.time.min))


# Where a caller prefetched an action's updates as a plain list (Prefetch(to_attr=UPDATES)).
UPDATES = "listed_updates"


def _updates(action: Action) -> list[ActionUpdate]:
    """The action's updates in (date, pk) order, as its caller prefetched them."""
    listed = getattr(action, UPDATES, None)
    return listed if listed is not None else list(action.updates.all())


def _current(action: Action) -> StatusAt:
    closing = [u.date for u in _updates(action) if u.status in CLOSED]
    return StatusAt(action.status, action.status_note, max(closing) if closing else None)


class _PublishedAgendas:
    """The dates of a body's meetings whose agenda is public, with when it was published
    (None for imported meetings, which do not say): read once, only when needed."""

    def __init__(self, body_id: int) -> None:
        self.body_id = body_id
        self.rows: list[tuple[dt.date, dt.datetime | None]] | None = None

    def last_by(self, moment: dt.datetime) -> dt.date | None:
        """The date of the body's last meeting whose agenda was out by `moment`."""
        if self.rows is None:
            hidden = [Meeting.Status.DRAFT, Meeting.Status.CANCELLED]
            self.rows = list(
                Meeting.objects.filter(body_id=self.body_id)
                .exclude(status__in=hidden)
                .values_list("date", "agenda_published_at")
            )
        dates = [d for d, at in self.rows if at is None or at <= moment]
        return max(dates) if dates else None


def statuses_at(
    actions: Iterable[Action], moment: dt.datetime | None, *, body_id: int
) -> dict[int, StatusAt]:
    """Each action's status at `moment` (now when None), by action id.

    The actions come with their updates prefetched in (date, pk) order (as `updates`, or as a
    list in the attribute UPDATES). One query reads the
    actions' history when a moment is given. At the moment: the later of the last update dated
    by then (entered by then, when dated that very day) and the last saved state by then.
    Before anything was recorded by then, every action reads "Open" (as it was agreed), with
    one exception: a status recorded with no date (an import, with no dated updates) counts
    from the body's last meeting whose agenda was out when it was recorded, since it may have
    been written for that meeting's report (one more query, only then).
    """
    actions = list(actions)
    if moment is None:
        return {a.pk: _current(a) for a in actions}
    day = timezone.localdate(moment)
    rows = (
        Action.history.filter(id__in=[a.pk for a in actions])
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "status", "status_note")
    )
    history: dict[int, list[tuple[dt.datetime, str, str]]] = {}
    for pk, when, status, note in rows:
        history.setdefault(pk, []).append((when, status, note))
    agendas = _PublishedAgendas(body_id)
    found: dict[int, StatusAt] = {}
    for action in actions:
        all_updates = _updates(action)
        updates = [
            u for u in all_updates if u.date < day or (u.date == day and u.created_at <= moment)
        ]
        closing = [u.date for u in updates if u.status in CLOSED]
        closed_on = max(closing) if closing else None
        recorded = history.get(action.pk, [])
        saved = [h for h in recorded if h[0] <= moment]
        last_update = updates[-1] if updates else None
        if saved and (last_update is None or timezone.localdate(saved[-1][0]) >= last_update.date):
            _, status, note = saved[-1]
            found[action.pk] = StatusAt(status, note, closed_on)
        elif last_update is not None:
            found[action.pk] = StatusAt(last_update.status, last_update.note, closed_on)
        elif not recorded:  # no history kept at all: the record is all there is
            found[action.pk] = _current(action)
        else:
            when, status, note = recorded[0]
            since = None if all_updates else agendas.last_by(when)
            undated = since is not None and since <= day
            found[action.pk] = StatusAt(status, note) if undated else StatusAt(Status.OPEN, "")
    return found
