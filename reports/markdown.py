"""User-typed Markdown (minutes, papers, notes) rendered to safe HTML: python-markdown, then nh3."""

from __future__ import annotations

import functools
import re
import threading
import xml.etree.ElementTree as etree

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
    "h5",
    "h6",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
# The only classes that survive are the ones our own tree processor sets.
ALLOWED_CLASSES = {"p": {"numbered"}, "span": {"para-number", "footnote", "nowrap"}}
URL_SCHEMES = {"http", "https", "mailto"}

# "3.1 Text" — a paragraph that carries its own number, as the seed papers do.
NUMBERED = re.compile(r"^(\d+(?:\.\d+)+)\s+")


class _NumberedParagraphs(Treeprocessor):
    """Set a paragraph's leading "3.1" apart so print CSS can hang it in the margin."""

    number = ""

    def run(self, root: etree.Element) -> None:
        if self.number:
            self._give_number(root, self.number)
        for p in root.iter("p"):
            if p.get("class") == "numbered":
                continue
            text = p.text or ""
            match = NUMBERED.match(text)
            if not match:
                continue
            number = etree.Element("span")
            number.set("class", "para-number")
            number.text = match.group(1)
            number.tail = " " + text[match.end() :]
            p.text = ""
            p.insert(0, number)
            p.set("class", "numbered")

    @staticmethod
    def _give_number(root: etree.Element, given: str) -> None:
        """Put a number given by the records (minutes: 4.2) in front of the first paragraph."""
        first = root[0] if len(root) else None
        if first is None or first.tag != "p":
            first = etree.Element("p")
            root.insert(0, first)
        number = etree.Element("span")
        number.set("class", "para-number")
        number.text = given
        number.tail = " " + (first.text or "")
        first.text = ""
        first.insert(0, number)
        first.set("class", "numbered")


class _PrintFriendly(Treeprocessor):
    """Footnotes moved to where they are called, as `span.footnote` (print CSS floats them to
    the foot of that page; the web shows them in brackets), and header rows a table was only
    given because Markdown needs one dropped (an empty grey bar in print, noise to a screen
    reader)."""

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for thead in list(root.iter("thead")):
            if not "".join(thead.itertext()).strip():
                parents[thead].remove(thead)
        notes: dict[str, etree.Element] = {}
        for div in [d for d in root.iter("div") if d.get("class") == "footnote"]:
            for li in div.iter("li"):
                notes[li.get("id", "")] = li
            parents[div].remove(div)
        if not notes:
            return
        for sup in list(root.iter("sup")):
            link = sup.find("a")
            note = notes.get((link.get("href", "") if link is not None else "").lstrip("#"))
            if note is None:
                continue
            span = etree.Element("span")
            span.set("class", "footnote")
            for number, p in enumerate(note.findall("p")):
                for backref in [a for a in p if a.get("class") == "footnote-backref"]:
                    p.remove(backref)
                # The space the extension left before its back-link goes with it.
                last = p[-1] if len(p) else None
                if last is not None and last.tail:
                    last.tail = last.tail.replace(NBSP_PLACEHOLDER, "").rstrip()
                elif last is None and p.text:
                    p.text = p.text.replace(NBSP_PLACEHOLDER, "").rstrip()
                if number:  # a second paragraph of the note: on a line of its own
                    etree.SubElement(span, "br").tail = p.text
                else:
                    span.text = p.text
                span.extend(list(p))
            span.tail = sup.tail
            parent = parents[sup]
            parent.insert(list(parent).index(sup), span)
            parent.remove(sup)


class _ItemReference(InlineProcessor):
    """ "(Item 6)" kept whole in a span that never breaks at the end of a line (print CSS and
    the site's CSS say nowrap; the text and its space stay as typed for search and copying)."""

    def handleMatch(  # noqa: N802 — Markdown's API
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        span = etree.Element("span")
        span.set("class", "nowrap")
        span.text = AtomicString(m.group(0))  # not matched again inside itself
        return span, m.start(0), m.end(0)


class _NumberedParagraphsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 — Markdown's API
        # The number is set on the processor before each conversion (_render).
        md.treeprocessors.register(_NumberedParagraphs(md), "numbered_paragraphs", 5)
        # After the footnotes' own processors (50, 15) and the inline patterns (20).
        md.treeprocessors.register(_PrintFriendly(md), "print_friendly", 10)
        md.inlinePatterns.register(
            _ItemReference(r"\((?:Items?|items?) \d+[a-z]?(?:(?:,| and) \d+[a-z]?)*\)", md),
            "item_reference",
            65,
        )


class _RawHtmlAsText(Extension):
    """Show HTML typed into the text as text. Passed to nh3, a literal <style> or <script>
    swallowed the rest of the field, and <textarea>, <xmp>, <iframe> or <plaintext> turned
    the closing </p> into text; formatting is Markdown's, so no tag a user types is needed."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 — Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


_THREAD = threading.local()
# Paragraphs up to this long are remembered once rendered (a page of minutes shows the same
# paragraphs on every visit); longer texts, such as a paper's sections, are rendered each time.
# At most CACHED_TEXTS of them: a few megabytes a worker at worst.
CACHED_CHARS = 2000
CACHED_TEXTS = 2048


def _converter() -> markdown.Markdown:
    """This thread's converter, built once: building one costs more than most conversions."""
    converter = getattr(_THREAD, "converter", None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=[
                "tables",
                "sane_lists",
                "footnotes",
                _RawHtmlAsText(),
                _NumberedParagraphsExtension(),
            ],
            output_format="html",
        )
        _THREAD.converter = converter
    return converter


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; links only http, https and mailto."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(text: str, *, number: str = "") -> SafeString:
    """Markdown typed by a user, as sanitised HTML; number: a paragraph number to put first."""
    if not text or not text.strip():
        return SafeString("")
    if len(text) <= CACHED_CHARS:
        return _remembered(text, number)
    return _render(text, number)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _remembered(text: str, number: str) -> SafeString:
    # The HTML depends on nothing but the text, the number and this module's code.
    return _render(text, number)


def _render(text: str, number: str) -> SafeString:
    converter = _converter()
    converter.treeprocessors["numbered_paragraphs"].number = number
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
    # Sanitised by nh3 (an allow-list of tags, attributes and URL schemes).
    return mark_safe(sanitise_html(html))  # nosec B703, B308
