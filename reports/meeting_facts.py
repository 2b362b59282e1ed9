"""What the meeting page shows of a meeting's agenda: its published facts, as frozen with its
documents, and the agenda's rows with each paper as one reader may see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from meetings import access
from meetings.access import AnyUser
from meetings.models import AgendaItem, Meeting, presenter_line
from reports.documents.facts import agenda_facts
from reports.documents.minutes import Minutes, minutes_from_facts
from reports.models import Paper, StoredDocument
from reports.published import document_url, paper_page_url


@dataclass
class PaperRow:
    """A paper as one reader may see it: in full, or only as 'not for publication'."""

    paper: Paper | FactPaper
    visible: bool
    url: str = ""
    # The frozen copy this reader is served (size and pages for the link's label), if any yet.
    stored: StoredDocument | None = None
    # An authored paper's HTML page, read from the same frozen snapshot as its PDF.
    html_url: str = ""


@dataclass
class ItemRow:
    """An agenda item with the papers under it."""

    item: AgendaItem | FactItem
    papers: list[PaperRow] = field(default_factory=list)

    @property
    def lead(self) -> str:
        """The presenter line as the agenda prints it ('An update to be provided by …')."""
        return presenter_line(
            self.item.presenter_lead, self.item.presenter, has_report=bool(self.papers)
        )


def frozen_papers(user: AnyUser, meeting: Meeting) -> dict[int, StoredDocument]:
    """The newest frozen copy of each paper of a published agenda, in the audience the user
    is served (reports.services.stored_paper), by paper id: one query, sizes and pages only."""
    if not meeting.agenda_is_public:
        return {}
    partners = access.can_see_body_records(user, meeting.body)
    audience = StoredDocument.Audience.PARTNERS if partners else StoredDocument.Audience.PUBLIC
    copies = (
        meeting.stored_documents.filter(kind=StoredDocument.Kind.PAPER, audience=audience)
        .order_by("paper_id", "version")
        .only("paper_id", "version", "size", "pages")
    )
    return {copy.paper_id: copy for copy in copies}


@dataclass
class FactItem:
    """An agenda item as its latest frozen agenda (and minutes) printed it."""

    meeting: Meeting
    number: str
    title: str
    kind: str
    presenter: str
    presenter_lead: str = ""
    outcome: str = ""  # printed in the published minutes
    papers: list[FactPaper] = field(default_factory=list)


@dataclass
class FactPaper:
    """A paper as the frozen agenda listed it (the public's names no exempt paper)."""

    item: FactItem
    pk: int | None
    key: str
    title: str
    author: str
    supplement: bool
    is_exempt: bool
    exemption_section: str
    authored: bool


@dataclass
class MeetingFacts:
    """What the meeting page shows of a meeting: read from the snapshot stored with its latest
    frozen agenda (the minutes', once published), so that the page and the PDFs of those
    versions never disagree; from the records while nothing is frozen (a draft, or documents
    frozen before snapshots were kept)."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time | None
    place: str
    items: list[FactItem]
    # The published minutes as frozen (attendance, each item's paragraphs and decision).
    minutes: Minutes | None = None


def _frozen_facts(meeting: Meeting, kinds: list[str]) -> dict[str, dict]:
    """The facts stored with the newest version of each kind (one query)."""
    newest = (
        StoredDocument.objects.filter(meeting=OuterRef("meeting"), kind=OuterRef("kind"))
        .order_by("-version")
        .values("version")[:1]
    )
    stored = meeting.stored_documents.filter(kind__in=kinds, version=Subquery(newest))
    return {doc.kind: doc.facts for doc in stored.only("kind", "facts") if doc.facts}


def meeting_facts(user: AnyUser, meeting: Meeting) -> MeetingFacts:
    """The meeting's published facts as this reader's agenda (the public's or the partners')
    and, once published, the minutes printed them (one query; three with nothing frozen)."""
    Kind = StoredDocument.Kind
    partners = access.can_see_body_records(user, meeting.body)
    agenda_kind = Kind.PARTNERS_AGENDA if partners else Kind.AGENDA
    frozen: dict[str, dict] = {}
    if meeting.agenda_is_public:
        kinds = [agenda_kind, Kind.MINUTES] if meeting.minutes_are_public else [agenda_kind]
        frozen = _frozen_facts(meeting, kinds)
    agenda = frozen.get(agenda_kind) or agenda_facts(meeting, partners=partners)
    minutes = frozen.get(Kind.MINUTES, {})
    # After publication the minutes are the record of the meeting: their date, times, place
    # and titles; presenters and papers are the agenda's alone.
    told = {**agenda, **minutes}
    printed = minutes_from_facts(minutes, meeting) if minutes else None
    titles = {i.number: i for i in printed.items} if printed else {}
    items = []
    for entry in agenda["items"]:
        minuted = titles.get(entry["number"])
        item = FactItem(
            meeting,
            entry["number"],
            minuted.title if minuted else entry["title"],
            entry["kind"],
            entry["presenter"],
            entry.get("presenter_lead", ""),
            minuted.outcome if minuted else "",
        )
        for paper in entry["papers"]:
            item.papers.append(
                FactPaper(
                    item,
                    paper.get("id"),
                    paper.get("key", ""),
                    paper.get("title", ""),
                    paper.get("author", ""),
                    paper.get("supplement", False),
                    paper["exempt"],
                    paper.get("exemption_section", ""),
                    paper.get("authored", False),
                )
            )
        items.append(item)
    end = told.get("end_time") if minutes else None
    if not minutes and meeting.minutes_are_public:
        end = meeting.end_time  # minutes published before snapshots were kept
    return MeetingFacts(
        date=dt.date.fromisoformat(told["date"]),
        start_time=dt.time.fromisoformat(told["start_time"]),
        end_time=dt.time.fromisoformat(end) if isinstance(end, str) and end else end or None,
        place=told["place"],
        items=items,
        minutes=printed,
    )


def agenda_rows(
    user: AnyUser, meeting: Meeting, facts: MeetingFacts | None = None
) -> list[ItemRow]:
    """The agenda in order as the meeting's facts list it, each paper checked with
    access.can_see_paper, with the size and pages of the copy it is served as."""
    facts = facts or meeting_facts(user, meeting)
    stored = frozen_papers(user, meeting)
    rows = []
    for item in facts.items:
        papers = []
        for paper in item.papers:
            visible = access.can_see_paper(user, paper)
            url = document_url(meeting, f"papers/{paper.key}.pdf") if visible else ""
            papers.append(
                PaperRow(
                    paper,
                    visible,
                    url,
                    stored.get(paper.pk) if visible and paper.pk else None,
                    paper_page_url(meeting, paper.key) if visible and paper.authored else "",
                )
            )
        rows.append(ItemRow(item, papers))
    return rows
