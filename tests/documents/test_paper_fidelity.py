"""A paper prints as its author wrote it (issue 15, step 3): the author's headings, appendices
with their own numbering, "(Item 6)" whole, no empty table header rows, footnotes at the foot
of their page. Checked in the PDF's extracted text (pypdf)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reports.documents.papers import build_sections, render_paper
from reports.markdown import render_markdown
from reports.models import Paper
from tests.pdfs import read_pdf
from tests.public_world import add_item, add_meeting
from tests.world import make_body

pytestmark = pytest.mark.django_db

AUTHORED = {
    "executive_summary": "1.1 This paper sets out the serious violence strategy.",
    "recommendations": (
        "### Recommendation\n\n2.1 The Reference Group is asked to note the strategy, "
        "discussed at the last meeting (Item 6)."
    ),
    "introduction": (
        "**Introduction**\n\n3.1 A 2018 study[^1] found that harm is concentrated.\n\n"
        "[^1]: University of Cambridge with Leicestershire Police, 2018."
    ),
    "issues": (
        "4.1 The partners' budgets are below.\n\n"
        "| | |\n|---|---|\n| Police | £2.1m |\n| Health | £0.9m |"
    ),
    "equality_comments": "5.1 An equality impact assessment will follow.",
    "financial_comments": (
        "Financial Comments of the Executive Director Resources\n\n"
        "6.1 The costs are met from existing budgets."
    ),
    "appendices": "### Appendix A – Workshop notes\n\n1.1 The workshop met on 20 March 2019.",
}


def paper_with(**sections: str) -> Paper:
    body, _ = make_body()
    meeting = add_meeting(body, dt.date(2019, 5, 1), "draft")
    item = add_item(meeting, "7", "Serious violence strategy")
    paper = Paper(item=item, key="strategy", title="Serious violence strategy", **sections)
    paper.final = True
    paper.full_clean()
    paper.save()
    return paper


def test_the_pdf_keeps_the_authors_headings_and_the_appendices_own_numbering() -> None:
    paper = paper_with(**AUTHORED)
    text = "\n".join(read_pdf(render_paper(paper, paper.item.meeting, partners=False).pdf).pages)
    folded = " ".join(text.split())
    assert "2 Recommendation 2.1" in folded
    assert "3 Introduction 3.1" in folded
    assert "6 Financial Comments of the Executive Director Resources 6.1" in folded
    assert "Introduction and Background" not in folded
    assert "Recommendations" not in folded
    assert "Appendix A – Workshop notes" in folded
    assert not re.search(r"\b\d+\s*Appendices\b", folded)
    assert "Appendices" not in folded


def test_item_references_never_break_and_tables_print_no_empty_header_row() -> None:
    paper = paper_with(**AUTHORED)
    sections = {s.key: s for s in build_sections(paper)}
    assert '<span class="nowrap">(Item 6)</span>' in sections["recommendations"].html
    assert "<thead>" not in sections["issues"].html
    assert "<th>" not in sections["issues"].html
    text = read_pdf(render_paper(paper, paper.item.meeting, partners=False).pdf).pages
    assert any("(Item 6)" in page for page in text)
    assert not any(re.search(r"\(Item\s*\n", page) for page in text)


def test_a_footnote_prints_at_the_foot_of_its_page_not_after_the_paper() -> None:
    paper = paper_with(**AUTHORED)
    html = build_sections(paper)[2].html
    assert '<span class="footnote">University of Cambridge' in html
    assert 'class="footnote-ref"' not in html and "<ol>" not in html
    pages = read_pdf(render_paper(paper, paper.item.meeting, partners=False).pdf).pages
    (page,) = [p for p in pages if "University of Cambridge" in p]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    note = next(i for i, line in enumerate(lines) if "University of Cambridge" in line)
    # Below every paragraph of the page, including the financial comments that follow it.
    assert note > next(i for i, line in enumerate(lines) if line.startswith("6.1"))
    assert lines[note].startswith("1")


def test_markdown_footnotes_on_the_web_stay_where_they_are_called() -> None:
    html = render_markdown("A study[^a] matters.\n\n[^a]: Cambridge, 2018.")
    assert html == '<p>A study<span class="footnote">Cambridge, 2018.</span> matters.</p>'
