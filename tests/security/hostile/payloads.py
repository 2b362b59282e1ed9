"""Script, HTML, Markdown-link and template-syntax payloads, the fields they are typed into,
and the checks that a page, a feed or a PDF shows them only escaped or sanitised."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pypdf
from django.utils.html import escape

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ secret }}{% debug %}",
    '"><svg onload=alert(1)>',
)
HOSTILE = " ".join(PAYLOADS)
# Template syntax that must come out as typed, never evaluated.
TEMPLATE = "{{ secret }}{% debug %}"


def hostile(mark: str) -> str:
    """A field's value: a marker that says which field it is, then every payload."""
    return f"{mark} {HOSTILE}"


# Fields typed as plain text: they must come out with the whole payload escaped.
PLAIN_IMPORTED = {
    "person_name": "HXPERSONNAME",
    "person_role": "HXPERSONROLE",
    "place": "HXPLACE",
    "item_title": "HXITEMTITLE",
    "presenter": "HXPRESENTER",
    "action": "HXACTIONTEXT",
    "action_note": "HXACTIONNOTE",
    "update": "HXUPDATENOTE",
    "declaration": "HXDECLARATION",
    "paper_title": "HXPAPERTITLE",
    "paper_author": "HXPAPERAUTHOR",
    "terms_title": "HXTERMSTITLE",
    "seat_label": "HXSEATLABEL",
}
# Fields typed as Markdown: they come out sanitised (no script, no javascript: link).
MARKDOWN_IMPORTED = {
    "minute": "HXMINUTE",
    "dissent": "HXDISSENT",
    "paper_summary": "HXPAPERSUMMARY",
    "paper_equality": "HXPAPEREQUALITY",
    "terms_text": "HXTERMSTEXT",
}
PLAIN_FORMS = {
    "person_name": "HXFORMPERSON",
    "person_role": "HXFORMROLE",
    "interest": "HXFORMINTEREST",
    "exception": "HXFORMEXCEPTION",
    "place": "HXFORMPLACE",
    "item_title": "HXFORMITEM",
    "presenter": "HXFORMPRESENTER",
    "paper_title": "HXFORMPAPER",
    "reason": "HXFORMREASON",
    "action": "HXFORMACTION",
    "update": "HXFORMUPDATE",
    "declaration": "HXFORMDECL",
    "partner_update": "HXPARTNERUPDATE",
    "partner_interest": "HXPARTNERINTEREST",
    "proposal": "HXPARTNERPROPOSAL",
    "attendee": "HXFORMATTENDEE",
    "correction": "HXFORMCORRECTION",
}
MARKDOWN_FORMS = {
    "minute": "HXFORMMINUTE",
    "dissent": "HXFORMDISSENT",
    "paper_summary": "HXFORMSUMMARY",
    "paper_equality": "HXFORMEQUALITY",
    "corrected": "HXFORMCORRECTED",
}
# A line break in the place must not become a new property of the calendar.
ICAL_INJECTION = "\r\nX-INJECTED:yes\r\nATTACH:http://evil.example/"


# Checking output ---------------------------------------------------------------------------


# The product's own SVG: the roster's chart of the composition ahead
# (templates/workspace/members/_composition_ahead.html). It is told from injected markup by
# its id, by carrying only these attributes and by holding only these drawing elements; any
# other <svg>, or anything else inside this one, is reported.
OWN_SVG_ID = "composition-chart"
_OWN_SVG_ATTRS = {"xmlns", "viewbox", "width", "role", "aria-labelledby", "id"}
_OWN_SVG_PARTS = {"title", "desc", "rect", "line", "text", "path"}


def _is_own_svg(attrs: list[tuple[str, str | None]]) -> bool:
    names = [name for name, _ in attrs]
    return dict(attrs).get("id") == OWN_SVG_ID and set(names) <= _OWN_SVG_ATTRS


def own_svg(html: str) -> str:
    """The text of the product's own chart on a page ("" when there is none)."""
    match = re.search(rf'<svg\b[^>]*\bid="{OWN_SVG_ID}".*?</svg>', html, re.S)
    return match.group(0) if match else ""


class _Scan(HTMLParser):
    """Every element and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_own_svg = False
        self.own_svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.in_own_svg:
            self.in_own_svg = False

    def _check(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self.in_own_svg and tag not in _OWN_SVG_PARTS:
            self.problems.append(f"a <{tag}> inside the composition chart")
        if tag == "svg" and not closed and not self.in_own_svg and _is_own_svg(attrs):
            self.own_svgs += 1
            self.in_own_svg = True
            if self.own_svgs > 1:
                self.problems.append("a second <svg> with the composition chart's id")
        elif tag in ("script", "svg", "iframe", "object", "embed", "math", "base"):
            self.problems.append(f"a live <{tag}> element")
        if tag == "img" and not any(
            k == "src" and (v or "").startswith(("/static/", "data:")) for k, v in attrs
        ):
            self.problems.append(f"an <img> loading {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an event handler attribute {name}={value!r} on <{tag}>")
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value or "").lower()
            if name in ("href", "src", "action", "formaction", "xlink:href", "data") and (
                squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))
            ):
                self.problems.append(f"a script URL {name}={value!r} on <{tag}>")


def assert_inert(html: str, where: str) -> None:
    """No element, attribute or URL of the page can run script."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    if scan.in_own_svg:
        scan.problems.append("the composition chart's <svg> is never closed")
    assert not scan.problems, f"{where}: {scan.problems}"
    # Template syntax typed into a field is never evaluated (a debug dump would show this).
    assert "sql_queries" not in html and "{'csrf_token'" not in html, where


def assert_shown_escaped(text: str, where: str, *marks: dict[str, str]) -> None:
    """Each plain-text field's whole value is on the page, escaped."""
    wanted = [mark for group in marks for mark in group.values()]
    missing = [mark for mark in wanted if escape(hostile(mark)) not in text]
    assert not missing, f"{where}: not shown escaped: {missing}"


def assert_shown(text: str, where: str, *marks: dict[str, str]) -> None:
    """Each Markdown field is on the page (its marker; the payloads are sanitised away)."""
    missing = [mark for group in marks for mark in group.values() if mark not in text]
    assert not missing, f"{where}: missing: {missing}"


def pdf_problems(data: bytes) -> list[str]:
    """Anything in a rendered PDF that could run or fetch: script, launch, a javascript: link."""
    from reports.pdf_safety import active_content

    found = list(active_content(data))
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            uri = str(action.get_object().get("/URI", "")) if action else ""
            if uri and not uri.startswith(("http://", "https://", "mailto:")):
                found.append(f"a link to {uri!r}")
    return found
