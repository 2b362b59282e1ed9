"""Every generated PDF earns the PDF/UA-1 claim it makes: the `pdfua` package's checks (the
machine-checkable subset, on pikepdf) find nothing, and our own structure checks hold for the
points a clerk found (issue 15): page margins and blank-page text are artifacts (no orphan
structure elements), headings do not skip levels, table header cells carry /Scope, page labels
are the printed page numbers, Producer is the same in the info dictionary and the XMP, the XMP
states the language, bookmark labels keep the space after their number.

Rendered once per module: every document of the demo (1 May 2019's packs, agendas, papers,
actions arising and chair's brief; 6 March's minutes; the 2019 annual report), and of a
generated meeting with an exempt paper first, then two public papers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfua.document
import pdfua.rules.structure
import pikepdf
import pytest
from django.db import transaction
from pdfua import Severity, validate
from pypdf import PdfReader

from meetings.models import Meeting
from reports.annual import annual_report
from reports.documents import tagging
from reports.documents.actions_arising import render_actions_arising
from reports.documents.annual_report import annual_report_pdf
from reports.documents.assemble import PRODUCER, Piece, assemble
from reports.documents.chair_brief import render_chair_brief
from reports.documents.minutes import render_minutes
from reports.documents.pack import Audience, build_pack
from reports.documents.paper_files import render_paper_files
from reports.documents.render import Metadata
from reports.documents.workers import PartJob, Pool, render_part
from reports.models import Paper
from tests.demo import load_demo
from tests.documents.test_upload_accessibility import tagged, untagged
from tests.pdfs import BLANK, ReadPdf, read_pdf
from tests.public_world import add_item, add_meeting, add_paper
from tests.world import build_cast

# The documents are rendered once, in a module fixture; the marker has the test database set
# up for it (pytest-django sets up only the databases that tests ask for).
pytestmark = pytest.mark.django_db

HEADING = re.compile(r"^/H([1-6])$")


def _as_integer(value: object) -> int | None:
    """pdfua 0.1.3's as_integer asks a pikepdf array for an attribute, which raises ValueError
    under pikepdf 10, so its empty-heading rule is skipped on every document with a heading
    of several content items. The same answer, without the error, so that the rule runs."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, pikepdf.Object) and not isinstance(
        value, pikepdf.Array | pikepdf.Dictionary
    ):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return None


def _papers(meeting: Meeting, pool: Pool, name: str) -> dict[str, bytes]:
    papers = list(Paper.objects.filter(item__meeting=meeting).select_related("item"))
    rendered = render_paper_files(meeting, papers, pool=pool)
    return {f"{name} paper {paper.key}": rendered[paper.pk].pdf for paper in papers}


def _generated_meeting() -> Meeting:
    """A published meeting: item 1 an exempt paper, items 2 and 3 public papers (with a table
    and a heading of their own)."""
    body = build_cast().body
    meeting = add_meeting(body, dt.date(2019, 7, 24), Meeting.Status.DRAFT)
    long_text = " ".join(["1.1 The data sharing terms, clause by clause."] * 300)
    add_paper(add_item(meeting, "1", "Data Sharing"), "data", "Data Sharing", long_text, True)
    table = "1.1 Trends.\n\n#### Figures\n\n| Year | Offences |\n|---|---|\n| 2018 | 120 |\n"
    add_paper(add_item(meeting, "2", "Trends"), "trends", "Youth Violence Trends", table)
    add_paper(add_item(meeting, "3", "Navigators"), "nav", "Hospital Navigators", "1.1 A&E.")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.AGENDA_PUBLISHED)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture(scope="module")
def documents(django_db_setup: None, django_db_blocker: Any) -> dict[str, bytes]:
    """Every generated document, by name, as its bytes (the records rolled back after)."""
    out: dict[str, bytes] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        may = Meeting.objects.get(key="2019-05-01")
        march = Meeting.objects.get(key="2019-03-06")
        generated = _generated_meeting()
        out["minutes 2019-03-06"] = render_minutes(march).pdf
        out["actions arising 2019-05-01"] = render_actions_arising(may).pdf
        out["chair's brief 2019-05-01"] = render_chair_brief(may).pdf
        out["annual report 2019"] = annual_report_pdf(annual_report(body=may.body, year=2019))
        with Pool(2) as pool:
            for name, meeting in (("2019-05-01", may), ("generated", generated)):
                for audience in Audience:
                    result = build_pack(meeting, audience, pool=pool)
                    assert result.pack is not None and result.agenda is not None
                    out[f"{name} {audience} pack"] = result.pack.pdf
                    out[f"{name} {audience} agenda"] = result.agenda.pdf
                out.update(_papers(meeting, pool, name))
        transaction.set_rollback(True)
    return out


NAMES = [
    "minutes 2019-03-06",
    "actions arising 2019-05-01",
    "chair's brief 2019-05-01",
    "annual report 2019",
    *(
        f"{m} {a} {d}"
        for m in ("2019-05-01", "generated")
        for a in Audience
        for d in ("pack", "agenda")
    ),
    *(
        f"2019-05-01 paper {key}"
        for key in (
            "2019-05-01-actions-arising",
            "closing-the-gaps",
            "vru-delivery-model",
            "community-youth-engagement",
            "future-of-prg",
        )
    ),
    *(f"generated paper {key}" for key in ("data", "trends", "nav")),
]


def test_every_generated_document_is_checked(documents: dict[str, bytes]) -> None:
    assert sorted(documents) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_pdfua_finds_nothing(
    name: str, documents: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfua.document, "as_integer", _as_integer)
    monkeypatch.setattr(pdfua.rules.structure, "as_integer", _as_integer)
    path = tmp_path / "document.pdf"
    path.write_bytes(documents[name])
    report = validate(str(path))
    assert not report.skipped, [(o.rule_id, o.skipped_reason) for o in report.skipped]
    findings = [(f.rule_id, f.severity.name, f.message) for f in report.findings]
    assert findings == []
    assert report.worst_severity() is None or report.worst_severity() < Severity.WARNING


_READ: dict[str, ReadPdf] = {}


def _read(documents: dict[str, bytes], name: str) -> ReadPdf:
    """A document's text and bookmarks (pypdf), read once for all the tests that need them."""
    if name not in _READ:
        _READ[name] = read_pdf(documents[name])
    return _READ[name]


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The structure elements reachable from the root, in reading order."""
    stack = list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
            stack += reversed(_kids(element))


def _xmp(pdf: pikepdf.Pdf) -> Any:
    return pdf.open_metadata(set_pikepdf_as_editor=False)


@pytest.mark.parametrize("name", NAMES)
def test_it_claims_pdfua_1_in_its_xmp_with_its_language_and_producer(
    name: str, documents: dict[str, bytes]
) -> None:
    with _open(documents[name]) as pdf, _xmp(pdf) as meta:
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:language") == {"en-GB"}
        assert str(pdf.Root.Lang) == "en-GB"
        assert meta.get("pdf:Producer") == str(pdf.docinfo.Producer) == PRODUCER
        assert meta.get("dc:title") == str(pdf.docinfo.Title)


@pytest.mark.parametrize("name", NAMES)
def test_every_marked_content_belongs_to_the_tree_or_is_an_artifact(
    name: str, documents: dict[str, bytes]
) -> None:
    """No orphan structure elements: every MCID on a page maps (through the parent tree) to
    an element reachable from the root, and everything painted is inside marked content."""
    with _open(documents[name]) as pdf:
        reachable = {e.objgen for e in _elements(pdf)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        artifacts = 0
        for number, page in enumerate(pdf.pages, start=1):
            mapped = tree.get(int(page.obj.get("/StructParents", -1)))
            depth = 0
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(getattr(instruction, "operator", "BI"))
                operands = getattr(instruction, "operands", [])
                if operator in ("BDC", "BMC"):
                    depth += 1
                    artifacts += operands[0] == pikepdf.Name.Artifact
                    if operator == "BDC" and "/MCID" in operands[1]:
                        element = mapped[int(operands[1].MCID)]
                        assert element.objgen in reachable, f"orphan on page {number}"
                elif operator == "EMC":
                    depth -= 1
                elif operator in ("Tj", "TJ", "Do", "f", "S", "BI"):
                    assert depth > 0, f"page {number}: {operator} outside marked content"
            for element in (mapped or []) if isinstance(mapped, pikepdf.Array) else []:
                assert element is None or element.objgen in reachable
        if "agenda" not in name:  # an agenda prints no page number
            assert artifacts > 0  # the page numbers at least


def _tagged_mcids(page: pikepdf.Page) -> list[int]:
    """The MCIDs of a page's marked content that is not inside an artifact."""
    found: list[int] = []
    artifact: list[bool] = []
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(getattr(instruction, "operator", "BI"))
        if operator in ("BDC", "BMC"):
            operands = instruction.operands
            inside = bool(artifact and artifact[-1])
            artifact.append(inside or operands[0] == pikepdf.Name.Artifact)
            if operator == "BDC" and "/MCID" in operands[1] and not artifact[-1]:
                found.append(int(operands[1].MCID))
        elif operator == "EMC":
            artifact.pop()
    return found


@pytest.mark.parametrize("name", [n for n in NAMES if "pack" in n])
def test_blank_pages_and_page_numbers_are_artifacts(name: str, documents: dict[str, bytes]) -> None:
    """ "This page is intentionally left blank" and "Page N" are in no structure element: a
    screen reader reading the tree never meets them, though they print."""
    read = _read(documents, name)
    blank = [i for i, text in enumerate(read.pages) if BLANK in text]
    assert blank
    with _open(documents[name]) as pdf:
        for index in blank:
            assert _tagged_mcids(pdf.pages[index]) == [], f"page {index + 1}"
        text = " ".join(
            str(element.get("/ActualText", "")) + str(element.get("/Alt", ""))
            for element in _elements(pdf)
        )
    assert BLANK not in text


@pytest.mark.parametrize("name", NAMES)
def test_headings_do_not_skip_levels(name: str, documents: dict[str, bytes]) -> None:
    with _open(documents[name]) as pdf:
        levels = [int(m[1]) for e in _elements(pdf) if (m := HEADING.match(str(e.S)))]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("name", NAMES)
def test_table_header_cells_carry_a_scope(name: str, documents: dict[str, bytes]) -> None:
    with _open(documents[name]) as pdf:
        tables = [e for e in _elements(pdf) if e.S == "/Table"]
        headers = [e for e in _elements(pdf) if e.S == "/TH"]
        scopes = [
            str(a.Scope)
            for cell in headers
            for a in (cell.A if isinstance(cell.A, pikepdf.Array) else [cell.A])
            if "/Scope" in a
        ]
    assert len(scopes) == len(headers)
    assert set(scopes) <= {"/Column", "/Row"}
    assert len(headers) >= len(tables)


@pytest.mark.parametrize("name", NAMES)
def test_page_labels_are_the_printed_page_numbers(name: str, documents: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(documents[name]))
    read = _read(documents, name)
    printed = [read.printed_number(i) for i in range(len(reader.pages))]
    labels = list(reader.page_labels)
    assert any(printed) or "agenda" in name
    for index, number in enumerate(printed):
        if number is not None:
            assert labels[index] == str(number), (index, labels[index], number)
        else:  # an agenda before its pack prints no number: i, ii …
            assert not labels[index].isdigit() or not any(printed), labels[index]


def test_the_pack_is_labelled_i_ii_then_1_as_printed(documents: dict[str, bytes]) -> None:
    labels = list(PdfReader(io.BytesIO(documents["2019-05-01 public pack"])).page_labels)
    assert labels[:4] == ["i", "ii", "1", "2"]


@pytest.mark.parametrize("name", [n for n in NAMES if "pack" in n or "paper" in n])
def test_bookmark_labels_keep_the_space_after_their_number(
    name: str, documents: dict[str, bytes]
) -> None:
    titles = [b.title for b in _read(documents, name).bookmarks]
    assert titles
    assert not [t for t in titles if re.match(r"^\d+[a-z]?[A-Z]", t)], titles


def test_a_paper_bookmarks_its_numbered_sections_as_printed(documents: dict[str, bytes]) -> None:
    titles = [b.title for b in _read(documents, "2019-05-01 paper closing-the-gaps").bookmarks]
    assert "1 Executive Summary" in titles


def test_a_document_that_fails_the_checks_does_not_claim_pdfua() -> None:
    """Untagged content (as an uploaded paper's pages drawn into a pack would be) costs the
    claim: the XMP says nothing of PDF/UA."""
    html = '<html lang="en-GB"><body><p>Untagged</p></body></html>'
    untagged = render_part(PartJob(html=html, tagged=False)).pdf
    metadata = Metadata(title="Untagged", author="Tests", subject="A document not tagged")
    with _open(assemble((Piece(untagged),), metadata=metadata)) as pdf, _xmp(pdf) as meta:
        assert meta.get("pdfuaid:part") is None
        assert meta.get("dc:language") == {"en-GB"}


@pytest.mark.parametrize("name", [n for n in NAMES if "pack" in n])
def test_a_pack_embeds_each_font_face_once(name: str, documents: dict[str, bytes]) -> None:
    """Not one copy per part: the parts' subsets of a face are joined into one font."""
    with _open(documents[name]) as pdf:
        fonts = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"
        ]
        faces = {str(font.BaseFont).split("+")[-1] for font in fonts}
    assert len(fonts) == len(faces) >= 2, sorted(str(font.BaseFont) for font in fonts)


@pytest.mark.parametrize("sample", [tagged, untagged], ids=["tagged upload", "untagged upload"])
def test_a_pack_with_an_uploaded_paper_drawn_in_does_not_claim_pdfua(sample: Any) -> None:
    """The uploaded pages are drawn under placeholder pages without their own tags: content the
    structure tree does not cover, so no claim, whether the upload was tagged or not."""
    html = '<html lang="en-GB"><body><div id="upload-p1"></div></body></html>'
    job = PartJob(html=html, upload=sample(), upload_anchors=("upload-p1",))
    part = render_part(job).pdf
    metadata = Metadata(title="Upload", author="Tests", subject="A pack with an upload")
    with _open(assemble((Piece(part),), metadata=metadata)) as pdf, _xmp(pdf) as meta:
        assert tagging.problems(pdf)
        assert meta.get("pdfuaid:part") is None
