"""The agenda pack: agenda, minutes of the last meeting, actions arising and every paper.

Each part (the minutes, the actions-arising report, each paper, each uploaded PDF, each notice
of a withheld paper) is rendered on its own, without page numbers, and reused while its
content does not change (reports/documents/parts.py); parts are rendered across cores. A part
with an odd number of pages is followed by a blank page, so every part starts on a right-hand
page. The page references follow from the parts' page counts; only then is the agenda
rendered, and everything is joined with pypdf, the pack-wide page numbers stamped on the
joined pages (reports/documents/assemble.py). Uploaded PDFs are drawn under placeholder pages
of their part.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
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
from reports.documents.assemble import Assembly, Piece
from reports.documents.minutes import Minutes, build_minutes
from reports.documents.papers import PaperView, build_paper
from reports.documents.parts import PartRenderer, join_all, render_parts, workers
from reports.documents.render import Correction, Metadata, Rendered, render_html
from reports.documents.uploads import Upload, read_upload
from reports.documents.workers import PartJob, PartPdf, Pool
from reports.models import Paper
from vru_governance.rules.formats import long_date, short_date


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
    rendered: PartPdf | None = None  # once rendered: a paper's own PDF is made from it

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
    return meeting.minutes_circulated


def _parts(
    meeting: Meeting,
    items: list[AgendaItem],
    audience: Audience,
    on_part: Callable[[Part], None] | None = None,
) -> tuple[list[Part], dict[int, list[str]]]:
    """The parts in item order, and notes the agenda prints under items that have no part.

    `on_part` is called with each part as soon as it is made.
    """
    partners = audience == Audience.PARTNERS
    parts: list[Part] = []
    notes: dict[int, list[str]] = {}
    previous = None
    if any(i.kind == AgendaItem.Kind.MINUTES_OF_LAST_MEETING for i in items):
        previous = meeting.previous()

    def add(kind: str, item: AgendaItem, bookmark: str, **kwargs: Any) -> None:
        parts.append(_part(kind, item, bookmark, **kwargs))
        if on_part is not None:
            on_part(parts[-1])

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
        if item.kind == AgendaItem.Kind.ACTIONS_ARISING and not papers and follows_on(meeting):
            # The report is generated from the action log unless the secretary attached one;
            # a body's first meeting has no earlier actions, so no empty report (and no page
            # reference to one on the agenda).
            add(
                "actions_arising",
                item,
                f"Item {item.number}: Actions Arising",
                report=build_actions_arising(meeting, partners=partners),
            )
        for paper in papers:
            parts.append(paper_part(paper, item, meeting, partners=partners))
            if on_part is not None:
                on_part(parts[-1])
    return parts, notes


def follows_on(meeting: Meeting) -> bool:
    """Whether the meeting has an earlier meeting of its body (whose actions it reports)."""
    return meeting.previous() is not None


def pack_part_jobs(
    meeting: Meeting, audience: Audience, kinds: Collection[str] | None = None
) -> list[PartJob]:
    """The jobs of every part of an audience's pack (or of its parts of these `kinds`), as
    building the pack renders them (its agenda, blank page and page numbers apart): rendered
    ahead, they make the pack's parts cached (reports/documents/ahead.py)."""
    items = records.load_items(meeting, papers=True)
    parts, _ = _parts(meeting, items, audience)
    return [part_job(part, meeting) for part in parts if kinds is None or part.kind in kinds]


def _part(kind: str, item: AgendaItem, bookmark: str, **kwargs: Any) -> Part:
    # Anchors name the content, not its place, so that a part keeps its cache key when
    # another part is added or removed before it.
    paper = kwargs.get("paper")
    anchor = f"{kind.replace('_', '-')}-{paper.pk}" if paper else kind.replace("_", "-")
    return Part(kind=kind, item=item, anchor=anchor, bookmark=bookmark, **kwargs)


def paper_part(paper: Paper, item: AgendaItem, meeting: Meeting, *, partners: bool) -> Part:
    """A paper's part of the pack: withheld from the public when exempt, else the paper."""
    label = f"Item {item.number}: {paper.title}"
    if paper.is_exempt and not partners:
        return _part(
            "withheld", item, f"Item {item.number}: report not for publication", paper=paper
        )
    if paper.file:
        upload = read_upload(paper)
        return _part("upload", item, label, paper=paper, upload=upload, exempt=paper.is_exempt)
    view = build_paper(paper, meeting, partners=partners)
    return _part("paper", item, label, paper=paper, view=view, exempt=paper.is_exempt)


def _place_parts(parts: list[Part], rendered: list[PartPdf]) -> int:
    """Number the parts' pages (each padded to an even count); return the body's page count."""
    number = 1
    for part, pdf in zip(parts, rendered, strict=True):
        part.start = number
        number += pdf.pages + pdf.pages % 2
        part.end = number - 1
        if part.upload is not None:
            part.upload.page_indexes = list(pdf.upload_pages)
        part.rendered = pdf
    return number - 1


def part_job(part: Part, meeting: Meeting) -> PartJob:
    html = render_html("reports/pdf/pack_part.html", {"part": part, "meeting": meeting})
    upload = part.upload
    if upload is not None and upload.reader is not None:
        return PartJob(
            html=html,
            upload=upload.data,
            upload_anchors=tuple(part.upload_anchors),
            exempt=part.exempt,
        )
    return PartJob(html=html)


def _blank_job(draft: bool = False) -> PartJob:
    """The page that pads a part (or the agenda) to an even count; numbered by the stamp."""
    context = {"number": None, "draft": draft}
    return PartJob(html=render_html("reports/pdf/blank.html", context, capture=False))


def _numbers_job(rendered: list[PartPdf], draft: bool = False) -> PartJob:
    """One page per numbered page of the pack, with the footer its kind of page prints (and,
    before publication, DRAFT: the parts themselves stay the same, draft or published)."""
    styles = []
    for pdf in rendered:
        styles += ["upload" if i in pdf.upload_pages else "" for i in range(pdf.pages)]
        if pdf.pages % 2:
            styles.append("")
    context = {"styles": styles, "draft": draft}
    html = render_html("reports/pdf/page_numbers.html", context, capture=False)
    return PartJob(html=html, tagged=False)


def register_notes(meeting: Meeting) -> list[str]:
    """For partners: the register entries in force of everyone expected at the meeting."""
    lines = records.register_on(meeting, records.expected_people(meeting))
    if not lines:
        return []
    return ["Registered interests of the partners expected (partners only):"] + [
        f"{line.name}: {line.description} ({line.category.lower()})." for line in lines
    ]


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
        if item.kind == AgendaItem.Kind.DECLARATIONS and audience == Audience.PARTNERS:
            entry.notes += register_notes(meeting)
        if item.kind == AgendaItem.Kind.DATE_OF_NEXT_MEETING:
            line = next_meeting_line(meeting)
            if line:
                entry.notes.append(line)
        entries.append(entry)
    return entries


def pack_metadata(view: AgendaView, audience: Audience) -> Metadata:
    if audience == Audience.PARTNERS and view.has_exempt:
        title = f"Partners' agenda pack (includes exempt papers): {view.body_name}, {view.date}"
    elif audience == Audience.PARTNERS:
        title = f"Partners' agenda pack: {view.body_name}, {view.date}"
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
    pool: Pool | None = None,
    draft: bool | None = None,
) -> PackResult:
    """Render (or reuse) the parts, compute the agenda's page references, join what is asked.

    In `pool` when given (freezing renders the packs and the papers in one), else its own.
    Marked DRAFT while the agenda is not published, unless `draft` says (a pack joined ahead
    of publishing is joined as it will be published)."""
    draft = not meeting.agenda_is_public if draft is None else draft
    if pool is not None:
        return _build(meeting, audience, correction, with_pack, with_agenda, pool, draft)
    with Pool(workers()) as own:
        return _build(meeting, audience, correction, with_pack, with_agenda, own, draft)


def _build(
    meeting: Meeting,
    audience: Audience,
    correction: Correction | None,
    with_pack: bool,
    with_agenda: bool,
    pool: Pool,
    draft: bool,
) -> PackResult:
    items = records.load_items(meeting, papers=True)
    # Each part goes to the workers as soon as its HTML is made (or comes from the cache).
    renderer = PartRenderer(pool)
    parts, notes = _parts(
        meeting, items, audience, on_part=lambda part: renderer.add(part_job(part, meeting))
    )
    renderer.add(_blank_job(draft))
    first = renderer.finish()
    *rendered, blank = first.parts
    body_pages = _place_parts(parts, rendered)
    labels = [part.bookmark for part in parts] + ["blank page"]
    done = [labels[i] for i in first.rendered]

    entries = _entries(meeting, items, parts, notes, audience, link=with_pack)
    view = build_agenda(
        meeting,
        entries,
        for_partners=audience == Audience.PARTNERS,
        has_exempt=any(part.exempt for part in parts),
    )
    metadata = agenda_metadata(view)
    context = {"view": view, "metadata": metadata, "correction": correction, "draft": draft}
    second: list[tuple[str, PartJob]] = []
    if with_pack:
        second.append(("agenda", PartJob(html=render_html("reports/pdf/agenda.html", context))))
        if body_pages:
            second.append(("page numbers", _numbers_job(rendered, draft)))
    if with_agenda:  # the agenda alone has no parts to link to: rendered without links
        for entry in entries:
            entry.anchor = ""
        html = render_html("reports/pdf/agenda.html", context, capture=not with_pack)
        second.append(("agenda alone", PartJob(html=html)))
    then = render_parts([job for _, job in second], pool)
    done += [second[i][0] for i in then.rendered]
    results = {label: pdf for (label, _), pdf in zip(second, then.parts, strict=True)}

    # Joined in worker processes too (qpdf's memory goes with them): the pack and the agenda.
    joins: dict[str, Assembly] = {}
    offset = 0
    pack_meta = pack_metadata(view, audience)
    if with_pack:
        agenda_pdf = results["agenda"]
        pieces = [Piece(agenda_pdf.pdf, numbered=False, anchors=False, checked=agenda_pdf.checked)]
        if agenda_pdf.pages % 2:
            pieces.append(Piece(blank.pdf, numbered=False, anchors=False, checked=blank.checked))
        offset = agenda_pdf.pages + agenda_pdf.pages % 2
        for pdf in rendered:
            pieces.append(Piece(pdf.pdf, checked=pdf.checked))
            if pdf.pages % 2:
                pieces.append(Piece(blank.pdf, anchors=False, checked=blank.checked))
        numbers = results.get("page numbers")
        joins["pack"] = Assembly(tuple(pieces), pack_meta, numbers=numbers.pdf if numbers else None)
    if with_agenda:
        alone = results["agenda alone"]
        joins["agenda"] = Assembly(
            (Piece(alone.pdf, numbered=False, checked=alone.checked),), metadata
        )
    done_joins = join_all(list(joins.values()), pool)
    joined = dict(zip(joins, done_joins, strict=True))

    pack = None
    if with_pack:
        pack = Rendered(
            pdf=joined["pack"],
            pages=offset + body_pages,
            metadata=pack_meta,
            extra={"padded_body_pages": body_pages, "agenda_pages": offset, "rendered": done},
        )
    agenda = None
    agenda_pages = results["agenda"].pages if with_pack else 0
    if with_agenda:
        alone = results["agenda alone"]
        agenda_pages = agenda_pages or alone.pages
        agenda = Rendered(
            pdf=joined["agenda"], pages=alone.pages, metadata=metadata, extra={"rendered": done}
        )
    return PackResult(
        pack=pack, agenda=agenda, parts=parts, agenda_pages=agenda_pages, entries=entries
    )
