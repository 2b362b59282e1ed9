"""reports/markdown.py converts with one reused converter per thread and remembers the HTML of
short texts: the HTML is what a fresh converter makes, and nothing of one text reaches the
next."""

from __future__ import annotations

import markdown
from django.test import SimpleTestCase

from reports import markdown as md
from reports.markdown import CACHED_CHARS, render_markdown, sanitise_html

TEXTS = [
    "3.1 A numbered paragraph\n\n3.2 and another",
    "Some **strong** and *em*\n\n- one\n- two\n\n1. first\n2. second",
    "| A | B |\n|---|---|\n| 1 | 2 |",
    "> quoted\n\n```\ncode\n```\n\n### Heading",
    "A [reference link][1] and [an inline one](https://example.org).\n\n[1]: https://a.example",
    '<script>alert(1)</script> [bad](javascript:alert(2)) <b onclick="x">bold</b>',
    "plain",
]


def fresh(text: str, number: str = "") -> str:
    """The HTML of a converter built for this text alone, as every call used to build one."""
    extension = md._NumberedParagraphsExtension()
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", md._RawHtmlAsText(), extension],
        output_format="html",
    )
    converter.treeprocessors["numbered_paragraphs"].number = number
    return sanitise_html(converter.convert(text))


class ReusedConverterTests(SimpleTestCase):
    def test_each_text_renders_as_a_fresh_converter_renders_it(self) -> None:
        for number in ("", "4.2"):
            for text in TEXTS * 2:  # the second round from the remembered HTML
                assert render_markdown(text, number=number) == fresh(text, number), text

    def test_a_paragraph_number_given_for_one_text_is_not_given_to_the_next(self) -> None:
        numbered = render_markdown("First text", number="7.1")
        plain = render_markdown("Second text")
        assert '<span class="para-number">7.1</span>' in numbered
        assert "para-number" not in plain

    def test_a_reference_defined_in_one_text_does_not_link_in_the_next(self) -> None:
        render_markdown("Defined [here][note].\n\n[note]: https://defined.example")
        later = render_markdown("Used [here][note] without a definition.")
        assert "defined.example" not in later
        assert "[here][note]" in later

    def test_short_texts_are_remembered_and_long_ones_rendered_each_time(self) -> None:
        short = "Remembered **text**."
        assert render_markdown(short) is render_markdown(short)
        long = "Long **text**. " * (CACHED_CHARS // 10)
        assert len(long) > CACHED_CHARS
        first, second = render_markdown(long), render_markdown(long)
        assert first == second == fresh(long)
        assert first is not second

    def test_a_text_that_breaks_the_converter_leaves_it_usable(self) -> None:
        before = render_markdown("Before the failure.", number="1.1")
        converter = md._converter()
        original = converter.convert

        def failing(text: str) -> str:
            raise RuntimeError("boom")

        converter.convert = failing
        try:
            with self.assertRaises(RuntimeError):
                md._render("Any text at all", "2.1")
        finally:
            converter.convert = original
        assert md._render("Before the failure.", "1.1") == before
        assert render_markdown("After the failure.") == fresh("After the failure.")
