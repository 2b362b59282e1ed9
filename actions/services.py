"""Workflows on the action log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from actions.models import CLOSED, Action, ActionOwner, ActionUpdate, join_names
from meetings import lock_scope
from meetings.models import AgendaItem, Meeting
from meetings.services import publication
from meetings.services.corrections import record_correction
from members.models import Person
from vru_governance.rules.formats import short_date
from vru_governance.rules.versions import check_version


def _lock(action: Action, version: int | None, *, typed: bool = True) -> Action:
    """The action's row, locked and read again; refused (EditConflict) when someone else
    changed the action since the form carrying `version` was opened."""
    locked = Action.objects.select_for_update().filter(pk=action.pk).first()
    if locked is None:
        raise ValidationError("This action was discarded by someone else, so nothing was saved.")
    check_version(locked, version, "this action", typed=typed)
    return locked


@transaction.atomic
def add_update(
    action: Action,
    *,
    status: str,
    note: str,
    author: User | None,
    date: dt.date | None = None,
    version: int | None = None,
) -> ActionUpdate:
    """Record a status update and make it the action's current status (kept in its history).

    `version` is the action's version the form was opened with: an update written while
    someone else changed the action (a partner's update, the secretary's edit) is refused
    rather than silently replacing the status they set."""
    action = _lock(action, version)
    update = ActionUpdate(
        action=action, status=status, note=note, author=author, date=date or dt.date.today()
    )
    update.full_clean()
    update.save()
    action.status = status
    action.status_note = note
    action.version += 1
    action.full_clean()
    action.save()
    return update


# Owners: people matched by name, otherwise roles such as 'Clerk' -------------------------

HONORIFICS = {
    "sir",
    "dame",
    "dr",
    "prof",
    "professor",
    "cllr",
    "councillor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "lord",
    "lady",
    "baroness",
    "obe",
    "mbe",
    "cbe",
    "am",
    "mp",
    "qc",
    "kc",
    "qpm",
}


def name_tokens(name: str) -> tuple[str, ...]:
    """A name's words, lower-cased, without titles and honours."""
    words = re.findall(r"[\w'’-]+", name.lower())
    return tuple(w.replace("’", "'") for w in words if w.strip(".") not in HONORIFICS)


def split_owner_names(text: str) -> list[str]:
    """'Lib Peck and Jake Ferguson' → ['Lib Peck', 'Jake Ferguson']."""
    parts = re.split(r"\s*(?:,|;|&|\band\b)\s*", text.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def match_person(
    name: str, people: Iterable[Person], preferred: set[int] = frozenset()
) -> Person | None:
    """The one person whose name (titles and honours aside) is this name, else None."""
    wanted = name_tokens(name)
    if not wanted:
        return None
    found = [p for p in people if name_tokens(p.name) == wanted]
    if len(found) > 1:
        found = [p for p in found if p.pk in preferred]
    return found[0] if len(found) == 1 else None


Owner = Person | str


def owners_from_text(
    text: str, people: Iterable[Person], preferred: set[int] = frozenset()
) -> list[Owner]:
    """Each named owner as a person when exactly one matches, otherwise as a role."""
    people = list(people)
    return [match_person(n, people, preferred) or n for n in split_owner_names(text)]


def owner_names(owners: Iterable[Owner]) -> list[str]:
    """Owners as the action names them: people by name, roles as typed (cut as stored)."""
    return [o.name if isinstance(o, Person) else o[:200] for o in owners]


def current_owner_names(action: Action) -> list[str]:
    """The action's owners as stored now (read again, never from a prefetched list)."""
    rows = ActionOwner.objects.filter(action=action).select_related("person")
    return [row.display() for row in rows]


def owners_note(before: list[str], after: list[str]) -> str:
    """The action's history entry for a change of owners; empty when they are the same."""
    if before == after:
        return ""
    if not before:
        return f"Owners set to {join_names(after)}."
    return f"Owners changed from {join_names(before)} to {join_names(after)}."


def save_noting(action: Action, note: str) -> None:
    """Save the action with a note on its history row (who and when are the request's user
    and now, as for every change): the owners live in their own rows, which keep no history."""
    action._change_reason = note or None  # read by simple-history as the row is saved
    try:
        action.save()
    finally:
        del action._change_reason


def set_owners(action: Action, owners: list[Owner]) -> str:
    """Make the action's owners these people and roles, in this order.

    Returns the note for the action's history ("Owners changed from … to …"; empty when the
    owners are unchanged, and then the rows are left as they are): the caller saves the
    action with it (save_noting), so one history entry tells the whole change."""
    if not owners:
        raise ValidationError({"owners": "Name at least one owner: a person or a role."})
    rows = list(ActionOwner.objects.filter(action=action).select_related("person"))
    wanted = [(o.pk, "") if isinstance(o, Person) else (None, o[:200]) for o in owners]
    if [(row.person_id, row.role) for row in rows] == wanted:
        return ""
    ActionOwner.objects.filter(action=action).delete()
    for position, (person_id, role) in enumerate(wanted):
        row = ActionOwner(action=action, person_id=person_id, role=role, position=position)
        row.full_clean()
        row.save()
    return owners_note([row.display() for row in rows], owner_names(owners))


@transaction.atomic
def update_action(
    action: Action,
    *,
    description: str,
    deadline: dt.date | None,
    ongoing: bool,
    owners: list[Owner],
    confirm: bool = False,
    version: int | None = None,
    correcting: bool = False,
) -> Action:
    """Change an action's wording, deadline and owners; confirm one read from the minutes.

    An action whose 'Action:' line gave its own words prints them in the minutes: they follow
    the wording until the minutes are approved, then only a correction (`correcting`) changes
    them, so the action log's rewording does not change the approved minutes.

    A change made from a form opened before someone else changed the action is refused
    (EditConflict): `version` is the action's version the form was opened with."""
    action = _lock(action, version)
    # The owners first: their change is noted on the history row of this save.
    note = set_owners(action, owners)
    if action.minutes_text and action.minutes_text != description:
        meeting = Meeting.objects.only("status").get(pk=action.meeting_id)
        if correcting or not meeting.minutes_locked:
            action.minutes_text = description
    action.description = description
    action.deadline = None if ongoing else deadline
    action.ongoing = ongoing
    if confirm:
        if not ongoing and deadline is None:
            raise ValidationError(
                {"deadline": "Give the action a deadline, or mark it ongoing, to confirm it."}
            )
        action.confirmed = True
    action.version += 1
    action.full_clean()
    save_noting(action, note)
    return action


@transaction.atomic
def discard_action(action: Action, *, version: int | None = None) -> None:
    """Discard an action read from an 'Action:' line that the secretary did not confirm."""
    action = _lock(action, version, typed=False)
    if action.confirmed:
        raise ValidationError(
            "A confirmed action is part of the record; mark it superseded instead."
        )
    action.owners.all().delete()
    action.delete()


def unique_action_key(meeting: Meeting, item_number: str) -> str:
    base = f"{meeting.key}-{item_number}"
    taken = set(meeting.actions.filter(key__startswith=base).values_list("key", flat=True))
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# The action log ----------------------------------------------------------------------------

SORTS = {
    "deadline": ["deadline", "meeting__date", "position"],
    "-deadline": ["-deadline", "-meeting__date", "position"],
    "meeting": ["meeting__date", "position"],
    "-meeting": ["-meeting__date", "position"],
    "status": ["status", "meeting__date", "position"],
}


def action_log(
    actions: QuerySet[Action],
    *,
    body: int | None = None,
    meeting: int | None = None,
    owner: str = "",
    status: str = "",
    overdue: bool = False,
    sort: str = "-meeting",
    today: dt.date | None = None,
) -> QuerySet[Action]:
    """Filter and sort the action log (owner: 'p<person id>' or a role name)."""
    today = today or dt.date.today()
    if body:
        actions = actions.filter(meeting__body_id=body)
    if meeting:
        actions = actions.filter(meeting_id=meeting)
    if owner.startswith("p") and owner[1:].isdigit():
        actions = actions.filter(owners__person_id=int(owner[1:]))
    elif owner:
        actions = actions.filter(owners__role=owner)
    if status:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.exclude(status__in=CLOSED).filter(deadline__lt=today)
    return actions.distinct().order_by(*SORTS.get(sort, SORTS["-meeting"]))


def _as_printed(action: Action) -> str:
    printed = f"Owners: {join_names(current_owner_names(action))}\nAction: {action.description}"
    return f"{printed}\nIn the minutes: {action.minutes_text}" if action.minutes_text else printed


@transaction.atomic
def correct_action(
    action: Action,
    *,
    description: str,
    deadline: dt.date | None,
    ongoing: bool,
    owners: list[Owner],
    reason: str,
    user: User | None,
    version: int | None = None,
) -> Action:
    """Correct the owners (and wording) of an action the approved minutes print ("Action:
    owner"): recorded as a correction with its reason, and the minutes issued again."""
    locked = _lock(action, version)
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=locked.meeting_id)
    if not (meeting.minutes_locked and locked.item_id and locked.confirmed):
        raise ValidationError(
            "The approved minutes do not print this action, so it is changed directly."
        )
    before = _as_printed(locked)
    number = AgendaItem.objects.filter(pk=locked.item_id).values_list("number", flat=True)[0]

    def change(m: Meeting) -> Action:
        # Checked above: the version is the one just locked.
        return update_action(
            locked,
            description=description,
            deadline=deadline,
            ongoing=ongoing,
            owners=owners,
            version=None,
            correcting=True,
        )

    def after() -> str:
        locked.refresh_from_db()  # update_action saved a copy of its own
        now = _as_printed(locked)
        if now == before:
            raise ValidationError("The corrected owners and wording are the same as recorded.")
        return now

    corrected = record_correction(
        meeting,
        what=f"the action of item {number}",
        reason=reason,
        user=user,
        change=change,
        stages=[lock_scope.MINUTES],
        before=before,
        after=after,
    )
    # Later meetings' actions-arising reports printed the action too (issue 12: every
    # document that showed the fact is issued again); each keeps its status as at its date.
    publication.reissue_reports_listing(
        locked.pk,
        correction_note=f"The action of item {number} of the meeting of "
        f"{short_date(meeting.date)} corrected: {reason.strip()}",
        user=user,
    )
    return corrected
