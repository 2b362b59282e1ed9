"""Papers authored in the browser, printed with the seed's report header and sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Meeting
from reports.documents.minutes import masthead
from reports.documents.render import Metadata, Rendered, render_pdf
from reports.markdown import render_markdown
from reports.models import Paper
from vru_governance.rules.formats import short_date

FIRST_NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d+)\.\d+\s", re.MULTILINE)
NUMBERED_HEADING = re.compile(r"^#{1,6}\s*(\d+)\b")
OWN_HEADING = re.compile(r"^#{1,3}\s+\S")  # a section-level heading (#### and below: inside)
BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*:?$")


@dataclass
class Section:
    """One section of a paper: its heading (numbered as the text numbers it) and its text."""

    key: str
    number: str
    heading: str
    own_heading: bool
    html: SafeString


@dataclass
class PaperView:
    """What a paper prints: the report header, any exemption, then its sections."""

    paper: Paper
    title: str
    body_name: str
    masthead: str
    running: str
    rows: list[tuple[str, str]]
    exempt: bool
    exemption: list[tuple[str, str]]
    sections: list[Section]
    supplement: bool


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _has_own_heading(text: str, heading: str) -> bool:
    """The text opens with its own heading: a numbered one ("### 3 Actions …"), a Markdown
    heading of a section's level ("### Introduction"), a line in bold, or the section's name
    in the author's words ("Recommendation", "Financial Comments of the …")."""
    line = _first_line(text)
    if NUMBERED_HEADING.match(line) or OWN_HEADING.match(line) or BOLD_LINE.match(line):
        return True
    plain = line.lstrip("#").strip().strip("*").strip().rstrip(":").lower()
    return bool(plain) and (plain.startswith(heading.lower()) or heading.lower().startswith(plain))


def _with_heading(text: str, number: str) -> str:
    """The text with its first line made the section's heading, numbered like the others; a
    long first line that only starts with the section's name stays the paragraph it is."""
    line = _first_line(text)
    if NUMBERED_HEADING.match(line):
        return text
    title = line.lstrip("#").strip().strip("*").strip().rstrip(":").strip()
    if not line.startswith(("#", "**")) and (len(title) > 120 or title.endswith(".")):
        return text
    rest = text.strip().split("\n", 1)[1] if "\n" in text.strip() else ""
    return f"### {number} {title}".replace("###  ", "### ") + "\n\n" + rest


def build_sections(paper: Paper) -> list[Section]:
    """Sections in the seed's order; each heading takes the number its paragraphs carry, and
    the author's own heading is kept where the author wrote one. Appendices keep their own
    numbering (Appendix A, B …): they are not a numbered section of the report."""
    rows: list[tuple[str, str, str, bool, str]] = []
    for key, heading, text in paper.sections():
        own = _has_own_heading(text, heading)
        number = ""
        if key != "appendices":
            line = _first_line(text)
            found = NUMBERED_HEADING.match(line) or FIRST_NUMBERED_PARAGRAPH.search(text)
            number = found.group(1) if found else ""
        rows.append((key, heading, text, own, number))
    if not any(number for *_, number in rows):
        # A paper typed without paragraph numbers: number its sections 1, 2, 3 …
        numbers = iter(range(1, len(rows) + 1))
        rows = [
            (k, h, t, o, "" if k == "appendices" else str(next(numbers))) for k, h, t, o, _ in rows
        ]
    return [
        Section(
            key, number, heading, own, render_markdown(_with_heading(text, number) if own else text)
        )
        for key, heading, text, own, number in rows
    ]


def build_paper(paper: Paper, meeting: Meeting, *, partners: bool) -> PaperView:
    """The printed form of an authored paper; exemption details only for partners."""
    item = paper.item
    title_label = "Title of report:" if paper.author else "Title of paper:"
    rows = [("Date of meeting:", short_date(meeting.date)), (title_label, paper.title)]
    if paper.author:
        rows.append(("Report author:", paper.author))
    presenter = paper.presented_by or ("" if paper.author else item.presenter)
    if presenter:
        rows.append(("To be presented by:", presenter))
    if paper.cleared_by:
        rows.append(("Cleared by:", paper.cleared_by))
    rows.append(
        ("Classification:", "Exempt — not for publication" if paper.is_exempt else "Public")
    )
    exemption = []
    if paper.is_exempt and partners:
        exemption = [
            ("Exempt under:", f"Freedom of Information Act 2000, {paper.exemption_section}"),
            ("Public-interest reason:", paper.exemption_reason),
        ]
        if paper.exemption_review_on:
            review = short_date(paper.exemption_review_on)
            exemption.append(("Exemption to be reviewed on:", review))
    body = meeting.body
    return PaperView(
        paper=paper,
        title=paper.title,
        body_name=body.name,
        masthead=masthead(body),
        running=f"{body.name}\n{short_date(meeting.date)} — Item {item.number}: {paper.title}",
        rows=rows,
        exempt=paper.is_exempt,
        exemption=exemption,
        sections=build_sections(paper),
        supplement=paper.supplement,
    )


def paper_html(view: PaperView) -> SafeString:
    """The body of an authored paper's accessible HTML page (frozen with its PDF)."""
    # Reviewed: a template rendered with autoescaping; typed text went through render_markdown.
    return mark_safe(render_to_string("reports/_paper_body.html", {"view": view}))  # nosec B703, B308


def paper_metadata(view: PaperView, meeting: Meeting) -> Metadata:
    paper = view.paper
    return Metadata(
        title=paper.title,
        author=paper.author or paper.presented_by or view.body_name,
        subject=f"Paper for item {paper.item.number} of the meeting of the {view.body_name} "
        f"on {short_date(meeting.date)}",
        keywords=("paper", meeting.key, paper.key),
    )


def render_paper(paper: Paper, meeting: Meeting, *, partners: bool) -> Rendered:
    """One authored paper as a PDF of its own."""
    view = build_paper(paper, meeting, partners=partners)
    metadata = paper_metadata(view, meeting)
    draft = not meeting.agenda_is_public
    return render_pdf("reports/pdf/paper.html", {"view": view, "draft": draft}, metadata)
