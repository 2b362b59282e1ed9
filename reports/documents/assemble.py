"""One PDF from parts rendered on their own (pikepdf): pages, tags, bookmarks, links, numbers.

Each part is a complete tagged PDF written by WeasyPrint. Joined here:

- the pages, in order;
- the structure trees, under one Document element, with a single parent tree whose keys are
  shifted part by part (pages' /StructParents, annotations' /StructParent); table-header IDs
  were already made unique when the part was rendered (workers.unique_ids);
- the bookmarks, each part's at the page it now has;
- the links of one part to anchors in another (the agenda's page references), made explicit
  destinations;
- the page numbers: a part is rendered without them, and each numbered page gets its
  "Page N" from a page of a separately rendered numbers document, drawn on top as a form
  XObject marked as a pagination artifact; so a part's PDF never depends on where it lands;
- the fonts: each face's subsets (one per part) joined into one font (fonts.py);
- the tags finished for PDF/UA (tagging.py): headings nested, page labels as printed, and the
  claim written in the XMP only when tagging.problems() finds nothing.

pikepdf (qpdf) copies the objects: the pages first, then the structure tree, whose references
to pages qpdf points at the copies already made.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reports.documents import fonts, tagging
from reports.documents.workers import Metadata, release_memory

if TYPE_CHECKING:  # pikepdf is imported where a PDF is assembled.
    import pikepdf

STAMP = "/VruPageNumber"
ARTIFACT = (
    b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nq " + STAMP.encode() + b" Do Q\nEMC\n"
)


@dataclass(frozen=True)
class Assembly:
    """What assemble() joins: run in a worker process, so it takes and gives plain data."""

    pieces: tuple[Piece, ...]
    metadata: Metadata
    numbers: bytes | None = None


def run_assembly(job: Assembly) -> bytes:
    try:
        return assemble(job.pieces, metadata=job.metadata, numbers=job.numbers)
    finally:
        release_memory()


@dataclass(frozen=True)
class Piece:
    """A rendered part and how it joins: numbered or not, and whose anchors links may use."""

    pdf: bytes
    numbered: bool = True
    anchors: bool = True  # its named destinations are link targets for the other parts
    checked: bool = False  # its pages' content passed tagging.content_problems already


def _pdf_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


PRODUCER = "WeasyPrint and pikepdf"  # the same in the info dictionary and the XMP
NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def _xmp(metadata: Metadata, iso: str, *, pdfua: bool) -> bytes:
    """The XMP packet: what the info dictionary says, the language, and the PDF/UA-1 claim
    when the document has earned it (tagging.problems found nothing)."""
    from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

    for prefix, uri in NAMESPACES.items():
        register_namespace(prefix, uri)

    def name(qualified: str) -> str:
        prefix, local = qualified.split(":")
        return f"{{{NAMESPACES[prefix]}}}{local}"

    meta = Element(name("x:xmpmeta"))
    rdf = SubElement(meta, name("rdf:RDF"))
    description = SubElement(rdf, name("rdf:Description"), {name("rdf:about"): ""})

    def container(key: str, kind: str, values: list[str], lang: bool = False) -> None:
        items = SubElement(SubElement(description, name(key)), name(f"rdf:{kind}"))
        for value in values:
            item = SubElement(items, name("rdf:li"))
            if lang:
                item.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
            item.text = value

    container("dc:title", "Alt", [metadata.title], lang=True)
    container("dc:creator", "Seq", [metadata.author])
    container("dc:description", "Alt", [metadata.subject], lang=True)
    container("dc:language", "Bag", [metadata.lang])
    for key, value in (
        ("pdf:Keywords", ", ".join(metadata.keywords)),
        ("pdf:Producer", PRODUCER),
        ("xmp:CreatorTool", "VRU Governance"),
        ("xmp:CreateDate", iso),
        ("xmp:ModifyDate", iso),
        ("xmp:MetadataDate", iso),
    ):
        SubElement(description, name(key)).text = value
    if pdfua:
        SubElement(description, name("pdfuaid:part")).text = "1"
    return b"\n".join(
        (
            b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>',
            tostring(meta, encoding="utf-8", xml_declaration=False),
            b'<?xpacket end="r"?>',
        )
    )


def _page_labels(numbered: list[bool]) -> list[tuple[int, str, int]]:
    """(first page index, style, first number) of each run of page labels: numbered pages
    are labelled as printed (decimal, 1 on the first), the others (an agenda before its pack)
    in lower-case roman numerals; a document with no numbered page is labelled 1, 2 …"""
    if not any(numbered):
        return [(0, "/D", 1)]
    runs: list[tuple[int, str, int]] = []
    counters = {"/D": 0, "/r": 0}
    previous: str | None = None
    for index, is_numbered in enumerate(numbered):
        style = "/D" if is_numbered else "/r"
        counters[style] += 1
        if style != previous:
            runs.append((index, style, counters[style]))
        previous = style
    return runs


def _items(value: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The members of an array, or the value itself when it is a single object."""
    import pikepdf

    if value is None:
        return
    if isinstance(value, pikepdf.Array):
        yield from value
    else:
        yield value


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _destination(target: Any, page_index: dict[tuple[int, int], int]) -> tuple | None:
    """(page index, left, top) of an explicit destination array, if it points at a page."""
    import pikepdf

    if isinstance(target, pikepdf.Dictionary) and "/D" in target:
        target = target.D
    if not isinstance(target, pikepdf.Array) or len(target) < 2:
        return None
    page = target[0]
    if not isinstance(page, pikepdf.Dictionary) or page.objgen not in page_index:
        return None
    left = _number(target[2]) if len(target) > 2 else None
    top = _number(target[3]) if len(target) > 3 else None
    return page_index[page.objgen], left, top


def _outline(items: Any, page_index: dict, offset: int, out: list, level: int = 1) -> None:
    for item in items:
        found = _destination(item.destination, page_index) if item.destination else None
        if found is not None:
            page, left, top = found
            out.append((level, str(item.title), page + offset, left, top))
        _outline(item.children, page_index, offset, out, level + 1)


class _Structure:
    """The structure trees of the parts, under one root and one parent tree."""

    def __init__(self, pdf: Any) -> None:
        import pikepdf

        self.pdf = pdf
        self.root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        self.document = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem,
                S=pikepdf.Name.Document,
                P=self.root,
                K=pikepdf.Array(),
            )
        )
        self.root.K = pikepdf.Array([self.document])
        self.nums = pikepdf.Array()
        self.next_key = 0

    def add(self, source: Any) -> int | None:
        """Copy one part's tree (its pages already copied); the shift of its parent-tree keys."""
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            return None
        copied = self.pdf.copy_foreign(tree)
        for kid in _items(copied.get("/K")):
            if isinstance(kid, int):
                continue
            if kid.get("/S") == "/Document":  # WeasyPrint's own: its children become ours
                for child in _items(kid.get("/K")):
                    if not isinstance(child, int):
                        child.P = self.document
                        self.document.K.append(child)
            else:
                kid.P = self.document
                self.document.K.append(kid)
        shift = self.next_key
        largest = -1
        parent_tree = copied.get("/ParentTree")
        nums = parent_tree.get("/Nums") if parent_tree is not None else None
        if nums is not None:
            for index in range(0, len(nums), 2):
                key = int(nums[index])
                largest = max(largest, key)
                self.nums.append(key + shift)
                self.nums.append(nums[index + 1])
        self.next_key = shift + largest + 1
        return shift

    def finish(self) -> Any:
        import pikepdf

        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=self.nums))
        self.root.ParentTreeNextKey = self.next_key
        return self.root


def _stamp(pdf: Any, page: Any, form: Any, before: Any, after: Any) -> None:
    """Draw `form` over the page, its own content wrapped so that no state leaks into it."""
    import pikepdf

    resources = pikepdf.Dictionary()
    for key, value in (page.get("/Resources") or pikepdf.Dictionary()).items():
        resources[key] = value
    xobjects = pikepdf.Dictionary()
    for key, value in (resources.get("/XObject") or pikepdf.Dictionary()).items():
        xobjects[key] = value
    xobjects[STAMP] = form
    resources.XObject = xobjects
    page.Resources = resources
    page.Contents = pikepdf.Array([before, *_items(page.get("/Contents")), after])


def assemble(
    pieces: Sequence[Piece],
    *,
    metadata: Metadata,
    numbers: bytes | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """Join the pieces; stamp the numbered pages, in order, with the pages of `numbers`."""
    import pikepdf

    pdf = pikepdf.new()
    structure = _Structure(pdf)
    outline: list[tuple[int, str, int, float | None, float | None]] = []
    destinations: dict[str, tuple] = {}
    numbered: list[Any] = []
    is_numbered: list[bool] = []
    checked_pages: set[int] = set()
    links: list[Any] = []
    sources = []  # kept open until the join is saved
    for piece in pieces:
        source = pikepdf.open(io.BytesIO(piece.pdf))
        sources.append(source)
        offset = len(pdf.pages)
        page_index = {page.obj.objgen: i for i, page in enumerate(source.pages)}
        with warnings.catch_warnings():
            # pikepdf warns that named destinations are not copied: they are, below.
            warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
            pdf.pages.extend(source.pages)
        added = [pdf.pages[offset + i].obj for i in range(len(source.pages))]
        if piece.checked:
            checked_pages.update(range(offset, offset + len(added)))
        shift = structure.add(source)
        for page in added:
            if shift is None:
                if "/StructParents" in page:
                    del page["/StructParents"]
            elif "/StructParents" in page:
                page.StructParents = int(page.StructParents) + shift
            for annotation in _items(page.get("/Annots")):
                if shift is not None and "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + shift
                if isinstance(annotation.get("/Dest"), pikepdf.String):
                    links.append(annotation)
        if piece.numbered:
            numbered += added
        is_numbered += [piece.numbered] * len(added)
        with source.open_outline() as source_outline:
            _outline(source_outline.root, page_index, offset, outline)
        names = source.Root.get("/Names")
        if piece.anchors and names is not None and "/Dests" in names:
            for name, target in pikepdf.NameTree(names.Dests).items():
                found = _destination(target, page_index)
                if found is not None:
                    page, left, top = found
                    destinations.setdefault(str(name), (page + offset, left, top))

    # Links between parts: named destinations become explicit ones; unknown names go.
    for annotation in links:
        target = destinations.get(str(annotation.Dest))
        if target is None:
            del annotation["/Dest"]
            continue
        page, left, top = target
        annotation.Dest = pikepdf.Array(
            [pdf.pages[page].obj, pikepdf.Name.XYZ, left or 0, top or 0, 0]
        )

    if numbers is not None:
        stamps = pikepdf.open(io.BytesIO(numbers))
        sources.append(stamps)
        if len(stamps.pages) != len(numbered):
            raise ValueError(f"{len(stamps.pages)} page numbers for {len(numbered)} pages")
        before = pdf.make_stream(b"q\n")
        after = pdf.make_stream(b"\nQ\n" + ARTIFACT)
        for page, stamp in zip(numbered, stamps.pages, strict=True):
            form = pdf.copy_foreign(stamp.as_form_xobject())
            _stamp(pdf, page, form, before, after)

    with pdf.open_outline() as bookmarks:
        parents: dict[int, Any] = {}
        for level, title, page, left, top in outline:
            item = pikepdf.OutlineItem(title, page, "XYZ", left=left, top=top, zoom=0)
            siblings = parents[level - 1].children if level > 1 and level - 1 in parents else None
            (siblings if siblings is not None else bookmarks.root).append(item)
            parents[level] = item

    moment = now or dt.datetime.now(dt.UTC)
    iso = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = pdf.Root
    root.StructTreeRoot = structure.finish()
    walked = list(tagging.elements(pdf))  # walked once: the tree's shape changes no more
    tagging.nest_headings(pdf, walked)
    root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array(
            [
                value
                for index, style, start in _page_labels(is_numbered)
                for value in (index, pikepdf.Dictionary(S=pikepdf.Name(style), St=start))
            ]
        )
    )
    root.MarkInfo = pikepdf.Dictionary(Marked=True)
    root.Lang = pikepdf.String(metadata.lang)
    root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if outline:
        root.PageMode = pikepdf.Name.UseOutlines
    xmp = pdf.make_stream(
        _xmp(metadata, iso, pdfua=not tagging.problems(pdf, walked, checked_pages))
    )
    xmp.Type = pikepdf.Name.Metadata
    xmp.Subtype = pikepdf.Name.XML
    root.Metadata = xmp
    info = pdf.docinfo
    info.Title = pikepdf.String(metadata.title)
    info.Author = pikepdf.String(metadata.author)
    info.Subject = pikepdf.String(metadata.subject)
    info.Keywords = pikepdf.String(", ".join(metadata.keywords))
    info.Creator = pikepdf.String("VRU Governance")
    info.Producer = pikepdf.String(PRODUCER)
    info.CreationDate = pikepdf.String(_pdf_date(moment))
    info.ModDate = pikepdf.String(_pdf_date(moment))
    fonts.share_fonts(pdf)
    out = io.BytesIO()
    pdf.save(
        out,
        min_version="1.7",
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        fix_metadata_version=False,
    )
    for source in sources:
        source.close()
    return out.getvalue()
