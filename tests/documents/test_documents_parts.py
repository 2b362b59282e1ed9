"""Agenda packs from parts: reused while unchanged, rendered across cores, numbered when joined."""

from __future__ import annotations

import io
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from unittest import mock

import pikepdf
from django.conf import settings
from django.core.cache import caches
from django.test import TestCase, override_settings
from pypdf.errors import PyPdfError

from meetings.lock_scope import recording_history
from meetings.models import Meeting
from reports.documents import workers as workers_module
from reports.documents.agenda import balanced_columns
from reports.documents.pack import Audience, PackResult, build_pack
from reports.documents.parts import PartsRendered, part_key, render_parts
from reports.documents.workers import PartJob, render_part
from reports.models import Paper
from tests.demo import add_exempt_paper, load_demo
from tests.documents.test_documents_pack import REFERENCE, part_ranges
from tests.pdfs import ReadPdf, TemporaryMedia, read_pdf

SECRET = "OTTER-SECRET-4412"
EXEMPT_TITLE = "Data Sharing Agreement"
CLOSING = "Item 7: Closing the gaps in support for people affected by violence"
FUTURE = "Item 10: Future of the Partnership Reference Group"
PART_LABELS = {
    "Item 3: Minutes of the meeting of 6 March 2019",
    "Item 4: Actions Arising from Previous Meetings",
    "Item 6: report not for publication",
    CLOSING,
    "Item 8: VRU Delivery Model and Programme Development",
    "Item 9: Community and Youth Engagement Proposals: Update",
    FUTURE,
}


def paragraphs(count: int) -> str:
    sentence = "Partners reviewed the evidence and the services that respond to violence. " * 9
    return "\n\n".join(f"3.{n} {sentence}" for n in range(1, count + 1))


def numbers_and_references(pdf: ReadPdf, offset: int) -> tuple[list, dict, str]:
    agenda = " ".join(pdf.flat(i) for i in range(offset))
    numbers = [pdf.printed_number(i) for i in range(offset, len(pdf.pages))]
    return numbers, part_ranges(pdf), agenda


class PackPartsTests(TemporaryMedia, TestCase):
    """The 1 May 2019 pack, with an exempt paper, its longest papers cut short."""

    @classmethod
    @recording_history()
    def setUpTestData(cls) -> None:
        load_demo()
        meeting = Meeting.objects.get(body__slug="prg", key="2019-05-01")
        add_exempt_paper(meeting, title=EXEMPT_TITLE, secret=SECRET)
        Paper.objects.filter(key__in=["vru-delivery-model", "community-youth-engagement"]).update(
            introduction="3.1 Shortened for the test.", issues="", appendices=""
        )
        # One render with nothing cached; the tests start from the parts it cached.
        caches[settings.DOCUMENTS_PART_CACHE].clear()
        cls.cold = cls.build()
        cls.cold_pdf = read_pdf(cls.cold.pack.pdf)

    @classmethod
    def build(cls, audience: Audience = Audience.PUBLIC) -> PackResult:
        meeting = Meeting.objects.select_related("body").get(body__slug="prg", key="2019-05-01")
        return build_pack(meeting, audience, with_agenda=False)

    def assert_numbered_and_referenced(self, result: PackResult) -> ReadPdf:
        """Pages after the agenda run 1, 2, 3 …; each reference is where its part is."""
        pdf = read_pdf(result.pack.pdf)
        offset = result.pack.extra["agenda_pages"]
        numbers, ranges, agenda = numbers_and_references(pdf, offset)
        self.assertEqual(numbers, list(range(1, len(pdf.pages) - offset + 1)))
        for number, (first, last) in ranges.items():
            start, end = pdf.printed_number(first), pdf.printed_number(last)
            self.assertRegex(agenda, rf"\b{number} .*\(Pages {start} - {end}\)")
        self.assertEqual(len(REFERENCE.findall(agenda)), len(ranges))
        return pdf

    # Reuse -------------------------------------------------------------------------------------

    def test_a_cold_render_renders_every_part_the_agenda_and_the_numbers(self) -> None:
        self.assertEqual(
            set(self.cold.pack.extra["rendered"]),
            PART_LABELS | {"blank page", "agenda", "page numbers"},
        )
        self.assert_numbered_and_referenced(self.cold)

    def test_an_unchanged_pack_reuses_every_part_and_renders_nothing(self) -> None:
        self.build()  # whatever an earlier test left in the cache
        again = self.build()
        self.assertEqual(again.pack.extra["rendered"], [])
        self.assertEqual(read_pdf(again.pack.pdf).pages, self.cold_pdf.pages)

    @recording_history()  # the rule under test, on records of the past
    def test_changing_one_paper_renders_only_that_paper_again(self) -> None:
        self.build()
        paper = Paper.objects.get(key="closing-the-gaps")
        paper.executive_summary = paper.executive_summary.replace(".", ". REVISED-WORDING.", 1)
        paper.save()
        result = self.build()
        rendered = set(result.pack.extra["rendered"])
        self.assertIn(CLOSING, rendered)
        # The agenda and the page numbers only if the paper's page count changed.
        self.assertEqual(rendered - {"agenda", "page numbers"}, {CLOSING})
        pdf = self.assert_numbered_and_referenced(result)
        self.assertIn("REVISED-WORDING", pdf.all_text())

    @recording_history()  # the rule under test, on records of the past
    def test_page_numbers_and_references_follow_when_an_earlier_part_grows(self) -> None:
        self.build()
        future_before = part_ranges(self.cold_pdf)["10"][0]
        paper = Paper.objects.get(key="closing-the-gaps")
        paper.introduction = paragraphs(14)
        paper.save()
        after = self.build()
        # The later parts moved but did not change: reused, renumbered by the stamp.
        self.assertEqual(set(after.pack.extra["rendered"]), {CLOSING, "agenda", "page numbers"})
        pdf = self.assert_numbered_and_referenced(after)
        future_after = part_ranges(pdf)["10"][0]
        self.assertGreater(future_after, future_before)
        self.assertEqual(pdf.printed_number(future_after) % 2, 1)
        self.assertIn("Future of the Partnership Reference Group", pdf.flat(future_after))

    def test_the_public_pack_never_takes_the_exempt_paper_from_the_cache(self) -> None:
        partners = read_pdf(self.build(Audience.PARTNERS).pack.pdf)
        self.assertIn(SECRET, partners.all_text())
        public = self.build(Audience.PUBLIC)
        text = read_pdf(public.pack.pdf).all_text()
        self.assertNotIn(SECRET, text)
        self.assertNotIn(EXEMPT_TITLE, text)
        self.assertIn("not for publication", text)

    # Parallel and serial ------------------------------------------------------------------------

    def test_parallel_and_serial_renders_give_the_same_pages(self) -> None:
        caches[settings.DOCUMENTS_PART_CACHE].clear()
        with override_settings(DOCUMENTS_RENDER_WORKERS=1):
            with mock.patch(
                "reports.documents.workers.ProcessPoolExecutor", wraps=ProcessPoolExecutor
            ) as pool:
                serial = self.build()
            pool.assert_not_called()
        caches[settings.DOCUMENTS_PART_CACHE].clear()
        with override_settings(DOCUMENTS_RENDER_WORKERS=2):
            with mock.patch(
                "reports.documents.workers.ProcessPoolExecutor", wraps=ProcessPoolExecutor
            ) as pool:
                parallel = self.build()
            pool.assert_called()
        self.assertEqual(read_pdf(parallel.pack.pdf).pages, read_pdf(serial.pack.pdf).pages)
        self.assertEqual(set(parallel.pack.extra["rendered"]), set(serial.pack.extra["rendered"]))

    # The joined PDF ------------------------------------------------------------------------------

    def test_the_joined_pdf_has_one_consistent_structure_tree(self) -> None:
        with pikepdf.open(io.BytesIO(self.cold.pack.pdf)) as pdf:
            pages = {page.obj.objgen for page in pdf.pages}
            root = pdf.Root.StructTreeRoot
            documents = list(root.K)
            self.assertEqual([d.S for d in documents], [pikepdf.Name.Document])
            elements, ids, headers = set(), set(), []
            stack = [(child, documents[0]) for child in documents[0].K]
            while stack:
                element, parent = stack.pop()
                if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") in (
                    "/OBJR",
                    "/MCR",
                ):
                    continue
                self.assertEqual(element.P.objgen, parent.objgen)
                if "/Pg" in element:
                    self.assertIn(element.Pg.objgen, pages)
                elements.add(element.objgen)
                if "/ID" in element:
                    self.assertNotIn(str(element.ID), ids, "IDs are unique in the pack")
                    ids.add(str(element.ID))
                attributes = element.get("/A")
                if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                    headers += [str(h) for h in attributes.Headers]
                kids = element.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    stack.append((kid, element))
            self.assertTrue(headers)
            self.assertTrue(set(headers) <= ids, "every header a cell names is in the pack")
            nums = root.ParentTree.Nums
            tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            self.assertEqual(int(root.ParentTreeNextKey), max(tree) + 1)
            for page in pdf.pages:
                key = int(page.obj.StructParents)
                for element in tree[key]:
                    if isinstance(element, pikepdf.Dictionary):
                        self.assertEqual(element.Pg.objgen, page.obj.objgen)
                for annotation in page.obj.get("/Annots", []):
                    self.assertEqual(tree[int(annotation.StructParent)].S, pikepdf.Name.Link)
            keys = [int(page.obj.StructParents) for page in pdf.pages]
            self.assertEqual(len(keys), len(set(keys)), "each page its own parent-tree entry")

    def test_agenda_page_references_link_to_the_first_page_of_each_part(self) -> None:
        result = self.cold
        ranges = part_ranges(self.cold_pdf)
        offset = result.pack.extra["agenda_pages"]
        with pikepdf.open(io.BytesIO(result.pack.pdf)) as pdf:
            index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
            targets = []
            for page in list(pdf.pages)[:offset]:
                for annotation in page.obj.get("/Annots", []):
                    if annotation.get("/Subtype") == "/Link":
                        targets.append(index[annotation.Dest[0].objgen])
        self.assertEqual(targets, [first for first, _ in ranges.values()])

    def test_page_numbers_are_artifacts_outside_the_structure_tree(self) -> None:
        result = self.cold
        with pikepdf.open(io.BytesIO(result.pack.pdf)) as pdf:
            page = pdf.pages[result.pack.extra["agenda_pages"]]
            contents = b"".join(stream.read_bytes() for stream in page.obj.Contents)
        self.assertIn(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC", contents)
        self.assertTrue(contents.startswith(b"q\n"))


def tiny_jobs() -> list[PartJob]:
    page = '<html lang="en-GB"><head><title>t</title></head><body><p>{}</p></body></html>'
    return [PartJob(html=page.format(f"TINY-PART-{n}")) for n in (1, 2, 3)]


class PartsRenderingTests(TestCase):
    """Rendering and caching parts, on small ones."""

    def setUp(self) -> None:
        caches[settings.DOCUMENTS_PART_CACHE].clear()

    def texts(self, rendered: PartsRendered) -> list[str]:
        return [read_pdf(part.pdf).all_text() for part in rendered.parts]

    def test_parts_come_back_in_the_order_asked_each_content_rendered_once(self) -> None:
        jobs = tiny_jobs()
        counted = mock.patch("reports.documents.parts.render_part", wraps=render_part)
        with override_settings(DOCUMENTS_RENDER_WORKERS=1), counted as render:
            first = render_parts([*jobs, jobs[0]])
            self.assertEqual(render.call_count, 3)
            again = render_parts(jobs)
            self.assertEqual(render.call_count, 3)
        self.assertEqual(
            self.texts(first), ["TINY-PART-1", "TINY-PART-2", "TINY-PART-3", "TINY-PART-1"]
        )
        self.assertEqual(first.rendered, [0, 1, 2, 3])
        self.assertEqual(again.rendered, [])
        self.assertEqual(self.texts(again), ["TINY-PART-1", "TINY-PART-2", "TINY-PART-3"])

    def test_a_process_with_other_threads_renders_in_workers_from_a_fork_server(self) -> None:
        with mock.patch("reports.documents.workers.threading.active_count", return_value=3):
            self.assertEqual(workers_module._context().get_start_method(), "forkserver")
            rendered = render_parts(tiny_jobs())
        self.assertEqual(self.texts(rendered), ["TINY-PART-1", "TINY-PART-2", "TINY-PART-3"])

    def test_a_pool_that_cannot_start_falls_back_to_rendering_in_one_process(self) -> None:
        refused = mock.patch(
            "reports.documents.workers.ProcessPoolExecutor",
            side_effect=OSError("no more processes"),
        )
        with refused, self.assertLogs("reports.documents.workers", "WARNING") as logs:
            rendered = render_parts(tiny_jobs())
        self.assertIn("Rendering in one process", logs.output[0])
        self.assertEqual(self.texts(rendered), ["TINY-PART-1", "TINY-PART-2", "TINY-PART-3"])

    def test_a_part_that_cannot_be_rendered_fails_the_render_and_is_not_retried(self) -> None:
        page = tiny_jobs()[0].html
        bad = PartJob(html=page, upload=b"not a PDF at all", upload_anchors=())
        with self.assertNoLogs("reports.documents.workers", "WARNING"):
            with self.assertRaises(PyPdfError):
                render_parts([*tiny_jobs(), bad])

    def test_a_failing_cache_costs_renders_not_the_parts(self) -> None:
        store = caches[settings.DOCUMENTS_PART_CACHE]
        broken = mock.patch.object(store, "get", side_effect=ConnectionError("cache down"))
        with broken, self.assertLogs("reports.documents.parts", "WARNING") as logs:
            rendered = render_parts(tiny_jobs())
        self.assertEqual(len(logs.output), 1)
        self.assertIn("rendering every part", logs.output[0])
        self.assertEqual(self.texts(rendered), ["TINY-PART-1", "TINY-PART-2", "TINY-PART-3"])
        unkept = mock.patch.object(store, "set_many", side_effect=ConnectionError("cache down"))
        with unkept, self.assertLogs("reports.documents.parts", "WARNING") as logs:
            rendered = render_parts(tiny_jobs())
        self.assertIn("parts not kept", logs.output[0])
        self.assertEqual(rendered.rendered, [0, 1, 2])

    def test_a_cache_entry_that_is_not_a_part_is_rendered_again_not_served(self) -> None:
        jobs = tiny_jobs()
        store = caches[settings.DOCUMENTS_PART_CACHE]
        store.set(part_key(jobs[0]), ("not a PDF", 0, ()))
        store.set(part_key(jobs[1]), b"%PDF-1.7 but not a tuple")
        rendered = render_parts(jobs)
        self.assertEqual(rendered.rendered, [0, 1, 2])
        self.assertEqual(self.texts(rendered), ["TINY-PART-1", "TINY-PART-2", "TINY-PART-3"])

    def test_a_part_key_depends_on_its_content_only(self) -> None:
        html = "<p>3.1 The report.</p>"
        self.assertEqual(part_key(PartJob(html=html)), part_key(PartJob(html=html)))
        self.assertNotEqual(part_key(PartJob(html=html)), part_key(PartJob(html=html + " ")))
        upload = PartJob(html=html, upload=b"%PDF-1.7 one", upload_anchors=("a-p1",))
        other = PartJob(html=html, upload=b"%PDF-1.7 two", upload_anchors=("a-p1",))
        self.assertNotEqual(part_key(upload), part_key(other))
        self.assertNotEqual(part_key(PartJob(html=html)), part_key(PartJob(html=html, exempt=True)))
        self.assertTrue(re.fullmatch(r"documents:part:[0-9a-f]{64}", part_key(upload)))


class PartnerColumnsTests(TestCase):
    def test_partners_are_split_in_two_columns_of_about_equal_height_in_order(self) -> None:
        lines = [f"Partner {n}, Role" for n in range(9)]
        left, right = balanced_columns(lines)
        self.assertEqual(left + right, lines)
        self.assertEqual((len(left), len(right)), (5, 4))

    def test_a_long_entry_counts_for_the_lines_it_takes(self) -> None:
        long = "Professor Someone, Statutory Health Advisor to the Mayor and Regional Director"
        lines = [long, long, "A, B", "C, D", "E, F", "G, H"]
        left, right = balanced_columns(lines)
        self.assertEqual(left + right, lines)
        self.assertEqual(left, [long, long])

    def test_no_partners_make_two_empty_columns(self) -> None:
        self.assertEqual(balanced_columns([]), [[], []])


def test_a_stylesheet_parsed_once_lays_out_the_same_pages() -> None:
    """layout_html applies a document's one <style> element as a stylesheet parsed once per
    thread; the pages come out as WeasyPrint lays out the document as written, and a
    document with two <style> elements keeps them in place (their order is the cascade's)."""
    import threading

    from weasyprint import HTML

    style = (
        "@page { size: A5; margin: 20mm; @bottom-center { content: counter(page); } }"
        " p { font: 11pt 'DejaVu Sans'; color: #123456 } h1 { string-set: t content() }"
    )
    body = "<h1>Heading</h1>" + "<p>Words of the paper, in a paragraph.</p>" * 40
    html = f"<html><head><title>T</title><style>{style}</style></head><body>{body}</body></html>"
    kept = workers_module._kept
    kept.stylesheets.clear()
    ours = workers_module.layout_html(html)
    theirs = HTML(string=html, url_fetcher=workers_module.fetcher()).render()
    assert len(ours.pages) == len(theirs.pages) > 1
    for page_ours, page_theirs in zip(ours.pages, theirs.pages, strict=True):
        assert page_ours.width == page_theirs.width and page_ours.height == page_theirs.height
    assert list(kept.stylesheets) == [style]
    sheet, fonts = kept.stylesheets[style], kept.fonts
    workers_module.layout_html(html)
    assert kept.stylesheets[style] is sheet and kept.fonts is fonts  # parsed once, kept

    two = html.replace("</style>", "</style><style>p { font-size: 30pt }</style>")
    larger = workers_module.layout_html(two)
    assert len(larger.pages) > len(ours.pages)  # the second <style> still overrides the first
    assert list(kept.stylesheets) == [style]

    elsewhere: list[object] = []
    thread = threading.Thread(
        target=lambda: elsewhere.append((workers_module.layout_html(html), kept.fonts))
    )
    thread.start()
    thread.join()
    assert elsewhere[0][1] is not None and elsewhere[0][1] is not fonts  # a thread's own


def test_the_print_stylesheets_have_nothing_important() -> None:
    """layout_html hands the print CSS to WeasyPrint as a user stylesheet: the same cascade as
    the author's <style> only while no rule is !important."""
    folder = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf"
    sheets = [p for p in folder.rglob("*") if p.suffix in (".css", ".html")]
    assert any(p.name == "print.css" for p in sheets)
    for path in sheets:
        assert "!important" not in path.read_text(encoding="utf-8").replace(" ", ""), path
