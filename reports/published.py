"""What is published, as queries: the database side of the rules in meetings.access.

meetings.access decides per object; these querysets narrow a list to the same objects
first, so that lists, search, feeds and the API never load what they must not show. Each
caller still passes the rows through access before showing them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from meetings import access
from meetings.access import AnyUser
from meetings.models import AgendaItem, Meeting, presenter_line
from members.models import Body
from reports.documents.facts import agenda_facts
from reports.documents.minutes import Minutes, minutes_from_facts
from reports.models import Paper, StoredDocument

# Feeds, search and the API answer as the public, whoever asks.
PUBLIC = AnonymousUser()

# Defined on Meeting, named here for the lists, search and feeds that query by them.
AGENDA_PUBLIC_STATUSES = Meeting.AGENDA_PUBLIC_STATUSES
MINUTES_PUBLIC_STATUSES = Meeting.MINUTES_PUBLIC_STATUSES


def body_or_404(slug: str) -> Body:
    """Bodies are public: any reader may look one up by its slug."""
    return get_object_or_404(Body, slug=slug)


def meetings_visible_to(user: AnyUser, body: Body) -> QuerySet[Meeting]:
    """The body's meetings whose agenda the user may see (access.can_see_agenda as a query)."""
    meetings = Meeting.objects.filter(body=body).select_related("body")
    if access.is_secretary(user, body):
        return meetings
    return meetings.filter(status__in=AGENDA_PUBLIC_STATUSES)


def published_meetings() -> QuerySet[Meeting]:
    """Meetings of every body whose agenda is public."""
    return Meeting.objects.filter(status__in=AGENDA_PUBLIC_STATUSES).select_related("body")


def only_visible(user: AnyUser, meetings: list[Meeting]) -> list[Meeting]:
    """Keep the meetings whose agenda access lets the user see."""
    return [m for m in meetings if access.can_see_agenda(user, m)]


def public_status(meeting: Meeting) -> str:
    """The meeting's status as the public may know it: the minutes' stages before their
    publication (in draft, circulated to partners, approved) are all "held"."""
    if meeting.status in Meeting.ORDER and not meeting.minutes_are_public:
        held = Meeting.ORDER.index(Meeting.Status.HELD)
        if meeting.stage() > held:
            return Meeting.Status.HELD
    return meeting.status


def meeting_url(meeting: Meeting) -> str:
    return reverse("public:meeting", args=[meeting.body.slug, meeting.key])


def document_url(meeting: Meeting, name: str) -> str:
    """A document of the meeting, served by the reports app under the meeting's path."""
    return f"{meeting_url(meeting)}{name}"


def paper_url(meeting: Meeting, paper: Paper) -> str:
    return document_url(meeting, f"papers/{paper.key}.pdf")


def published_on(meeting: Meeting, *, minutes: bool = False) -> dt.datetime:
    """When the agenda (or minutes) went public; records imported without it use the date."""
    stamp = meeting.minutes_published_at if minutes else meeting.agenda_published_at
    if stamp is not None:
        return stamp
    return timezone.make_aware(dt.datetime.combine(meeting.date, meeting.start_time))


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
    is served (reports.services.frozen_paper), by paper id: one query, sizes and pages only."""
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


def paper_page_url(meeting: Meeting, key: str) -> str:
    """An authored paper's HTML page (its PDF is papers/<key>.pdf)."""
    return document_url(meeting, f"papers/{key}/")


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


@dataclass(frozen=True)
class Version:
    """One frozen version of a document: when it was issued and, for a correction, why."""

    number: int
    url: str
    issued: dt.datetime
    reason: str
    # Why it was withdrawn (a paper it held is now exempt): listed, not linked.
    withdrawn: str = ""
    # As stored when it was frozen: the link says "PDF, 290 KB, 42 pages".
    size: int = 0
    pages: int = 0


@dataclass
class Document:
    """A document of a meeting that the reader may open."""

    label: str
    url: str
    kind: str = "PDF"
    note: str = ""
    stored_kind: str = ""
    versions: list[Version] = field(default_factory=list)

    @property
    def current(self) -> Version | None:
        """The version the document's own link serves (the newest), for its label."""
        return next((v for v in self.versions if v.url), None)


def meeting_documents(
    user: AnyUser, meeting: Meeting, agenda: list[ItemRow] | None = None
) -> list[Document]:
    """The agenda, packs and minutes of a meeting that the user may open (no queries).

    Given the agenda's rows, the generated actions-arising report is left out when the
    Actions Arising item carries a report of its own: the pack prints that one, so the
    meeting offers one actions-arising report, not two that differ."""
    docs: list[Document] = []
    if not access.can_see_agenda(user, meeting):
        return docs
    Kind = StoredDocument.Kind
    docs.append(Document("Agenda", document_url(meeting, "agenda.pdf"), stored_kind=Kind.AGENDA))
    docs.append(
        Document(
            "Agenda pack (agenda and public papers)",
            document_url(meeting, "pack.pdf"),
            stored_kind=Kind.PACK,
        )
    )
    attached = any(
        row.papers for row in agenda or [] if row.item.kind == AgendaItem.Kind.ACTIONS_ARISING
    )
    if not attached:
        docs.append(
            Document(
                "Actions arising",
                document_url(meeting, "actions-arising.pdf"),
                stored_kind=Kind.ACTIONS_ARISING,
            )
        )
    if access.can_see_body_records(user, meeting.body):
        docs.append(
            Document(
                "Partners' pack (includes papers not for publication)",
                document_url(meeting, "partners-pack.pdf"),
                note="Partners only",
                stored_kind=Kind.PARTNERS_PACK,
            )
        )
        docs.append(
            Document(
                "Partners' agenda (page numbers of the partners' pack)",
                document_url(meeting, "partners-agenda.pdf"),
                note="Partners only",
                stored_kind=Kind.PARTNERS_AGENDA,
            )
        )
        docs.append(
            Document(
                "Chair's brief (timing, quorum, interests, recommendations)",
                document_url(meeting, "chairs-brief.pdf"),
                note="Partners only",
            )
        )
    if access.can_see_minutes(user, meeting):
        note = "" if meeting.minutes_are_public else "Draft: not published"
        docs.append(Document("Minutes", document_url(meeting, "minutes/"), "web page", note))
        docs.append(
            Document(
                "Minutes", document_url(meeting, "minutes.pdf"), note=note, stored_kind=Kind.MINUTES
            )
        )
    return docs


def with_versions(meeting: Meeting, docs: list[Document]) -> list[Document]:
    """Each document's frozen versions, newest first, with their dates and the reasons for
    corrections (one query); every version stays downloadable."""
    wanted = {d.stored_kind for d in docs if d.stored_kind}
    if not wanted:
        return docs
    by_kind: dict[str, list[Version]] = {}
    stored = (
        meeting.stored_documents.filter(kind__in=wanted)
        .order_by("-version")
        .only(
            "kind",
            "version",
            "created_at",
            "is_correction",
            "correction_note",
            "withdrawn_at",
            "withdrawn_note",
            "size",
            "pages",
        )
    )
    for document in stored:
        slug = document.kind.replace("_", "-")
        withdrawn = document.withdrawn_at is not None
        by_kind.setdefault(document.kind, []).append(
            Version(
                document.version,
                ""
                if withdrawn
                else document_url(meeting, f"documents/{document.version}/{slug}.pdf"),
                document.created_at,
                document.correction_note if document.is_correction else "",
                (document.withdrawn_note or "Withdrawn.") if withdrawn else "",
                document.size,
                document.pages,
            )
        )
    for doc in docs:
        doc.versions = by_kind.get(doc.stored_kind, [])
    return docs


@dataclass
class Publication:
    """A published document of a body: an agenda, a public paper or minutes."""

    kind: str
    title: str
    url: str
    when: dt.datetime
    meeting: Meeting
    summary: str = ""
    # A paper's public frozen copy, as stored: its link says "PDF, 290 KB, 42 pages".
    stored: StoredDocument | None = None


def publications(body: Body | None = None, *, meetings: int = 10) -> list[Publication]:
    """Published agendas, public papers and minutes of the latest meetings, newest first."""
    found = published_meetings().order_by("-date", "-start_time")
    if body is not None:
        found = found.filter(body=body)
    recent = only_visible(PUBLIC, list(found[:meetings]))
    papers = (
        Paper.objects.filter(item__meeting__in=recent, classification=Paper.Classification.PUBLIC)
        .select_related("item__meeting__body")
        .order_by("item__position", "position", "pk")
    )
    papers_of: dict[int, list[Paper]] = {}
    for paper in papers:
        if access.can_see_paper(PUBLIC, paper):
            papers_of.setdefault(paper.item.meeting_id, []).append(paper)
    copies = {
        copy.paper_id: copy
        for copy in StoredDocument.objects.filter(
            kind=StoredDocument.Kind.PAPER,
            audience=StoredDocument.Audience.PUBLIC,
            meeting__in=recent,
        )
        .order_by("paper_id", "version")
        .only("paper_id", "version", "size", "pages")
    }
    out: list[Publication] = []
    for meeting in recent:
        when = published_on(meeting)
        titles = [p.title for p in papers_of.get(meeting.pk, [])]
        out.append(
            Publication(
                "Agenda",
                f"Agenda: {meeting.body.name}, {meeting.date:%-d %B %Y}",
                meeting_url(meeting),
                when,
                meeting,
                "Papers: " + "; ".join(titles) if titles else "",
            )
        )
        for paper in papers_of.get(meeting.pk, []):
            out.append(
                Publication(
                    "Paper",
                    paper.title,
                    paper_url(meeting, paper),
                    when,
                    meeting,
                    f"A paper for the meeting of {meeting.date:%-d %B %Y}",
                    copies.get(paper.pk),
                )
            )
        if access.can_see_minutes(PUBLIC, meeting):
            out.append(
                Publication(
                    "Minutes",
                    f"Minutes: {meeting.body.name}, {meeting.date:%-d %B %Y}",
                    document_url(meeting, "minutes/"),
                    published_on(meeting, minutes=True),
                    meeting,
                )
            )
    out.sort(key=lambda p: p.when, reverse=True)
    return out


def inaccessible_papers() -> list[Paper]:
    """The published papers whose uploaded PDF failed the accessibility check at upload
    (reports/pdf_accessibility.py), for the accessibility statement: the regulations ask
    for the list of content that is not accessible."""
    papers = (
        Paper.objects.filter(
            item__meeting__status__in=AGENDA_PUBLIC_STATUSES,
            classification=Paper.Classification.PUBLIC,
        )
        .exclude(file="")
        .exclude(file_accessibility_failures=[])
        .select_related("item__meeting__body")
        .order_by("-item__meeting__date", "item__position", "position")
    )
    return [p for p in papers if access.can_see_paper(PUBLIC, p)]
