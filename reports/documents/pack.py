"""The agenda pack: agenda, minutes of the last meeting, actions arising and every paper.

The numbered parts are laid out as one WeasyPrint document in which each part starts on a
right-hand page (`break-before: right`; the left-blank pages say so). Where each part really
starts is read back from the laid-out pages; only then is the agenda laid out, with those page
references, and put in front. Uploaded PDFs are laid out as numbered placeholder pages and
merged under them with pypdf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from meetings.models import AgendaItem, Meeting
from reports.documents import records
from reports.documents.actions_arising import ActionsArising, build_actions_arising
from reports.documents.agenda import (
    AgendaView,
    Entry,
    agenda_metadata,
    build_agenda,
    lead_in,
    next_meeting_line,
)
from reports.documents.formats import long_date, short_date
from reports.documents.minutes import Minutes, build_minutes
from reports.documents.papers import PaperView, build_paper
from reports.documents.render import Correction, Metadata, Rendered, blank_page, layout, write
from reports.documents.uploads import Upload, merge_uploads, read_upload
from reports.models import Paper


class Audience(StrEnum):
    """The public pack leaves exempt papers out; the partners' pack includes them, marked."""

    PUBLIC = "public"
    PARTNERS = "partners"


@dataclass
class Part:
    """A part of the pack that starts on a right-hand page; pages include its blank padding."""

    kind: str  # minutes, actions_arising, paper, upload, withheld
    item: AgendaItem
    anchor: str
    bookmark: str
    exempt: bool = False
    minutes: Minutes | None = None
    report: ActionsArising | None = None
    view: PaperView | None = None
    paper: Paper | None = None
    upload: Upload | None = None
    start: int = 0
    end: int = 0

    @property
    def pages(self) -> int:
        return self.end - self.start + 1

    @property
    def upload_anchors(self) -> list[str]:
        return self.upload.anchors(self.anchor) if self.upload else []


@dataclass
class PackResult:
    """The pack PDF, the agenda it starts with (as a PDF of its own) and where each part is."""

    pack: Rendered | None
    agenda: Rendered | None
    parts: list[Part]
    agenda_pages: int
    entries: list[Entry] = field(default_factory=list)


def minutes_ready(meeting: Meeting | None, partners: bool) -> bool:
    """Draft minutes go in the partners' pack once circulated; the public's once published."""
    if meeting is None:
        return False
    if not partners:
        return meeting.minutes_are_public
    return meeting.stage() >= meeting.ORDER.index(meeting.Status.MINUTES_CIRCULATED)


def _parts(
    meeting: Meeting, items: list[AgendaItem], audience: Audience
) -> tuple[list[Part], dict[int, list[str]]]:
    """The parts in item order, and notes the agenda prints under items that have no part."""
    partners = audience == Audience.PARTNERS
    parts: list[Part] = []
    notes: dict[int, list[str]] = {}
    previous = None
    if any(i.kind == AgendaItem.Kind.MINUTES_OF_LAST_MEETING for i in items):
        previous = records.previous_meeting(meeting)

    def add(kind: str, item: AgendaItem, bookmark: str, **kwargs: Any) -> None:
        anchor = f"part-{len(parts) + 1}"
        parts.append(Part(kind=kind, item=item, anchor=anchor, bookmark=bookmark, **kwargs))

    for item in items:
        papers = list(item.papers.all())
        if item.kind == AgendaItem.Kind.MINUTES_OF_LAST_MEETING and previous is not None:
            if minutes_ready(previous, partners):
                add(
                    "minutes",
                    item,
                    f"Item {item.number}: Minutes of the meeting of {short_date(previous.date)}",
                    minutes=build_minutes(previous),
                )
            else:
                held = long_date(previous.date)
                circulated = minutes_ready(previous, partners=True)
                notes.setdefault(item.pk, []).append(
                    f"The draft minutes of the meeting held on {held} have been circulated to "
                    "partners; they are published once approved."
                    if circulated
                    else f"The minutes of the meeting held on {held} will follow."
                )
        if item.kind == AgendaItem.Kind.ACTIONS_ARISING and not papers:
            # The report is generated from the action log unless the secretary attached one.
            add(
                "actions_arising",
                item,
                f"Item {item.number}: Actions Arising",
                report=build_actions_arising(meeting, partners=partners),
            )
        for paper in papers:
            label = f"Item {item.number}: {paper.title}"
            if paper.is_exempt and not partners:
                add(
                    "withheld", item, f"Item {item.number}: report not for publication", paper=paper
                )
            elif paper.file:
                upload = read_upload(paper)
                add("upload", item, label, paper=paper, upload=upload, exempt=paper.is_exempt)
            else:
                view = build_paper(paper, meeting, partners=partners)
                add("paper", item, label, paper=paper, view=view, exempt=paper.is_exempt)
    return parts, notes


def _place_parts(document: Any, parts: list[Part]) -> int:
    """Read from the laid-out pages where each part starts; return the padded page count."""
    first_page: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, index)
    total = len(document.pages)
    padded = total + total % 2
    for index, part in enumerate(parts):
        part.start = first_page[part.anchor] + 1
        following = parts[index + 1] if index + 1 < len(parts) else None
        part.end = first_page[following.anchor] if following else padded
        if part.upload is not None:
            part.upload.page_indexes = [first_page[a] for a in part.upload.anchors(part.anchor)]
    return padded


def _entries(
    meeting: Meeting,
    items: list[AgendaItem],
    parts: list[Part],
    notes: dict[int, list[str]],
    audience: Audience,
    *,
    link: bool,
) -> list[Entry]:
    by_item: dict[int, list[Part]] = {}
    for part in parts:
        by_item.setdefault(part.item.pk, []).append(part)
    entries = []
    for item in items:
        item_parts = by_item.get(item.pk, [])
        papers = list(item.papers.all())
        entry = Entry(number=item.number, title=item.title, sub_item=not item.number.isdigit())
        if item_parts:
            entry.pages = (min(p.start for p in item_parts), max(p.end for p in item_parts))
            entry.anchor = item_parts[0].anchor if link else ""
        entry.lead = lead_in(item, has_report=bool(papers))
        for paper in papers:
            if paper.supplement:
                entry.notes.append(f"Supplementary paper: {paper.title}.")
            if paper.is_exempt:
                section = paper.exemption_section
                if audience == Audience.PARTNERS:
                    entry.notes.append(
                        f"Exempt — not for publication ({section}, Freedom of Information Act "
                        f"2000): “{paper.title}” is for partners only."
                    )
                else:
                    entry.notes.append(
                        "The report for this item is not for publication: it is exempt under "
                        f"the Freedom of Information Act 2000 ({section}) and is not included "
                        "in this pack."
                    )
        entry.notes += notes.get(item.pk, [])
        if item.kind == AgendaItem.Kind.DATE_OF_NEXT_MEETING:
            line = next_meeting_line(meeting)
            if line:
                entry.notes.append(line)
        entries.append(entry)
    return entries


def pack_metadata(view: AgendaView, audience: Audience) -> Metadata:
    if audience == Audience.PARTNERS:
        title = f"Partners' agenda pack (includes exempt papers): {view.body_name}, {view.date}"
    else:
        title = f"Agenda pack: {view.body_name}, {view.date}"
    return Metadata(
        title=title,
        author=view.body_name,
        subject=f"Agenda, minutes of the last meeting, actions arising and papers for the "
        f"meeting of the {view.body_name} on {view.date}",
        keywords=("agenda pack", view.meeting.key, audience.value),
    )


def build_pack(
    meeting: Meeting,
    audience: Audience = Audience.PUBLIC,
    *,
    correction: Correction | None = None,
    with_pack: bool = True,
    with_agenda: bool = True,
) -> PackResult:
    """Lay out the parts, compute the agenda's page references, and write what is asked for."""
    items = records.load_items(meeting, papers=True)
    parts, notes = _parts(meeting, items, audience)
    body = None
    padded = 0
    if parts:
        body = layout(
            "reports/pdf/pack_body.html",
            {"parts": parts, "meeting": meeting, "metadata": Metadata("", "", "")},
        )
        padded = _place_parts(body, parts)
    # The standalone agenda needs no links; inside the pack its page references are links.
    entries = _entries(meeting, items, parts, notes, audience, link=with_pack)
    view = build_agenda(meeting, entries, for_partners=audience == Audience.PARTNERS)
    metadata = agenda_metadata(view)
    context = {"view": view, "metadata": metadata, "correction": correction}
    agenda_doc = layout("reports/pdf/agenda.html", context)
    agenda_pages = list(agenda_doc.pages)

    pack = None
    if with_pack:
        pages = list(agenda_pages)
        if len(pages) % 2:
            pages.append(blank_page(None))
        offset = len(pages)
        if body is not None:
            pages += list(body.pages)
            if len(body.pages) % 2:
                pages.append(blank_page(len(body.pages) + 1))
        pack_meta = pack_metadata(view, audience)
        pdf = write(agenda_doc, pages, pack_meta)
        uploads = [p.upload for p in parts if p.upload is not None and p.upload.reader]
        if uploads:
            pdf = merge_uploads(pdf, uploads, offset=offset)
        pack = Rendered(
            pdf=pdf,
            pages=len(pages),
            metadata=pack_meta,
            extra={"padded_body_pages": padded, "agenda_pages": offset},
        )
    agenda = None
    if with_agenda:
        if with_pack:  # the agenda alone has no parts to link to: lay it out without links
            for entry in entries:
                entry.anchor = ""
            agenda_doc = layout("reports/pdf/agenda.html", context)
        agenda = Rendered(
            pdf=write(agenda_doc, list(agenda_doc.pages), metadata),
            pages=len(agenda_doc.pages),
            metadata=metadata,
        )
    return PackResult(
        pack=pack, agenda=agenda, parts=parts, agenda_pages=len(agenda_pages), entries=entries
    )
