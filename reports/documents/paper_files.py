"""Each paper as a PDF of its own, as it is frozen when the agenda is published.

A public copy of an uploaded paper is the file as uploaded. Every other copy is the paper's
part of the pack (the very part the pack joins, taken from the packs rendered in the same
freeze or from the part cache), with page numbers of its own and the paper's metadata. So an
exempt paper's partners' copy carries "EXEMPT — NOT FOR PUBLICATION" on every page, uploaded
pages included (print.css, @page exempt and upload-exempt), as in the partners' pack.
"""

from __future__ import annotations

from dataclasses import dataclass

from meetings.models import Meeting
from reports.documents.assemble import Assembly, Piece
from reports.documents.pack import Part, paper_part, part_job
from reports.documents.papers import paper_html
from reports.documents.parts import PartRenderer, join_all
from reports.documents.render import Correction, Metadata, Rendered, render_html
from reports.documents.uploads import read_upload
from reports.documents.workers import PartJob, PartPdf, Pool
from reports.models import Paper, StoredDocument
from vru_governance.rules.formats import short_date

Audience = StoredDocument.Audience


def paper_audiences(paper: Paper) -> list[str]:
    """Whom a paper is frozen for: an exempt paper is never given a public copy."""
    if paper.is_exempt:
        return [Audience.PARTNERS]
    return [Audience.PUBLIC, Audience.PARTNERS]


def as_uploaded(paper: Paper) -> bool:
    """A public paper's upload is served as uploaded, to partners too: nothing to mark."""
    return bool(paper.file) and not paper.is_exempt


def paper_file_metadata(paper: Paper, meeting: Meeting) -> Metadata:
    body_name = meeting.body.name
    return Metadata(
        title=paper.title,
        author=paper.author or paper.presented_by or body_name,
        subject=f"Paper for item {paper.item.number} of the meeting of the {body_name} "
        f"on {short_date(meeting.date)}",
        keywords=("paper", meeting.key, paper.key),
    )


def numbers_job(pdf: PartPdf, draft: bool) -> PartJob:
    """The paper's own page numbers, 1 to n, in the footer each kind of page prints (and DRAFT
    on every page of a paper whose agenda is not published)."""
    styles = ["upload" if i in pdf.upload_pages else "" for i in range(pdf.pages)]
    context = {"styles": styles, "draft": draft}
    html = render_html("reports/pdf/page_numbers.html", context, capture=False)
    return PartJob(html=html, tagged=False)


@dataclass
class _Copy:
    """A paper whose copy is made from its part of the pack."""

    paper: Paper
    part: Part


def render_paper_files(
    meeting: Meeting,
    papers: list[Paper],
    *,
    pool: Pool,
    parts: dict[int, Part] | None = None,
    draft: bool = False,
    corrections: dict[int, Correction] | None = None,
) -> dict[int, Rendered]:
    """Each paper's PDF by paper id, as its partners' copy (and, unless exempt, public copy).

    `parts` are the papers' parts of a partners' pack rendered just before, by paper id; the
    others are made here (their PDFs most often come from the part cache). A `draft` is a
    preview for the secretary: every page says DRAFT, uploaded papers included. A paper with
    a correction (`corrections`, by paper id) opens with a page saying which version it is
    and why.
    """
    parts = parts or {}
    done: dict[int, Rendered] = {}
    copies: list[_Copy] = []
    notices = _notices(meeting, papers, corrections or {}, pool)
    for paper in papers:
        if as_uploaded(paper) and not draft:
            upload = read_upload(paper)
            data = upload.data
            if not data:  # unreadable: still served as uploaded, as before freezing
                with paper.file.open("rb") as handle:
                    data = handle.read()
            metadata = paper_file_metadata(paper, meeting)
            pages = upload.count if upload.data else 0
            notice = notices.get(paper.pk)
            if notice is not None:  # the upload as it is, after the correction's page
                pieces = (_notice_piece(notice), Piece(data, numbered=False, anchors=False))
                data = join_all([Assembly(pieces, metadata)], pool)[0]
                pages += notice.pages
            done[paper.pk] = Rendered(pdf=data, pages=pages, metadata=metadata)
            continue
        part = parts.get(paper.pk)
        if part is None or part.rendered is None:
            part = paper_part(paper, paper.item, meeting, partners=True)
        copies.append(_Copy(paper, part))

    # The parts not rendered with a pack just now: most often from the part cache.
    missing = [c for c in copies if c.part.rendered is None]
    if missing:
        renderer = PartRenderer(pool)
        for copy in missing:
            renderer.add(part_job(copy.part, meeting))
        for copy, pdf in zip(missing, renderer.finish().parts, strict=True):
            copy.part.rendered = pdf
    pdfs = [c.part.rendered for c in copies if c.part.rendered is not None]
    numbers = PartRenderer(pool)
    for pdf in pdfs:
        numbers.add(numbers_job(pdf, draft))
    stamps = numbers.finish().parts if pdfs else []
    jobs = [
        Assembly(
            _with_notice(notices.get(c.paper.pk), Piece(pdf.pdf, checked=pdf.checked)),
            paper_file_metadata(c.paper, meeting),
            numbers=stamp.pdf,
        )
        for c, pdf, stamp in zip(copies, pdfs, stamps, strict=True)
    ]
    joined = join_all(jobs, pool)
    for copy, pdf, data, job in zip(copies, pdfs, joined, jobs, strict=True):
        notice = notices.get(copy.paper.pk)
        pages = pdf.pages + (notice.pages if notice is not None else 0)
        done[copy.paper.pk] = Rendered(pdf=data, pages=pages, metadata=job.metadata)
        if copy.part.view is not None:
            # An authored paper's HTML page, from the view its PDF printed (stored beside it).
            done[copy.paper.pk].extra["html"] = str(paper_html(copy.part.view))
            done[copy.paper.pk].extra["facts"] = {"title": copy.part.view.title}
    return done


def _notices(
    meeting: Meeting, papers: list[Paper], corrections: dict[int, Correction], pool: Pool
) -> dict[int, PartPdf]:
    """The correction page of each corrected paper, by paper id (unnumbered, tagged)."""
    corrected = [p for p in papers if p.pk in corrections]
    if not corrected:
        return {}
    renderer = PartRenderer(pool)
    for paper in corrected:
        context = {
            "correction": corrections[paper.pk],
            "metadata": paper_file_metadata(paper, meeting),
        }
        renderer.add(PartJob(html=render_html("reports/pdf/paper_correction.html", context)))
    return dict(zip([p.pk for p in corrected], renderer.finish().parts, strict=True))


def _notice_piece(notice: PartPdf) -> Piece:
    return Piece(notice.pdf, numbered=False, anchors=False, checked=notice.checked)


def _with_notice(notice: PartPdf | None, piece: Piece) -> tuple[Piece, ...]:
    return (piece,) if notice is None else (_notice_piece(notice), piece)


def render_draft_paper(meeting: Meeting, paper: Paper, pool: Pool | None = None) -> Rendered:
    """A paper of a draft agenda as it will be frozen, marked DRAFT (one part: rendered here,
    or in `pool` when given)."""
    if pool is not None:
        return render_paper_files(meeting, [paper], pool=pool, draft=True)[paper.pk]
    with Pool(1) as own:
        return render_paper_files(meeting, [paper], pool=own, draft=True)[paper.pk]
