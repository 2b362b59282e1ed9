"""The parts' subsets of a face, joined into one font from their raw tables (fonts.py): every
glyph a page draws is in the joined font, with the advance the PDF's widths give it, and the
font is a TrueType font fontTools reads back."""

from __future__ import annotations

import io
import re

import pikepdf
from fontTools.ttLib import TTFont

from reports.documents import fonts
from reports.documents.assemble import Piece, assemble
from reports.documents.render import Metadata
from reports.documents.workers import PartJob, render_part

# Different letters in each part, so that each part's subset holds glyphs the others lack.
TEXTS = [
    "Alpha beta gamma: Ærø, naïve café, 12 knives.",
    "Quizzical jovial wombats — Ωmega λambda, 3,456 zebras.",
    "<b>Bold heading</b> and <i>oblique words</i> with xyz and ŷ.",
]
SHOWN = re.compile(rb"<([0-9a-fA-F]+)>")


def _joined() -> bytes:
    parts = [
        render_part(PartJob(html=f'<html lang="en-GB"><body><p>{text}</p></body></html>')).pdf
        for text in TEXTS
    ]
    metadata = Metadata(title="Fonts", author="Tests", subject="Subsets joined")
    return assemble(tuple(Piece(part) for part in parts), metadata=metadata)


def _glyphs_drawn(pdf: pikepdf.Pdf) -> dict[tuple[int, int], set[int]]:
    """Glyph IDs each font draws (Identity-H: two bytes a glyph), by the font's object."""
    drawn: dict[tuple[int, int], set[int]] = {}
    for page in pdf.pages:
        current = None
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "Tf":
                current = page.Resources.Font[operands[0]]
            elif str(operator) in ("Tj", "TJ") and current is not None:
                strings = operands[0] if str(operator) == "TJ" else [operands[0]]
                for value in strings:
                    if isinstance(value, pikepdf.String):
                        raw = bytes(value)
                        gids = {
                            int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                        }
                        drawn.setdefault(current.objgen, set()).update(gids)
    return drawn


def test_every_glyph_drawn_is_in_the_joined_font_with_its_width() -> None:
    with pikepdf.open(io.BytesIO(_joined())) as pdf:
        drawn = _glyphs_drawn(pdf)
        assert drawn
        type0 = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"
        ]
        faces = {str(font.BaseFont).split("+")[-1] for font in type0}
        assert len(type0) == len(faces)  # one font a face: the subsets were joined
        for font in type0:
            cid = font.DescendantFonts[0]
            program = TTFont(io.BytesIO(cid.FontDescriptor.FontFile2.read_bytes()))
            order = program.getGlyphOrder()
            glyf, hmtx = program["glyf"], program["hmtx"]
            scale = 1000 / program["head"].unitsPerEm
            widths = fonts._widths(cid.get("/W"))
            for gid in drawn.get(font.objgen, ()):
                glyph = glyf[order[gid]]
                advance = hmtx[order[gid]][0]
                if gid in widths:
                    assert abs(advance * scale - float(widths[gid])) < 1, (gid, advance)
                # A space has no outline; every other glyph drawn must have one.
                text_space = advance > 0 and glyph.numberOfContours == 0
                assert glyph.numberOfContours != 0 or text_space, (font.BaseFont, gid)
            outlined = sum(
                1 for gid in drawn.get(font.objgen, ()) if glyf[order[gid]].numberOfContours
            )
            assert outlined >= len(drawn.get(font.objgen, ())) - 2  # spaces at most


def test_joining_keeps_each_subsets_outlines_byte_for_byte() -> None:
    """The joined glyf table holds, for each glyph, the outline of the first subset that has
    it, as that subset stored it; glyphs no subset has stay empty."""
    parts = [
        render_part(PartJob(html=f'<html lang="en-GB"><body><p>{text}</p></body></html>')).pdf
        for text in TEXTS[:2]
    ]
    by_face: dict[str, list[bytes]] = {}
    for part in parts:
        with pikepdf.open(io.BytesIO(part)) as pdf:
            for resources in fonts._resources(pdf):
                for font in (resources.get("/Font") or {}).values():
                    face = fonts._face(font)
                    if face is not None and "Bold" not in face and "Oblique" not in face:
                        stream = font.DescendantFonts[0].FontDescriptor.FontFile2
                        by_face.setdefault(face, []).append(stream.read_bytes())
    files = next(iter(by_face.values()))
    assert len(files) == 2
    joined = fonts._Font(fonts._join_font_files(files))
    subsets = [fonts._Font(data) for data in files]
    assert joined.glyph_count == max(s.glyph_count for s in subsets)
    for gid in range(joined.glyph_count):
        own = [s.glyph(gid) for s in subsets if gid < s.glyph_count and s.glyph(gid)]
        if own:
            assert joined.glyph(gid).rstrip(b"\0") == own[0].rstrip(b"\0")
            assert joined.metrics[gid] == next(
                s.metrics[gid] for s in subsets if gid < s.glyph_count and s.glyph(gid)
            )
        else:
            assert joined.glyph(gid) == b""
    TTFont(io.BytesIO(fonts._join_font_files(files)))["glyf"]  # fontTools reads it back


def test_a_blank_glyph_keeps_its_advance_when_the_largest_subset_lacks_it() -> None:
    """A space has no outline, only an advance: the subset that holds the highest glyph ID (the
    joined font's base) may lack it, with its advance zeroed, while another part draws it."""
    # The first part holds the highest glyph ID (a thin space) and no plain space.
    texts = ["\u03a9mega\u2009\u03bbambda", "a b"]
    files: list[bytes] = []
    widths: dict[int, float] = {}
    for text in texts:
        part = render_part(PartJob(html=f'<html lang="en-GB"><body><p>{text}</p></body></html>'))
        with pikepdf.open(io.BytesIO(part.pdf)) as pdf:
            for resources in fonts._resources(pdf):
                for font in (resources.get("/Font") or {}).values():
                    cid = font.DescendantFonts[0]
                    files.append(cid.FontDescriptor.FontFile2.read_bytes())
                    widths.update({g: float(w) for g, w in fonts._widths(cid.get("/W")).items()})
    assert len(files) == 2  # one face, one subset a part
    base = max((fonts._Font(data) for data in files), key=lambda font: font.glyph_count)
    assert any(not base.glyph(gid) and base.metrics[gid][0] == 0 for gid in widths)
    program = TTFont(io.BytesIO(fonts._join_font_files(files)))
    scale = 1000 / program["head"].unitsPerEm
    order = program.getGlyphOrder()
    for gid, width in widths.items():
        assert abs(program["hmtx"][order[gid]][0] * scale - width) < 1, (gid, width)


def test_a_tagged_part_is_checked_once_where_it_is_rendered() -> None:
    """A tagged part's pages pass the content check in the render worker and say so, so that
    a join does not scan them again; an untagged part, or one with an upload drawn under it,
    is not checked (its join scans it, and finds what costs the PDF/UA claim)."""
    from reports.documents import tagging

    html = '<html lang="en-GB"><body><h1>Title</h1><p>Text</p></body></html>'
    tagged = render_part(PartJob(html=html))
    untagged = render_part(PartJob(html=html, tagged=False))
    assert tagged.checked and not untagged.checked
    with pikepdf.open(io.BytesIO(tagged.pdf)) as pdf:
        assert tagging.content_problems(pdf) == []
    with pikepdf.open(io.BytesIO(untagged.pdf)) as pdf:
        assert tagging.content_problems(pdf)
    metadata = Metadata(title="Checked", author="Tests", subject="Parts checked once")
    # The join scans the untagged piece's page (unchecked) and finds its content.
    joined = assemble((Piece(tagged.pdf, checked=True), Piece(untagged.pdf)), metadata=metadata)
    with pikepdf.open(io.BytesIO(joined)) as pdf:
        found = tagging.problems(pdf)
        assert any("page 2" in problem for problem in found)
        assert not any("page 1" in problem for problem in found)
        assert tagging.content_problems(pdf, skip={1}) == []
