"""One copy of each font face in a joined PDF, instead of one per part (pikepdf, fontTools).

Each part of a pack is a PDF of its own, so each embeds its own subset of every face it uses: a
pack of ten parts carried 23 font objects for 4 faces. WeasyPrint embeds TrueType subsets that
keep the face's glyph IDs (CIDToGIDMap /Identity, Identity-H), so the subsets of one face are
the same font with different glyphs left empty: joined here into one font holding every glyph
any part uses, with the union of their widths and ToUnicode maps, and every page (and the
page-number stamps) pointed at it. A face that is not of that kind is left as it is.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pikepdf is imported where a PDF is assembled.
    import pikepdf

BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
BFRANGE_BLOCK = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _resources(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every resource dictionary of the pages and of the form XObjects drawn on them."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        yield resources
        for xobject in (resources.get("/XObject") or pikepdf.Dictionary()).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                stack.append(xobject.get("/Resources"))


def _face(font: Any) -> str | None:
    """The face of a font we know how to join (an embedded Identity TrueType subset), or None."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descendants = font.get("/DescendantFonts")
    if not descendants:
        return None
    cid = descendants[0]
    descriptor = cid.get("/FontDescriptor")
    if (
        cid.get("/Subtype") != "/CIDFontType2"
        or cid.get("/CIDToGIDMap") != "/Identity"
        or descriptor is None
        or "/FontFile2" not in descriptor
        or "/ToUnicode" not in font
    ):
        return None
    return str(font.BaseFont).split("+", 1)[-1]


def _widths(array: Any) -> dict[int, Any]:
    widths: dict[int, Any] = {}
    items = list(array or [])
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, int) or not hasattr(following, "__len__"):
            last, width = int(following), items[index + 2]
            for code in range(first, last + 1):
                widths[code] = width
            index += 3
        else:
            for offset, width in enumerate(following):
                widths[first + offset] = width
            index += 2
    return widths


def _width_array(widths: dict[int, Any]) -> Any:
    import pikepdf

    out = pikepdf.Array()
    run: list[Any] = []
    start = previous = None
    for code in sorted(widths):
        if previous is not None and code == previous + 1:
            run.append(widths[code])
        else:
            if run:
                out.extend([start, pikepdf.Array(run)])
            start, run = code, [widths[code]]
        previous = code
    if run:
        out.extend([start, pikepdf.Array(run)])
    return out


def _unicode_map(data: bytes) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for block in BFCHAR_BLOCK.findall(data):
        for code, text in BFCHAR.findall(block):
            found[int(code, 16)] = text
    for block in BFRANGE_BLOCK.findall(data):
        for first, last, text in BFRANGE.findall(block):
            start = int(text, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                found[code] = f"{start + offset:0{len(text)}x}".encode()
    return found


def _cmap(mapping: dict[int, bytes]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    codes = sorted(mapping)
    for start in range(0, len(codes), 100):  # at most 100 entries a block
        chunk = codes[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (code, mapping[code]) for code in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


class _Font:
    """A TrueType subset read as raw tables: its glyphs (by glyph ID) and their metrics."""

    def __init__(self, data: bytes) -> None:
        from fontTools.ttLib.sfnt import SFNTReader

        reader = SFNTReader(io.BytesIO(data))
        self.version = reader.sfntVersion
        self.tables = {str(tag): reader[tag] for tag in reader.keys()}
        head, maxp, hhea = self.tables["head"], self.tables["maxp"], self.tables["hhea"]
        self.glyph_count = struct.unpack_from(">H", maxp, 4)[0]
        long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
        loca = self.tables["loca"]
        count = self.glyph_count + 1
        if long_offsets:
            self.offsets = struct.unpack_from(f">{count}I", loca)
        else:
            self.offsets = tuple(2 * o for o in struct.unpack_from(f">{count}H", loca))
        metrics = struct.unpack_from(">H", hhea, 34)[0]
        hmtx = self.tables["hmtx"]
        pairs = struct.unpack_from(f">{2 * metrics}h", hmtx)
        advances = [a & 0xFFFF for a in pairs[0::2]]
        bearings = list(pairs[1::2])
        rest = self.glyph_count - metrics
        if rest > 0:  # past numberOfHMetrics: the last advance, each its own bearing
            advances += [advances[-1]] * rest
            bearings += struct.unpack_from(f">{rest}h", hmtx, 4 * metrics)
        self.metrics = list(zip(advances, bearings, strict=True))

    def glyph(self, gid: int) -> bytes:
        """The glyph's outline data; empty where this subset left it out."""
        start, end = self.offsets[gid], self.offsets[gid + 1]
        return self.tables["glyf"][start:end] if end > start else b""


# Fields of maxp (version 1.0, from byte 6) and hhea that bound every glyph: the joined font's
# are the largest (or smallest) of its subsets'.
_MAXP_FIELDS = range(6, 32, 2)
_HEAD_BOX = ((36, min), (38, min), (40, max), (42, max))  # xMin yMin xMax yMax
_HHEA_BOUNDS = ((10, max, ">H"), (12, min, ">h"), (14, min, ">h"), (16, max, ">h"))


def _join_font_files(files: list[bytes]) -> bytes:
    """One TrueType font with every glyph that any of the subsets (same face, same glyph IDs)
    has drawn, made from their raw tables (glyf, loca, hmtx; the bounds in head, hhea and
    maxp the widest of theirs): the outlines are copied as they are, never parsed."""
    from fontTools.ttLib.sfnt import SFNTWriter

    fonts = [_Font(data) for data in files]
    # A subset ends at the highest glyph it uses: the longest holds every glyph ID.
    fonts.sort(key=lambda font: -font.glyph_count)
    base = fonts[0]
    count = base.glyph_count
    glyphs = [base.glyph(gid) for gid in range(count)]
    metrics = list(base.metrics)
    for other in fonts[1:]:
        for gid in range(other.glyph_count):
            # A subset has a glyph when it kept its outline or, for a blank one (a space, a
            # no-break space), its advance: a subsetter zeroes the advances it left out.
            has = bool(glyphs[gid]) or metrics[gid][0] != 0
            glyph = other.glyph(gid)
            if not has and (glyph or other.metrics[gid][0] != 0):
                glyphs[gid] = glyph
                metrics[gid] = other.metrics[gid]
    glyf = bytearray()
    offsets = []
    for glyph in glyphs:
        offsets.append(len(glyf))
        glyf += glyph + b"\0" * (-len(glyph) % 4)
    offsets.append(len(glyf))
    tables = dict(base.tables)
    tables["glyf"] = bytes(glyf)
    short = len(glyf) < 0x20000  # offsets halved in 16 bits (every glyph is 4-byte aligned)
    if short:
        tables["loca"] = struct.pack(f">{count + 1}H", *(offset // 2 for offset in offsets))
    else:
        tables["loca"] = struct.pack(f">{count + 1}I", *offsets)
    # The advances as far as the last that differs, then the bearings alone (as a subsetter
    # writes them).
    long_metrics = count
    while long_metrics > 1 and metrics[long_metrics - 1][0] == metrics[long_metrics - 2][0]:
        long_metrics -= 1
    tables["hmtx"] = b"".join(
        [struct.pack(">Hh", a, b) for a, b in metrics[:long_metrics]]
        + [struct.pack(">h", b) for _, b in metrics[long_metrics:]]
    )
    head = bytearray(tables["head"])
    struct.pack_into(">h", head, 50, 0 if short else 1)  # indexToLocFormat
    for offset, pick in _HEAD_BOX:
        struct.pack_into(">h", head, offset, pick(_field(f, "head", offset, ">h") for f in fonts))
    tables["head"] = bytes(head)
    hhea = bytearray(tables["hhea"])
    struct.pack_into(">H", hhea, 34, long_metrics)  # numberOfHMetrics
    for offset, pick, kind in _HHEA_BOUNDS:
        struct.pack_into(kind, hhea, offset, pick(_field(f, "hhea", offset, kind) for f in fonts))
    tables["hhea"] = bytes(hhea)
    maxp = bytearray(tables["maxp"])
    if len(maxp) >= 32:
        for offset in _MAXP_FIELDS:
            struct.pack_into(
                ">H", maxp, offset, max(_field(f, "maxp", offset, ">H") for f in fonts)
            )
    tables["maxp"] = bytes(maxp)
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tables), base.version)
    for tag in sorted(tables):
        writer[tag] = tables[tag]
    writer.close()
    return out.getvalue()


def _field(font: _Font, table: str, offset: int, kind: str) -> int:
    return struct.unpack_from(kind, font.tables[table], offset)[0]


def share_fonts(pdf: pikepdf.Pdf) -> int:
    """Join the subsets of each face into one font and point every resource at it; the number
    of font objects no longer used."""
    import pikepdf

    resources = list(_resources(pdf))
    faces: dict[str, list[Any]] = {}
    for resource in resources:
        for font in (resource.get("/Font") or pikepdf.Dictionary()).values():
            face = _face(font)
            if face is None:
                continue
            group = faces.setdefault(face, [])
            if all(font.objgen != known.objgen for known in group):
                group.append(font)
    replaced: dict[tuple[int, int], Any] = {}
    for group in faces.values():
        if len(group) < 2:
            continue
        base = group[0]
        descendants = [font.DescendantFonts[0] for font in group]
        files = [d.FontDescriptor.FontFile2.read_bytes() for d in descendants]
        try:
            joined = _join_font_files(files)
        except Exception:  # noqa: BLE001 — a face we cannot join keeps its copies
            continue
        widths: dict[int, Any] = {}
        mapping: dict[int, bytes] = {}
        for font, cid in zip(group, descendants, strict=True):
            widths.update(_widths(cid.get("/W")))
            mapping.update(_unicode_map(font.ToUnicode.read_bytes()))
        cid = descendants[0]
        descriptor = cid.FontDescriptor
        stream = pdf.make_stream(joined)
        stream.Length1 = len(joined)
        descriptor.FontFile2 = stream
        cid.W = _width_array(widths)
        base.ToUnicode = pdf.make_stream(_cmap(mapping))
        for font in group[1:]:
            replaced[font.objgen] = base
    if not replaced:
        return 0
    for resource in resources:
        fonts = resource.get("/Font")
        if fonts is None:
            continue
        changed = pikepdf.Dictionary()
        for name, font in fonts.items():
            changed[name] = replaced.get(font.objgen, font)
        resource.Font = changed
    return len(replaced)
