"""The accessibility check of an uploaded paper's PDF, run once when the file is stored.

A paper the board publishes must be usable with a screen reader (Public Sector Bodies
Accessibility Regulations 2018). The checks are the machine-checkable basics: the PDF is
tagged, has a title that viewers show, states its language and embeds its fonts. The result is
kept on the paper as a list of failure codes; `describe_failures` says each in plain words.
A failing file is still stored: the secretary is told, not refused.
"""

from __future__ import annotations

import io
import logging

logger = logging.getLogger(__name__)

UNREADABLE = "unreadable"
UNTAGGED = "untagged"
NO_TITLE = "no_title"
TITLE_NOT_SHOWN = "title_not_shown"
NO_LANGUAGE = "no_language"
FONTS_NOT_EMBEDDED = "fonts_not_embedded"

# In the order a secretary would fix them, said so that someone who never opened a PDF's
# internals knows what to ask the author for.
FAILURES: dict[str, str] = {
    UNREADABLE: "The file could not be read as a PDF, so it could not be checked.",
    UNTAGGED: (
        "It is not tagged: screen readers cannot tell its headings, lists and tables apart. "
        "Export it again with “tagged PDF” (or “document structure tags for accessibility”) on."
    ),
    NO_TITLE: (
        "It has no title in its document properties: set the title (File › Properties) "
        "before exporting."
    ),
    TITLE_NOT_SHOWN: (
        "Viewers show its file name instead of its title: turn on “display document title” "
        "when exporting."
    ),
    NO_LANGUAGE: (
        "It does not say which language it is in, so screen readers may read it with the "
        "wrong voice: set the document language to English before exporting."
    ),
    FONTS_NOT_EMBEDDED: (
        "Some of its fonts are not embedded, so its text may show or read wrongly on other "
        "computers: export it with “embed fonts” on."
    ),
}

# The same failures as the public accessibility statement lists them.
SHORT: dict[str, str] = {
    UNREADABLE: "could not be checked",
    UNTAGGED: "not tagged for screen readers",
    NO_TITLE: "no document title",
    TITLE_NOT_SHOWN: "viewers show the file name, not the title",
    NO_LANGUAGE: "no language stated",
    FONTS_NOT_EMBEDDED: "fonts not embedded",
}

MAX_PAGES = 300  # fonts are looked for on this many pages at most


def describe_failures(codes: list[str], *, short: bool = False) -> list[str]:
    """Each failure code in plain words, in the order to fix them (`short`: as a list item
    on the accessibility statement)."""
    words = SHORT if short else FAILURES
    return [words[code] for code in FAILURES if code in codes]


def _has_title(pdf: object) -> bool:
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    title = str(pdf.docinfo.get("/Title", "")).strip() if pdf.trailer.get("/Info") else ""
    if title:
        return True
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            return bool(str(meta.get("dc:title", "")).strip())
    except Exception:  # unreadable XMP counts as no title there
        return False


def _fonts_embedded(pdf: object) -> bool:
    """Whether every font on the pages (and in their forms) carries its font file."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    seen: set[tuple[int, int]] = set()

    def font_ok(font: pikepdf.Dictionary) -> bool:
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            return True  # drawn with PDF operators: nothing to embed
        if subtype == "/Type0":
            return all(font_ok(d) for d in font.get("/DescendantFonts", []))
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:
            return False  # a standard-14 font, taken from the reader's computer
        return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    def resources_ok(resources: pikepdf.Dictionary | None, depth: int = 0) -> bool:
        if resources is None or depth > 8:
            return True
        if resources.is_indirect:
            if resources.objgen in seen:
                return True
            seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            if not font_ok(font):
                return False
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form" and not resources_ok(
                xobject.get("/Resources"), depth + 1
            ):
                return False
        return True

    for number, page in enumerate(pdf.pages):
        if number >= MAX_PAGES:
            break
        if not resources_ok(page.obj.get("/Resources")):
            return False
    return True


def check_pdf_accessibility(data: bytes) -> list[str]:
    """The failure codes of a PDF (empty when it passes every check)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            root = pdf.Root
            failures: list[str] = []
            mark_info = root.get("/MarkInfo")
            marked = mark_info is not None and bool(mark_info.get("/Marked", False))
            if not (marked and "/StructTreeRoot" in root):
                failures.append(UNTAGGED)
            if not _has_title(pdf):
                failures.append(NO_TITLE)
            prefs = root.get("/ViewerPreferences")
            if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
                failures.append(TITLE_NOT_SHOWN)
            if not str(root.get("/Lang", "")).strip():
                failures.append(NO_LANGUAGE)
            if not _fonts_embedded(pdf):
                failures.append(FONTS_NOT_EMBEDDED)
            return failures
    except Exception as exc:  # pikepdf raises many kinds of error on a damaged file
        logger.warning("PDF accessibility not checked: %s", exc)
        return [UNREADABLE]
