"""Summary minutes: the context shared by the PDF, the pack and the accessible HTML page."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from meetings.models import AgendaItem, Attendance, Dissent, Meeting, paragraph_numbers
from members.models import Body
from reports.documents import records
from reports.documents.render import Correction, Metadata, Rendered, render_pdf
from reports.markdown import render_markdown
from vru_governance.rules.formats import clock, long_date
from vru_governance.rules.quorum import MeetingQuorum, QuorumError, not_quorate


@dataclass
class PersonLine:
    """One person in the Present, In attendance or Apologies lists."""

    text: str
    note: str = ""


@dataclass
class Paragraph:
    """A numbered minute paragraph and the "Action:" lines tied to it."""

    number: str
    anchor: str
    html: SafeString
    actions: list[str] = field(default_factory=list)


@dataclass
class MinutesItem:
    """An item of the minutes: heading, numbered paragraphs and what is set apart after them."""

    number: str
    title: str
    sub_item: bool
    paragraphs: list[Paragraph]
    actions: list[str]
    declarations: list[str]
    dissents: list[tuple[str, SafeString]]
    outcome: str
    quorum_note: str
    # The decision, where one was recorded (nothing prints where none was).
    recommendation: SafeString | str = ""
    approved_wording: SafeString | str = ""
    reservations: list[tuple[str, SafeString]] = field(default_factory=list)


@dataclass
class Minutes:
    """Everything the summary minutes print, in the seed's order."""

    meeting: Meeting
    body_name: str
    date: str
    time: str
    closed: str
    place: str
    present: list[PersonLine]
    in_attendance: list[PersonLine]
    apologies: list[PersonLine]
    items: list[MinutesItem]
    contact: str
    masthead: str
    running: str
    further_information: str = ""  # where more about the board may be found (a URL)


def substitute_phrase(*, substitutes_count: bool, member_sector: str) -> str:
    """How the minutes say whom a substitute stands for (the seed's two wordings).

    A member holding an organisation's seat is represented: the substitute attends "on behalf
    of" them. A member the Mayor appointed in their own right (ToR 4.5, the "other" line), or
    any member where the terms of reference do not let substitutes count, is replaced by a
    substitute: "as substitute for".
    """
    if substitutes_count and member_sector != "other":
        return "attending on behalf of"
    return "attending as substitute for"


def _attendance_note(
    a: Attendance, substitutes_count: bool, items: list[AgendaItem], sectors: dict[int, str]
) -> str:
    notes = []
    if a.capacity == Attendance.Capacity.SUBSTITUTE and a.on_behalf_of is not None:
        phrase = substitute_phrase(
            substitutes_count=substitutes_count,
            member_sector=sectors.get(a.on_behalf_of_id, ""),
        )
        notes.append(f"{phrase} {a.on_behalf_of.name}")
    if a.remote:
        notes.append("attending remotely")
    first, last = (items[0].pk, items[-1].pk) if items else (None, None)
    if a.from_item_id and a.from_item_id != first:
        notes.append(f"from item {a.from_item.number}")
    if a.to_item_id and a.to_item_id != last:
        notes.append(f"until item {a.to_item.number}")
    return "; ".join(notes)


def _quorum(meeting: Meeting, attendance: list[Attendance]) -> MeetingQuorum | None:
    """Quorum per item, only when attendance was recorded (otherwise nothing to say)."""
    if not any(a.capacity in ("member", "substitute") for a in attendance):
        return None
    try:
        return meeting.quorum()
    except QuorumError:
        return None  # the records are inconsistent; the workspace reports it, not the minutes


def quorum_note(present: int, needed: int, missing: tuple[str, ...]) -> str:
    """The note the minutes print under an item without quorum."""
    return f"{not_quorate(present, needed, missing)}."


def build_minutes(meeting: Meeting) -> Minutes:
    """The minutes of a meeting from its records (a fixed number of queries)."""
    items = records.load_items(meeting, minutes=True, papers=False)
    attendance = records.load_attendance(meeting)
    terms = meeting.terms()
    substitutes_count = terms.substitutes_count if terms else True
    quorum = _quorum(meeting, attendance)
    inquorate = {i.number: i for i in quorum.items if not i.quorate} if quorum else {}

    paragraphs_by_item = {item.pk: list(item.paragraphs.all()) for item in items}
    numbers = paragraph_numbers(items, paragraphs_by_item)
    minutes_items = []
    for item in items:
        paras = paragraphs_by_item[item.pk]
        by_pk = {
            p.pk: Paragraph(
                number=numbers[p.pk],
                anchor=f"para-{numbers[p.pk].replace('.', '-')}",
                html=render_markdown(p.text, number=numbers[p.pk]),
            )
            for p in paras
        }
        item_actions = []
        for action in item.actions.all():
            if not getattr(action, "confirmed", True):
                continue  # an "Action:" line the secretary has not confirmed yet
            line = action.owners_display()
            if action.minutes_text:  # "Action: Owner — text", as its line gave it
                line = f"{line} — {action.minutes_text}"
            paragraph = by_pk.get(getattr(action, "paragraph_id", None))
            if paragraph is not None:
                paragraph.actions.append(line)
            else:
                item_actions.append(line)
        lost = inquorate.get(item.number)
        minutes_items.append(
            MinutesItem(
                number=item.number,
                title=item.title,
                sub_item=not item.number.isdigit(),
                paragraphs=list(by_pk.values()),
                actions=item_actions,
                declarations=[
                    f"{d.person.name} declared an interest: {d.interest}"
                    + (" They withdrew for this item." if d.withdrew else "")
                    for d in item.declarations.all()
                ],
                dissents=[
                    (d.person.name, render_markdown(d.text))
                    for d in item.dissents.all()
                    if d.kind != Dissent.Kind.RESERVATION
                ],
                # A decision stated in a paragraph ("Partners noted …") prints there only.
                outcome=item.get_outcome_display()
                if item.outcome and not item.decision_paragraph
                else "",
                quorum_note=quorum_note(lost.present, lost.needed, lost.missing) if lost else "",
                recommendation=render_markdown(item.recommendation) if item.recommendation else "",
                approved_wording=(
                    render_markdown(item.approved_wording) if item.approved_wording else ""
                ),
                reservations=[
                    (d.person.name, render_markdown(d.text))
                    for d in item.dissents.all()
                    if d.kind == Dissent.Kind.RESERVATION
                ],
            )
        )

    held = (
        {
            h.person_id: h
            for h in meeting.body.appointments.active_on(meeting.date).select_related("person")
        }
        if attendance
        else {}
    )
    sectors = records.sectors_on_date(meeting, list(held.values())) if attendance else {}

    def described(a: Attendance) -> str:
        # As they were on the meeting day: the role and honorific of the appointment then.
        appointment = held.get(a.person_id)
        line = appointment.described() if appointment is not None else a.person.described()
        suffix = records.SEAT_SUFFIX.get(sectors.get(a.person_id, ""))
        if a.capacity == Attendance.Capacity.MEMBER and suffix:
            return f"{line} {suffix}"
        return line

    def lines(capacities: tuple[str, ...]) -> list[PersonLine]:
        return [
            PersonLine(described(a), _attendance_note(a, substitutes_count, items, sectors))
            for a in attendance
            if a.capacity in capacities
        ]

    body = meeting.body
    return Minutes(
        meeting=meeting,
        body_name=body.name,
        date=long_date(meeting.date),
        time=clock(meeting.start_time),
        closed=clock(meeting.end_time),
        place=meeting.place,
        present=lines(("member", "substitute")),
        in_attendance=lines(("in_attendance",)),
        apologies=lines(("apologies",)),
        items=minutes_items,
        contact=records.contact_officer(meeting),
        masthead=masthead(body),
        running=f"{body.name}\n{long_date(meeting.date)}",
        further_information=getattr(settings, "DOCUMENTS_FURTHER_INFORMATION_URL", ""),
    )


def masthead(body: Body) -> str:
    """The organisation line printed top right of the body's documents (the London VRU's,
    as on the seed's pages: "MAYOR OF LONDON"); blank, none."""
    return body.publisher_line


def minutes_metadata(minutes: Minutes) -> Metadata:
    return Metadata(
        title=f"Summary minutes: {minutes.body_name}, {minutes.date}",
        author=minutes.body_name,
        subject=f"Summary minutes of the meeting of the {minutes.body_name} held on {minutes.date}",
        keywords=("minutes", minutes.meeting.key),
    )


def minutes_html(minutes: Minutes) -> SafeString:
    """The body of the accessible minutes page (everything but the links to the PDFs)."""
    # Reviewed: a template rendered with autoescaping; typed text went through render_markdown.
    return mark_safe(render_to_string("reports/_minutes_body.html", {"minutes": minutes}))  # nosec B703, B308


def minutes_facts(minutes: Minutes) -> dict[str, Any]:
    """What the public meeting page shows of the minutes (StoredDocument.facts), from the very
    object their PDF prints: the meeting's date, times and place, and the minutes themselves
    (attendance, and each item's paragraphs, actions, declarations, dissent and decision)."""
    meeting = minutes.meeting
    printed = {f.name: getattr(minutes, f.name) for f in fields(minutes) if f.name != "meeting"}
    return {
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.isoformat(),
        "end_time": meeting.end_time.isoformat() if meeting.end_time else "",
        "place": meeting.place,
        # Plain JSON: dataclasses as dicts, the HTML of paragraphs and decisions as text.
        "minutes": json.loads(json.dumps(printed, default=asdict)),
    }


def _html(text: str) -> SafeString:
    # Reviewed: HTML this module made (render_markdown, autoescaped) when the minutes were
    # frozen, read back from the store.
    return mark_safe(text)  # nosec B703, B308


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The fields of `cls` a snapshot holds (one frozen before a field was added has not)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def minutes_from_facts(facts: dict[str, Any], meeting: Meeting) -> Minutes | None:
    """The minutes as frozen (minutes_facts), for the meeting page; None when the snapshot
    predates them."""
    data = facts.get("minutes")
    if not data:
        return None
    items = []
    for raw in data["items"]:
        item = MinutesItem(**_known(MinutesItem, raw))
        item.paragraphs = [
            Paragraph(**{**_known(Paragraph, p), "html": _html(p["html"])})
            for p in raw["paragraphs"]
        ]
        item.dissents = [(name, _html(text)) for name, text in raw["dissents"]]
        item.reservations = [(name, _html(text)) for name, text in raw.get("reservations", [])]
        item.recommendation = _html(raw.get("recommendation", ""))
        item.approved_wording = _html(raw.get("approved_wording", ""))
        items.append(item)
    people = {
        key: [PersonLine(**_known(PersonLine, line)) for line in data[key]]
        for key in ("present", "in_attendance", "apologies")
    }
    return Minutes(
        **{**_known(Minutes, data), **people, "items": items, "meeting": meeting},
    )


def render_minutes(meeting: Meeting, *, correction: Correction | None = None) -> Rendered:
    """The summary minutes as a PDF of their own (pages numbered from 1), with the HTML of
    the page and the meeting page's facts from the same snapshot (extra["html"] and
    extra["facts"]: stored beside the frozen PDF)."""
    minutes = build_minutes(meeting)
    metadata = minutes_metadata(minutes)
    rendered = render_pdf(
        "reports/pdf/minutes.html",
        # Until published, the PDF says DRAFT on every page (print.css).
        {"minutes": minutes, "correction": correction, "draft": not meeting.minutes_are_public},
        metadata,
    )
    rendered.extra["html"] = str(minutes_html(minutes))
    rendered.extra["facts"] = minutes_facts(minutes)
    return rendered
