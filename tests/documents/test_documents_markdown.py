"""Markdown sanitising (reports/markdown.py) and the small pure helpers of the documents."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase

from reports.documents.minutes import quorum_note
from reports.documents.papers import build_sections
from reports.markdown import render_markdown
from reports.models import Paper
from vru_governance.rules.formats import (
    clock,
    clock_range,
    long_date,
    member_order,
    short_date,
    surname,
)


class MarkdownTests(SimpleTestCase):
    def test_markdown_keeps_the_allowed_formatting(self) -> None:
        html = render_markdown("Some **strong** and *em* text\n\n- one\n- two\n\n> quoted")
        self.assertIn("<strong>strong</strong>", html)
        self.assertIn("<em>em</em>", html)
        self.assertIn("<ul>\n<li>one</li>", html)
        self.assertIn("<blockquote>", html)

    def test_markdown_tables_and_small_headings_survive(self) -> None:
        html = render_markdown("### 3 Heading\n\n| A | B |\n|---|---|\n| 1 | 2 |")
        self.assertIn("<h3>3 Heading</h3>", html)
        self.assertIn("<th>A</th>", html)
        self.assertIn("<td>2</td>", html)

    def test_scripts_handlers_and_images_are_shown_as_text_never_as_tags(self) -> None:
        html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">**ok**')
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x", html)
        self.assertIn("<strong>ok</strong>", html)

    def test_links_keep_only_http_https_and_mailto_and_are_nofollow(self) -> None:
        html = render_markdown(
            "[a](https://example.org) [b](mailto:clerk@example.org) [c](javascript:alert(1)) "
            "[d](/relative) [e](data:text/html,hi)"
        )
        self.assertIn(
            '<a href="https://example.org" rel="nofollow noopener noreferrer">a</a>', html
        )
        self.assertIn('href="mailto:clerk@example.org"', html)
        self.assertEqual(html.count("href="), 2)

    def test_large_headings_and_unknown_classes_are_stripped(self) -> None:
        html = render_markdown('# Big\n\n<p class="evil numbered">x</p>')
        self.assertNotIn("<h1", html)
        self.assertNotIn('<p class="evil', html)
        self.assertNotIn('<p class="numbered', html)

    def test_a_leading_paragraph_number_is_set_apart(self) -> None:
        html = render_markdown("3.1 Since 2014 there has been")
        self.assertEqual(
            html,
            '<p class="numbered"><span class="para-number">3.1</span> Since 2014 there has been'
            "</p>",
        )

    def test_a_given_number_goes_in_front_of_the_first_paragraph_only(self) -> None:
        html = render_markdown("First <b>para</b>.\n\nSecond para.", number="8.2")
        self.assertTrue(
            html.startswith('<p class="numbered"><span class="para-number">8.2</span> ')
        )
        self.assertEqual(html.count("para-number"), 1)
        self.assertNotIn("<b>", html)
        listed = render_markdown("- a list first", number="4.1")
        self.assertTrue(listed.startswith('<p class="numbered"><span class="para-number">4.1'))

    def test_empty_text_renders_nothing(self) -> None:
        self.assertEqual(render_markdown("   "), "")


class FormatTests(SimpleTestCase):
    def test_dates_and_times_print_as_in_the_seed(self) -> None:
        self.assertEqual(long_date(dt.date(2019, 5, 1)), "Wednesday 1 May 2019")
        self.assertEqual(short_date(dt.date(2019, 3, 6)), "6 March 2019")
        # GOV.UK style: no ".00", no space, midday and midnight in words.
        self.assertEqual(clock(dt.time(14, 0)), "2pm")
        self.assertEqual(clock(dt.time(15, 55)), "3:55pm")
        self.assertEqual(clock(dt.time(9, 5)), "9:05am")
        self.assertEqual(clock(dt.time(10, 0)), "10am")
        self.assertEqual(clock(dt.time(12, 0)), "midday")
        self.assertEqual(clock(dt.time(0, 0)), "midnight")
        self.assertEqual(clock(dt.time(12, 30)), "12:30pm")
        self.assertEqual(clock(dt.time(0, 30)), "12:30am")
        self.assertEqual(clock_range(dt.time(14, 0), dt.time(15, 55)), "2pm to 3:55pm")
        self.assertEqual(clock_range(dt.time(10, 0), None), "10am")
        self.assertEqual(clock(None), "")

    def test_partners_sort_by_family_name_without_honours(self) -> None:
        self.assertEqual(surname("Sir Sam Everington OBE"), "everington")
        self.assertEqual(surname("Joanne McCartney AM"), "mccartney")
        self.assertEqual(surname("Professor Yvonne Doyle"), "doyle")

    def test_the_chair_and_deputies_lead_a_list_of_members_then_family_names(self) -> None:
        members = [
            ("Sir Sam Everington OBE", "health"),
            ("Lib Peck", "deputy_mayor"),
            ("Professor Ann Able", None),  # a substitute or an officer: no seat of their own
            ("Sophie Linden", "deputy_chair"),
            ("Joanne McCartney AM", "community"),
            ("Zoe Zephaniah", "chair"),
        ]
        ordered = [name for name, _ in sorted(members, key=lambda m: member_order(*m))]
        self.assertEqual(
            ordered,
            [
                "Zoe Zephaniah",
                "Sophie Linden",
                "Lib Peck",
                "Professor Ann Able",
                "Sir Sam Everington OBE",
                "Joanne McCartney AM",
            ],
        )

    def test_the_quorum_note_names_the_figures_and_the_missing_groups(self) -> None:
        self.assertEqual(
            quorum_note(11, 12, ("Health representative",)),
            "The meeting was not quorate for this item: 11 present, 12 needed, and no one "
            "present for Health representative.",
        )
        self.assertEqual(
            quorum_note(9, 12, ()),
            "The meeting was not quorate for this item: 9 present, 12 needed.",
        )
        # The issue's case: enough people, but a required group absent.
        self.assertEqual(
            quorum_note(16, 11, ("Health representative", "Community representative")),
            "The meeting was not quorate for this item: 16 present, 11 needed, but no one "
            "present for Health representative and for Community representative.",
        )


class PaperSectionTests(SimpleTestCase):
    def test_sections_take_the_number_their_paragraphs_carry(self) -> None:
        paper = Paper(
            executive_summary="1.1 Summary.",
            recommendations="2.1 Note it.",
            issues="### 3 Actions Arising from the Meeting of 6 March 2019\n\nTable.",
            equality_comments="Not stated in the paper.",
            financial_comments="5.1 None.",
        )
        sections = build_sections(paper)
        self.assertEqual(
            [(s.number, s.heading, s.own_heading) for s in sections],
            [
                ("1", "Executive Summary", False),
                ("2", "Recommendations", False),
                ("3", "Issues for Consideration", True),
                ("", "Equality Comments", False),
                ("5", "Financial Comments", False),
            ],
        )

    def test_a_paper_typed_without_numbers_gets_its_sections_numbered(self) -> None:
        paper = Paper(executive_summary="Summary.", equality_comments="Considered.")
        self.assertEqual([s.number for s in build_sections(paper)], ["1", "2"])
