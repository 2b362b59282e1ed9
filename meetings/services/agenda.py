"""Workflows on a meeting's agenda: its items (add, change, move, remove, renumber), the
wording of its cover and closing lines, and each body's standard agenda.

Papers are reports.papers' (a paper is a reports record).

Each workflow is one transaction, takes the meeting's row lock first, runs the models'
full_clean() and raises ValidationError (EditConflict for a stale form).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast, Concat

from meetings import lifecycle, lock_scope
from meetings.models import (
    AgendaItem,
    Attendance,
    ForwardPlanItem,
    Meeting,
    StandardItem,
    item_sort_key,
)
from meetings.services.corrections import record_correction
from members.models import Body
from vru_governance.rules.versions import bump_version, check_version

Kind = AgendaItem.Kind

# The body's standard agenda; business items go between "Actions arising" and "AOB".
STANDARD_AGENDA: list[tuple[str, str]] = [
    ("Apologies for Absence and Chair's Announcements", Kind.APOLOGIES),
    ("Declarations of Interest", Kind.DECLARATIONS),
    ("Minutes of last meeting", Kind.MINUTES_OF_LAST_MEETING),
    ("Actions Arising", Kind.ACTIONS_ARISING),
    ("Any other business the Chair considers urgent", Kind.AOB),
    ("Date of next meeting", Kind.DATE_OF_NEXT_MEETING),
    ("Close", Kind.CLOSE),
]
TAIL_KINDS = {Kind.AOB, Kind.DATE_OF_NEXT_MEETING, Kind.CLOSE}
# A standard agenda longer than this is a mistake (a pasted list), not a board's routine.
MAX_STANDARD_ITEMS = 30


# The body's standard agenda -------------------------------------------------------------


@dataclass(frozen=True)
class StandardRow:
    """An item of a standard agenda as a new meeting starts with it."""

    title: str
    kind: str
    presenter: str = ""
    presenter_lead: str = ""


def standard_agenda(body: Body) -> list[StandardRow]:
    """The items a new meeting of the body starts with: the body's own list, or (until its
    secretary changes it) the product's standard agenda."""
    own = [
        StandardRow(i.title, i.kind, i.presenter, i.presenter_lead)
        for i in body.standard_items.order_by("position", "pk")
    ]
    return own or [StandardRow(title, kind) for title, kind in STANDARD_AGENDA]


# The body's counter that stale standard agenda pages are refused by (optimistic locking).
STANDARD_VERSION = "standard_agenda_version"


@transaction.atomic
def save_standard_agenda(
    body: Body, rows: list[StandardRow], *, version: int | None = None
) -> list[StandardItem]:
    """Make the body's standard agenda these items, in this order. Meetings already created
    keep their agendas: only new meetings start from it.

    `version` is the body's standard_agenda_version the page was opened with: a page opened
    before someone else saved the standard agenda is refused (EditConflict)."""
    locked = Body.objects.select_for_update().get(pk=body.pk)
    check_version(locked, version, "the standard agenda", field=STANDARD_VERSION)
    rows = [r for r in rows if r.title.strip()]
    if not rows:
        raise ValidationError("A standard agenda needs at least one item.")
    if len(rows) > MAX_STANDARD_ITEMS:
        raise ValidationError(
            f"A standard agenda holds at most {MAX_STANDARD_ITEMS} items; this one has {len(rows)}."
        )
    kinds = [r.kind for r in rows if r.kind != Kind.BUSINESS]
    for kind in dict.fromkeys(k for k in kinds if kinds.count(k) > 1):
        raise ValidationError(
            f"The standard agenda has {kinds.count(kind)} items of the kind "
            f"'{Kind(kind).label}'; the documents look for one (make the others business "
            "items)."
        )
    made = []
    for position, row in enumerate(rows, start=1):
        item = StandardItem(
            body=body,
            position=position,
            title=row.title.strip(),
            kind=row.kind,
            presenter=row.presenter.strip(),
            presenter_lead=row.presenter_lead.strip(),
        )
        try:
            item.full_clean(exclude=["body"])
        except ValidationError as exc:
            raise ValidationError(
                [f"Item {position} ('{row.title.strip()[:60]}'): {m}" for m in exc.messages]
            ) from exc
        made.append(item)
    body.standard_items.all().delete()
    StandardItem.objects.bulk_create(made)
    bump_version(locked, STANDARD_VERSION)
    body.standard_agenda_version = locked.standard_agenda_version
    return made


# The agenda's cover and closing lines -----------------------------------------------------


def _wording(meeting: Meeting) -> str:
    lines = meeting.in_attendance_lines()
    attending = "; ".join(lines) if lines else "nobody listed"
    if meeting.next_meeting == Meeting.NextMeeting.OWN:
        following = f"“{meeting.next_meeting_text.strip()}”"
    else:
        following = Meeting.NextMeeting(meeting.next_meeting).label.lower()
    return f"In attendance: {attending}. Date of next meeting: {following}."


def _set_wording(
    meeting: Meeting, in_attendance: str, next_meeting: str, next_meeting_text: str
) -> Meeting:
    meeting.in_attendance = "\n".join(
        line.strip() for line in in_attendance.splitlines() if line.strip()
    )
    meeting.next_meeting = next_meeting
    meeting.next_meeting_text = next_meeting_text.strip()
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def update_agenda_wording(
    meeting: Meeting,
    *,
    in_attendance: str,
    next_meeting: str,
    next_meeting_text: str,
    version: int | None,
) -> Meeting:
    """Change who the agenda's cover lists as in attendance and what it prints under 'Date of
    next meeting' (the records' next meeting, typed wording, or nothing)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the agenda's wording")
    return _set_wording(meeting, in_attendance, next_meeting, next_meeting_text)


def correct_agenda_wording(
    meeting: Meeting,
    *,
    in_attendance: str,
    next_meeting: str,
    next_meeting_text: str,
    reason: str,
    user: User | None,
    version: int | None = None,
) -> Meeting:
    """Correct the published agenda's 'In attendance' list or next-meeting line: a new version
    of the agenda and packs, printing the reason."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(locked, version, "the agenda's wording")
    before = _wording(locked)
    after = _wording(
        Meeting(
            in_attendance=in_attendance,
            next_meeting=next_meeting,
            next_meeting_text=next_meeting_text,
        )
    )
    if before == after:
        raise ValidationError("The corrected wording is the same as the published one.")
    return record_correction(
        locked,
        what="the agenda's 'In attendance' list and next-meeting line",
        reason=reason,
        user=user,
        change=lambda m: _set_wording(m, in_attendance, next_meeting, next_meeting_text),
        stages=[lock_scope.AGENDA],
        before=before,
        after=after,
    )


# The agenda ----------------------------------------------------------------------------


def _ordered_items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.order_by("position", "pk"))


def _apply_order(
    meeting: Meeting, ordered: list[AgendaItem], subs: dict[int, bool] | None = None
) -> list[AgendaItem]:
    """Give items positions in this order and numbers 1, 2, … with sub-items 8a, 8b."""
    subs = subs or {}
    main, letter = 0, 0
    wanted: list[tuple[AgendaItem, str, int]] = []
    for index, item in enumerate(ordered):
        sub = subs.get(item.pk, item.is_sub_item) and index > 0
        if sub and letter < 26:
            letter += 1
            number = f"{main}{chr(ord('a') + letter - 1)}"
        else:
            main, letter = main + 1, 0
            number = str(main)
        wanted.append((item, number, index))
    changed = [(i, n, p) for i, n, p in wanted if i.number != n or i.position != p]
    if changed:
        # The update below sends no signal, so the policy is asked first: a published
        # agenda's numbers are locked (meetings/lifecycle.py).
        lifecycle.check_bulk(AgendaItem, meeting, {"number", "position"})
        for item, number, position in changed:
            item.number, item.position = number, position
        # Free the numbers first: the database keeps item numbers unique per meeting.
        AgendaItem.objects.filter(pk__in=[i.pk for i, _, _ in changed]).update(
            number=Concat(models.Value("~"), Cast("pk", models.CharField()))
        )
        for item, _, _ in changed:
            item.save(update_fields=["number", "position"])
    return ordered


@transaction.atomic
def renumber_items(meeting: Meeting, subs: dict[int, bool] | None = None) -> list[AgendaItem]:
    """Renumber a meeting's items in their order: 1, 2, … and sub-items 8a, 8b."""
    return _apply_order(meeting, _ordered_items(meeting), subs)


def _new_item(meeting: Meeting, **values: object) -> AgendaItem:
    """A new item under a free number (the renumbering that follows gives its real one)."""
    free = (
        max(
            (item_sort_key(n)[0] for n in meeting.items.values_list("number", flat=True)), default=0
        )
        + 1
    )
    item = AgendaItem(meeting=meeting, number=str(free), **values)
    item.full_clean()
    item.save()
    return item


def _insert_at(ordered: list[AgendaItem], after: AgendaItem | None) -> int:
    if after is not None:
        index = next(i for i, it in enumerate(ordered) if it.pk == after.pk) + 1
        # Keep the new item after the sub-items of the item it follows.
        while index < len(ordered) and ordered[index].is_sub_item and not after.is_sub_item:
            index += 1
        return index
    return next((i for i, it in enumerate(ordered) if it.kind in TAIL_KINDS), len(ordered))


@transaction.atomic
def add_item(
    meeting: Meeting,
    *,
    title: str,
    presenter: str = "",
    presenter_lead: str = "",
    kind: str = Kind.BUSINESS,
    sub_item: bool = False,
    after: AgendaItem | None = None,
    version: int | None = None,
    minutes_allowed: int | None = None,
) -> AgendaItem:
    """Add an item (by default before 'Any other business') and renumber the agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the agenda")
    _refuse_when_locked(meeting)
    ordered = _ordered_items(meeting)
    index = _insert_at(ordered, after)
    item = _new_item(
        meeting,
        title=title,
        presenter=presenter,
        presenter_lead=presenter_lead,
        kind=kind,
        position=index,
        minutes_allowed=minutes_allowed,
    )
    ordered.insert(index, item)
    _apply_order(meeting, ordered, {item.pk: sub_item})
    bump_version(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def update_item(
    item: AgendaItem,
    *,
    title: str,
    presenter: str,
    kind: str,
    sub_item: bool,
    version: int | None,
    minutes_allowed: int | None = None,
    presenter_lead: str = "",
) -> AgendaItem:
    """Change an item's title, presenter, kind, sub-item flag (renumbering as needed) or the
    minutes allowed for it."""
    # The meeting's row first, then the item's, as every change to the agenda takes them:
    # taken the other way round, two secretaries' saves could wait on each other for ever.
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.meeting = meeting
    check_version(item, version, f"item {item.number}")
    _refuse_when_locked(meeting)
    if sub_item and not item.is_sub_item and _ordered_items(item.meeting)[0].pk == item.pk:
        raise ValidationError(
            {"sub_item": f"Item {item.number} is the first item, so it cannot be a sub-item."}
        )
    item.title, item.presenter, item.kind = title, presenter, kind
    item.presenter_lead = presenter_lead
    item.minutes_allowed = minutes_allowed
    item.version += 1
    item.full_clean()
    item.save()
    if sub_item != item.is_sub_item:
        renumber_items(meeting, {item.pk: sub_item})
        bump_version(meeting)
    item.refresh_from_db()
    return item


def _blocks(ordered: list[AgendaItem]) -> list[list[AgendaItem]]:
    blocks: list[list[AgendaItem]] = []
    for item in ordered:
        if item.is_sub_item and blocks:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return blocks


@transaction.atomic
def move_item(item: AgendaItem, *, up: bool, version: int | None) -> list[AgendaItem]:
    """Move an item (with its sub-items) one place up or down, then renumber."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    check_version(meeting, version, "the agenda", typed=False)
    _refuse_when_locked(meeting)
    ordered = _ordered_items(meeting)
    item = next(i for i in ordered if i.pk == item.pk)
    if item.is_sub_item:
        block = next(b for b in _blocks(ordered) if item in b)
        subs = block[1:]
        at = subs.index(item)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(subs):
            raise ValidationError(
                f"Item {item.number} is already the {'first' if up else 'last'} sub-item of "
                f"item {block[0].number}."
            )
        subs[at], subs[other] = subs[other], subs[at]
        block[1:] = subs
        blocks = _blocks(ordered)
        blocks[[b[0].pk for b in blocks].index(block[0].pk)] = block
    else:
        blocks = _blocks(ordered)
        at = next(i for i, b in enumerate(blocks) if b[0].pk == item.pk)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(blocks):
            raise ValidationError(
                f"Item {item.number} is already the {'first' if up else 'last'} item."
            )
        blocks[at], blocks[other] = blocks[other], blocks[at]
    flat = [i for b in blocks for i in b]
    subs_flags = {i.pk: i.is_sub_item for i in flat}
    result = _apply_order(meeting, flat, subs_flags)
    bump_version(meeting)
    return result


@transaction.atomic
def remove_item(item: AgendaItem, *, version: int | None) -> None:
    """Remove an item that has nothing recorded against it, then renumber."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    check_version(meeting, version, "the agenda", typed=False)
    _refuse_when_locked(meeting)
    # The item's row too: a paper being added to it (save_paper locks the item) is counted.
    locked = AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise ValidationError(f"Item '{item.title}' was already removed by someone else.")
    item = locked
    held = [
        (item.papers.count(), "paper"),
        (item.paragraphs.count(), "minute paragraph"),
        (item.actions.count(), "action"),
        (item.declarations.count(), "declaration"),
        (item.dissents.count(), "dissent"),
        (
            Attendance.objects.filter(models.Q(from_item=item) | models.Q(to_item=item)).count(),
            "arrival or departure",
        ),
    ]
    found = [f"{n} {label}{'s' if n != 1 else ''}" for n, label in held if n]
    if found:
        raise ValidationError(
            f"Item {item.number} has {', '.join(found)} recorded against it; move or remove "
            "those first."
        )
    # Back on the forward plan: a form opened on the plan item while it was placed is stale.
    ForwardPlanItem.objects.filter(placed_item=item).update(
        placed_item=None, version=models.F("version") + 1
    )
    item.delete()
    renumber_items(meeting)
    bump_version(meeting)


def _refuse_when_locked(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ValidationError(
            "The minutes of this meeting are approved and locked (status: "
            f"{meeting.get_status_display()}), so its agenda can no longer change."
        )
