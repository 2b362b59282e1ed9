"""Workflows on meetings: the agenda, papers, publication, the forward plan and attendance.

Each workflow is one transaction, runs the models' full_clean() and raises ValidationError.
Minutes workflows are in meetings/minutes_services.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import slugify

from meetings import notifications
from meetings.models import (
    AgendaItem,
    Attendance,
    ChecklistAcknowledgement,
    ForwardPlanItem,
    Meeting,
    item_sort_key,
)
from members.models import Body
from reports.models import Paper

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


class EditConflict(ValidationError):
    """Someone else saved the record since this form was opened (optimistic locking).

    `current` is the version saved now: a form shown again carries it, so that saving again
    after reviewing the other person's change is accepted."""

    def __init__(self, message: str, *, current: int | None = None) -> None:
        super().__init__(message, code="conflict")
        self.current = current


def check_version(
    obj: models.Model,
    version: int | None,
    what: str,
    *,
    typed: bool = True,
    field: str = "version",
) -> None:
    """Refuse a save made from a stale form; the caller holds the row lock on obj and shows the
    typed values back (or, for a button such as Up or Remove, the page as it is now)."""
    current = getattr(obj, field)
    if version is None or version == current:
        return
    if typed:
        raise EditConflict(
            f"Someone else saved {what} while you were editing it, so your changes were not "
            "saved. What you typed is shown below beside the current version: review it and "
            "save again.",
            current=current,
        )
    raise EditConflict(
        f"Someone else changed {what} since you opened the page, so nothing was changed. "
        "Check it as it is now and try again.",
        current=current,
    )


def bump_version(obj: models.Model, field: str = "version") -> None:
    """Raise the version (the caller holds the row lock) so stale forms are refused."""
    setattr(obj, field, getattr(obj, field) + 1)
    obj.save(update_fields=[field])


def freeze_published_documents(
    meeting: Meeting, stage: str, *, correction_note: str = "", user: User | None = None
) -> None:
    """Freeze the documents published at this stage ("agenda" or "minutes") through
    reports.services.freeze_documents; a correction note stores a new version."""
    # Imported here: rendering pulls in WeasyPrint, which the rest of this module never needs.
    # A failing import fails the publication too, never publishing without its documents.
    from reports import services as documents

    kinds = documents.AGENDA_KINDS if stage == "agenda" else documents.MINUTES_KINDS
    documents.freeze_documents(meeting, kinds, correction_note=correction_note, user=user)


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
        # Free the numbers first: the database keeps item numbers unique per meeting.
        AgendaItem.objects.filter(pk__in=[i.pk for i, _, _ in changed]).update(
            number=Concat(models.Value("~"), Cast("pk", models.CharField()))
        )
        for item, number, position in changed:
            item.number, item.position = number, position
            item.save(update_fields=["number", "position"])
    return ordered


@transaction.atomic
def renumber_items(meeting: Meeting, subs: dict[int, bool] | None = None) -> list[AgendaItem]:
    """Renumber a meeting's items in their order: 1, 2, … and sub-items 8a, 8b."""
    return _apply_order(meeting, _ordered_items(meeting), subs)


def unique_meeting_key(body: Body, date: dt.date) -> str:
    key, n = date.isoformat(), 1
    while body.meetings.filter(key=key).exists():
        n += 1
        key = f"{date.isoformat()}-{n}"
    return key


@transaction.atomic
def create_meeting_with_standard_agenda(
    body: Body,
    *,
    date: dt.date,
    start_time: dt.time,
    place: str = "",
    end_time: dt.time | None = None,
    planned: Iterable[ForwardPlanItem] = (),
) -> Meeting:
    """Create a draft meeting that starts with the body's standard agenda (and planned items)."""
    Body.objects.select_for_update().get(pk=body.pk)  # one new meeting of a body at a time
    twin = body.meetings.exclude(status=Meeting.Status.CANCELLED).filter(
        date=date, start_time=start_time
    )
    if twin.exists():
        # Most often the same form sent twice (a double click, or Back and send again).
        raise ValidationError(
            {
                "date": f"The body already has a meeting on {date:%-d %B %Y} at "
                f"{start_time:%H:%M}; open it from the list of meetings, or choose another "
                "date or time."
            }
        )
    meeting = Meeting(
        body=body,
        key=unique_meeting_key(body, date),
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
    )
    meeting.full_clean()
    meeting.save()
    for position, (title, kind) in enumerate(STANDARD_AGENDA, start=1):
        AgendaItem.objects.create(
            meeting=meeting, number=str(position), position=position, title=title, kind=kind
        )
    for plan in planned:
        place_planned_item(plan, meeting)
    return meeting


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
    kind: str = Kind.BUSINESS,
    sub_item: bool = False,
    after: AgendaItem | None = None,
    version: int | None = None,
) -> AgendaItem:
    """Add an item (by default before 'Any other business') and renumber the agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the agenda")
    _refuse_when_locked(meeting)
    ordered = _ordered_items(meeting)
    index = _insert_at(ordered, after)
    item = _new_item(meeting, title=title, presenter=presenter, kind=kind, position=index)
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
) -> AgendaItem:
    """Change an item's title, presenter, kind or sub-item flag (renumbering as needed)."""
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
    ForwardPlanItem.objects.filter(placed_item=item).update(placed_item=None)
    item.delete()
    renumber_items(meeting)
    bump_version(meeting)


@transaction.atomic
def update_meeting_details(
    meeting: Meeting,
    *,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None,
    place: str,
    version: int | None,
) -> Meeting:
    """Change the date, times and place of a meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the meeting's details")
    meeting.date, meeting.start_time, meeting.end_time, meeting.place = (
        date,
        start_time,
        end_time,
        place,
    )
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    return meeting


def _refuse_when_locked(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ValidationError(
            "The minutes of this meeting are approved and locked (status: "
            f"{meeting.get_status_display()}), so its agenda can no longer change."
        )


# Papers --------------------------------------------------------------------------------


def unique_paper_key(item: AgendaItem, title: str, exclude: int | None = None) -> str:
    base = slugify(title)[:70] or "paper"
    key, n = base, 1
    while item.papers.exclude(pk=exclude).filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def save_paper(
    paper: Paper, *, upload: UploadedFile | None = None, version: int | None = None
) -> Paper:
    """Add or change a paper; one added after the agenda was published is a supplement.

    A change made from a form opened before someone else saved the paper is refused
    (EditConflict): `version` is the paper's version the form was opened with."""
    try:
        # The item's row: new papers of an item take their keys and places one at a time, and
        # an item being removed (remove_item locks it too) sees the paper.
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("meeting__body")
            .get(pk=paper.item_id)
        )
    except AgendaItem.DoesNotExist:
        raise ValidationError(
            "The agenda item was removed while you were writing, so the paper was not saved. "
            "What you typed is shown below: copy it before leaving the page."
        ) from None
    if paper.pk is None:
        paper.item = item
        paper.key = unique_paper_key(item, paper.title)
        paper.position = item.papers.count()
        paper.supplement = item.meeting.agenda_is_public
    else:
        saved = Paper.objects.select_for_update().filter(pk=paper.pk).first()
        if saved is None:
            raise ValidationError(
                "Someone else removed this paper while you were editing it, so it was not "
                "saved. What you typed is shown below: copy it before leaving the page."
            )
        check_version(saved, version, f"the paper '{saved.title}'")
        paper.version = saved.version + 1
    if upload is not None:
        # The stored name is rebuilt from the paper's key (reports.models.paper_upload_to).
        paper.file.save(f"{paper.key}.pdf", upload, save=False)
    paper.full_clean()
    paper.save()
    return paper


# Publication ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One pre-publication check: passed or failed, with what it found."""

    key: str
    label: str
    passed: bool
    detail: str


def clear_days(published_on: dt.date, meeting_on: dt.date) -> int:
    """Whole days between publication and the meeting, neither day counted."""
    return max((meeting_on - published_on).days - 1, 0)


def agenda_checks(meeting: Meeting, today: dt.date | None = None) -> list[Check]:
    """The pre-publication checklist of an agenda (DESIGN rules 3, 7, 8 and 9)."""
    today = today or timezone.localdate()
    terms = meeting.terms()
    checks: list[Check] = []
    notice = terms.agenda_notice_days if terms else 5
    days = clear_days(today, meeting.date)
    checks.append(
        Check(
            "notice",
            "Notice period",
            days >= notice,
            f"Publishing today ({today:%-d %B %Y}) gives {days} clear day"
            f"{'s' if days != 1 else ''} before the meeting; the terms of reference ask for "
            f"{notice}.",
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


@transaction.atomic
def publish_agenda(
    meeting: Meeting,
    user: User | None,
    acknowledgements: dict[str, str],
    *,
    today: dt.date | None = None,
    base_url: str = "",
) -> Meeting:
    """Publish a draft agenda: every failed check acknowledged with a reason; partners emailed."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(
            f"The agenda is not a draft ({meeting.get_status_display().lower()}), so it cannot "
            "be published again."
        )
    checks = agenda_checks(meeting, today)
    errors = {
        c.key: f"{c.label} failed: fix it, or give the reason for publishing anyway. {c.detail}"
        for c in checks
        if not c.passed and not acknowledgements.get(c.key, "").strip()
    }
    if errors:
        raise ValidationError(errors)
    for check in checks:
        if not check.passed:
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
    meeting.agenda_published_at = timezone.now()
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    freeze_published_documents(meeting, "agenda", user=user)
    transaction.on_commit(lambda: notifications.notify_agenda_published(meeting, base_url))
    return meeting


# The forward plan ----------------------------------------------------------------------


@transaction.atomic
def save_forward_plan_item(plan: ForwardPlanItem) -> ForwardPlanItem:
    """Add or change an item of the forward plan."""
    plan.full_clean()
    plan.save()
    return plan


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
