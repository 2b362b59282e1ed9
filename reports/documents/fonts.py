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


def _join_font_files(files: list[bytes]) -> bytes:
    """One TrueType font with every glyph that any of the subsets (same face, same glyph IDs)
    has drawn."""
    from fontTools.ttLib import TTFont

    fonts = [TTFont(io.BytesIO(data)) for data in files]
    # A subset ends at the highest glyph it uses: the longest holds every glyph ID.
    fonts.sort(key=lambda font: -len(font.getGlyphOrder()))
    base = fonts[0]
    order = base.getGlyphOrder()
    glyf, hmtx = base["glyf"], base["hmtx"]
    for other in fonts[1:]:
        other_order = other.getGlyphOrder()
        other_glyf, other_hmtx = other["glyf"], other["hmtx"]
        for gid, name in enumerate(other_order):
            glyph = other_glyf[name]
            if glyph.numberOfContours == 0:
                continue  # empty in this subset
            if glyf[order[gid]].numberOfContours == 0:
                glyf[order[gid]] = glyph
                hmtx[order[gid]] = other_hmtx[name]
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


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
