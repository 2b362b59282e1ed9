"""Workflows on summary minutes: paragraphs with 'Action:' lines, declarations, dissent, and
corrections once approved (the lifecycle steps are in minutes_lifecycle.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from actions.models import Action, ActionOwner
from actions.services import (
    owner_names,
    owners_from_text,
    owners_note,
    save_noting,
    set_owners,
    unique_action_key,
)
from meetings import lock_scope
from meetings.models import (
    AgendaItem,
    Declaration,
    Dissent,
    Meeting,
    MinuteParagraph,
    MinutesCorrection,
    paragraph_numbers,
)
from meetings.services import publication
from meetings.services.attendance import quorum_panel, refuse_outcomes_without_quorum
from members.models import Person
from vru_governance.rules.versions import check_version

Status = Meeting.Status

# "Action: Lib Peck and Jake Ferguson" on a line of its own (bold or not).
ACTION_LINE = re.compile(
    r"[ \t]*[*_]{0,2}Action[*_]{0,2}\s*:[*_]{0,2}\s*(?P<owners>.+?)[*_]{0,2}\s*", re.IGNORECASE
)


# "Action: Lib Peck — write to the borough leaders": the owners, a dash with a space either
# side (em, en, "--" or "-"), then the action's own words.
ACTION_TEXT = re.compile(r"(?P<owners>.+?)\s+(?:—|–|--|-)\s+(?P<text>\S.*)", re.DOTALL)


def split_action_line(line: str) -> tuple[str, str]:
    """The owners and the action's own words of an 'Action:' line ('' when it names only its
    owners, as the seed's 'Action: Clerk')."""
    match = ACTION_TEXT.fullmatch(line.strip())
    if match is None:
        return line.strip(), ""
    return match["owners"].strip(), match["text"].strip()


def parse_action_lines(text: str) -> tuple[str, list[str]]:
    """Split a paragraph into its text and the owners named on its 'Action:' lines."""
    kept, owners = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        match = ACTION_LINE.fullmatch(line)
        if match:
            owners.append(match["owners"].strip())
        else:
            kept.append(line)
    return "\n".join(kept).strip(), owners


def plain(text: str) -> str:
    """Markdown reduced to one line of plain words, for an action's first wording."""
    text = re.sub(r"[*_`#>]+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class ParagraphInput:
    """A paragraph as typed: its id when it exists, its text, and whether to delete it."""

    pk: int | None
    text: str
    delete: bool = False


def _editable(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ValidationError(
            f"The minutes have been approved ({meeting.get_status_display()}) and are "
            "locked; record a correction instead."
        )
    if meeting.stage() < Meeting.ORDER.index(Status.AGENDA_PUBLISHED):
        raise ValidationError("Publish the agenda before writing the minutes.")


def _start_draft(meeting: Meeting) -> None:
    if meeting.status in (Status.AGENDA_PUBLISHED, Status.HELD):
        meeting.status = Status.MINUTES_DRAFT
        meeting.version += 1
        meeting.save(update_fields=["status", "version"])


def people_of_meeting(meeting: Meeting) -> set[int]:
    """The ids of the meeting's members on its date and of everyone recorded at it."""
    ids = set(meeting.attendance.values_list("person_id", flat=True))
    return ids | set(meeting.body.appointments_on(meeting.date).values_list("person_id", flat=True))


def owner_candidates(meeting: Meeting) -> tuple[list[Person], set[int]]:
    """Everyone who may own an action, and those at the meeting (preferred on a tie)."""
    return list(Person.objects.all()), people_of_meeting(meeting)


def create_action_from_line(
    meeting: Meeting,
    item: AgendaItem,
    paragraph: MinuteParagraph,
    owners: str,
    people: tuple[list[Person], set[int]],
) -> Action:
    """An unconfirmed action owned by the named people (or roles) for the secretary to confirm;
    its history's first entry names them. 'Action: Owner — text' gives the action its own
    words, which the minutes print after the owners as typed; 'Action: Owner' alone takes the
    paragraph's words, and the minutes print the owners only (as the seed does, the paragraph
    saying what is to be done). The action log and the actions-arising report print the
    words."""
    owners, own_text = split_action_line(owners)
    named = owners_from_text(owners, people[0], people[1])
    action = Action(
        meeting=meeting,
        item=item,
        paragraph=paragraph,
        key=unique_action_key(meeting, item.number),
        position=meeting.actions.count(),
        description=plain(own_text or paragraph.text),
        minutes_text=plain(own_text),
        confirmed=False,
    )
    action.full_clean()
    save_noting(action, owners_note([], owner_names(named)))
    set_owners(action, named)
    return action


@dataclass(frozen=True)
class DecisionInput:
    """An item's decision as typed besides its outcome: the recommendation as put, the wording
    approved, and the paragraph (1 for the first) that states it as minuted, if one does."""

    recommendation: str = ""
    approved_wording: str = ""
    paragraph: int | None = None


@transaction.atomic
def save_item_minutes(
    item: AgendaItem,
    *,
    version: int | None,
    paragraphs: list[ParagraphInput],
    outcome: str,
    decision: DecisionInput | None = None,
) -> list[Action]:
    """Save an item's numbered paragraphs and its decision (the outcome, and the rest of the
    decision unless None); each 'Action:' line makes an action."""
    # The meeting's row first, then the item's, in the order every agenda change takes them.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body")
        .get(pk=item.meeting_id)
    )
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.meeting = meeting
    check_version(item, version, f"the minutes of item {item.number}")
    _editable(meeting)
    existing = {p.pk: p for p in item.paragraphs.all()}
    people = owner_candidates(meeting)
    created: list[Action] = []
    position = 0
    for entry in paragraphs:
        text, owner_lines = parse_action_lines(entry.text)
        paragraph = existing.get(entry.pk) if entry.pk else None
        if entry.pk and paragraph is None:
            if MinuteParagraph.objects.filter(pk=entry.pk).exists():
                raise ValidationError("A paragraph of another item was submitted; reload the page.")
            # Removed by someone else since the form was opened: what was typed is kept as a
            # new paragraph rather than lost.
        if entry.delete or not text:
            if owner_lines and not entry.delete:
                raise ValidationError(
                    {"paragraphs": "An 'Action:' line goes under the paragraph it belongs to."}
                )
            if paragraph is not None:
                paragraph.delete()
            continue
        if paragraph is None:
            paragraph = MinuteParagraph(item=item)
        if paragraph.pk is None or paragraph.text != text or paragraph.position != position:
            if paragraph.pk is not None and paragraph.text != text:
                paragraph.version += 1
            paragraph.text, paragraph.position = text, position
            paragraph.full_clean()
            paragraph.save()
        for owners in owner_lines:
            created.append(create_action_from_line(meeting, item, paragraph, owners, people))
        position += 1
    item.outcome = outcome
    if decision is not None:
        item.recommendation = decision.recommendation.strip()
        item.approved_wording = decision.approved_wording.strip()
        item.decision_paragraph = decision.paragraph
    item.version += 1
    item.full_clean()
    item.check_reservations(item.dissents.filter(kind=Dissent.Kind.RESERVATION).count())
    item.check_decision_paragraph(position)
    item.save()
    _start_draft(meeting)
    return created


def _lock_item(item: AgendaItem) -> AgendaItem:
    """The item's meeting and then the item, locked in the order every agenda and minutes
    change takes them, and read again: the minutes may have been approved (and locked) or the
    item removed since the page was opened."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body")
        .get(pk=item.meeting_id)
    )
    locked = AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise ValidationError(
            f"Item {item.number} was removed from the agenda by someone else, so nothing was "
            "recorded."
        )
    locked.meeting = meeting
    return locked


@transaction.atomic
def add_declaration(
    item: AgendaItem, *, person: Person, interest: str, withdrew: bool
) -> Declaration:
    """Record an interest declared for an item, and whether the person withdrew from it."""
    item = _lock_item(item)
    _editable(item.meeting)
    if item.declarations.filter(person=person).exists():
        raise ValidationError(
            {"person": f"{person} has already declared an interest in item {item.number}."}
        )
    declaration = Declaration(item=item, person=person, interest=interest, withdrew=withdrew)
    declaration.full_clean()
    declaration.save()
    if withdrew:
        refuse_outcomes_without_quorum(item.meeting)
    _start_draft(item.meeting)
    return declaration


@transaction.atomic
def remove_declaration(declaration: Declaration) -> None:
    item = _lock_item(declaration.item)
    _editable(item.meeting)
    _refuse_removed(item.declarations.filter(pk=declaration.pk), "declaration")
    declaration.delete()


@transaction.atomic
def add_dissent(
    item: AgendaItem, *, person: Person, text: str, kind: str = Dissent.Kind.DISSENT
) -> Dissent:
    """Record a member's dissent or objection, or a reservation about a decision they joined,
    with its reason, against an item (it prints in the minutes)."""
    item = _lock_item(item)
    _editable(item.meeting)
    dissent = Dissent(item=item, person=person, text=text, kind=kind)
    dissent.full_clean()
    dissent.save()
    _start_draft(item.meeting)
    return dissent


@transaction.atomic
def remove_dissent(dissent: Dissent) -> None:
    item = _lock_item(dissent.item)
    _editable(item.meeting)
    _refuse_removed(item.dissents.filter(pk=dissent.pk), "dissent")
    dissent.delete()


def _refuse_removed(still_there: QuerySet, what: str) -> None:
    if not still_there.exists():
        raise ValidationError(f"That {what} was already removed by someone else.")


@transaction.atomic
def set_closing_time(meeting: Meeting, *, end_time: dt.time | None, version: int | None) -> Meeting:
    """Record the time the meeting closed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, version, "the meeting")
    _editable(meeting)
    meeting.end_time = end_time
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    return meeting


# Corrections -------------------------------------------------------------------------


@transaction.atomic
def correct_minutes(
    paragraph: MinuteParagraph,
    *,
    text: str,
    reason: str,
    user: User | None,
    version: int | None = None,
) -> MinutesCorrection:
    """Change a paragraph of approved minutes, recorded as a correction with its reason.

    `version` is the paragraph's version the form was opened with: a correction written
    against text someone else has corrected since is refused (EditConflict)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body")
        .get(pk=paragraph.item.meeting_id)
    )
    paragraph = (
        MinuteParagraph.objects.select_for_update(of=("self",))
        .select_related("item")
        .get(pk=paragraph.pk)
    )
    if not meeting.minutes_locked:
        raise ValidationError("These minutes are not approved yet: edit them directly.")
    check_version(paragraph, version, "this paragraph")
    text = text.strip()
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the correction."})
    if not text or text == paragraph.text:
        raise ValidationError({"text": "The corrected text is empty or unchanged."})
    correction = MinutesCorrection(
        meeting=meeting,
        paragraph=paragraph,
        what="a minute paragraph",
        before=paragraph.text,
        after=text,
        reason=reason.strip(),
        made_by=user,
    )
    correction.full_clean()
    correction.save()
    paragraph.text = text
    paragraph.version += 1
    paragraph.full_clean()
    # The one way past the lock on approved minutes (meetings/lock_scope.py).
    with lock_scope.correcting(meeting):
        paragraph.save()
    if meeting.minutes_are_public:
        publication.freeze_published_documents(
            meeting,
            "minutes",
            user=user,
            correction_note=f"Paragraph corrected: {correction.reason}",
        )
    return correction


# The summary minutes as the public reads them --------------------------------------------


@dataclass
class ParagraphView:
    number: str
    paragraph: MinuteParagraph
    actions: list[Action] = field(default_factory=list)


@dataclass
class ItemView:
    item: AgendaItem
    paragraphs: list[ParagraphView]
    actions: list[Action]
    declarations: list[Declaration]
    dissents: list[Dissent]
    quorate: bool | None
    quorum_note: str


@dataclass
class MinutesView:
    meeting: Meeting
    items: list[ItemView]
    quorum_error: str


def minutes_view(meeting: Meeting) -> MinutesView:
    """The minutes editor's items with their paragraphs, actions, declarations, dissents and
    quorum, in a fixed number of queries."""
    # Each query is ordered within its one meeting, item or action: the models' default
    # orderings start with the parent, which joins the items, the meeting and the body only
    # to sort by the body's name and the meeting's date (three joins a query, and half of
    # the time Django spends compiling it).
    appointments = list(
        meeting.body.appointments_on(meeting.date).order_by("start", "person__name")
    )
    # For quorum only: no names are printed.
    attendance = list(meeting.attendance.order_by("position", "pk"))
    items = list(
        meeting.items.order_by("position", "pk").prefetch_related(
            Prefetch("paragraphs", queryset=MinuteParagraph.objects.order_by("position", "pk")),
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("person").order_by("pk"),
            ),
            Prefetch("dissents", queryset=Dissent.objects.select_related("person").order_by("pk")),
            Prefetch(
                "actions",
                queryset=Action.objects.order_by("position", "pk").prefetch_related(
                    Prefetch(
                        "owners",
                        queryset=ActionOwner.objects.select_related("person").order_by(
                            "position", "pk"
                        ),
                    )
                ),
            ),
        )
    )
    numbers = paragraph_numbers(items, {i.pk: list(i.paragraphs.all()) for i in items})
    # Quorum from the records loaded above, not loaded again.
    panel = quorum_panel(meeting, items=items, appointments=appointments, attendance=attendance)
    by_number = {r.number: r for r in panel.result.items} if panel.result else {}
    views = []
    for item in items:
        actions = list(item.actions.all())
        paragraphs = [ParagraphView(numbers[p.pk], p) for p in item.paragraphs.all()]
        by_pk = {v.paragraph.pk: v for v in paragraphs}
        loose = []
        for action in actions:
            if action.paragraph_id in by_pk:
                by_pk[action.paragraph_id].actions.append(action)
            else:
                loose.append(action)
        result = by_number.get(item.number)
        note = ""
        if result is not None and not result.quorate:
            note = f"{result.not_quorate()}."
        views.append(
            ItemView(
                item,
                paragraphs,
                loose,
                list(item.declarations.all()),
                list(item.dissents.all()),
                result.quorate if result else None,
                note,
            )
        )
    return MinutesView(meeting=meeting, items=views, quorum_error=panel.error)
