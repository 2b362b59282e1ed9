"""The demo is the seed: the minutes of 6 March 2019 as the product prints them from the demo
records, compared line by line with the summary minutes in the board's real 1 May 2019 pack
(/work/shared/seeds/2019-05-01-agenda-pack.txt, copied in tests/documents/seed_minutes.txt).

Compared: every numbered paragraph, every "Action:" line and the paragraph it follows, the
attendance wording of the substitutes, the "Further information" paragraph, and no outcome
line where the seed has none. The deliberate differences are in docs/demo-data.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.test import TestCase
from django.utils.html import strip_tags

from meetings.models import Meeting
from reports.documents.minutes import Minutes, build_minutes, minutes_html
from tests.demo import load_demo

SEED = Path(__file__).with_name("seed_minutes.txt")
PARAGRAPH = re.compile(r"^(?:- )?(\d+\.\d+) (.+)$")
ACTION = re.compile(r"^Action: (.+)$")
SUBSTITUTE = re.compile(r"^(.+?), .*\(\*(attending [^*]+)\*\)$")
FURTHER = re.compile(r"^Further information .*$")


@dataclass
class SeedMinutes:
    """What the seed's minutes print: paragraphs by number, Action lines after a paragraph."""

    paragraphs: dict[str, str] = field(default_factory=dict)
    actions: list[tuple[str, str]] = field(default_factory=list)
    substitutes: dict[str, str] = field(default_factory=dict)
    further: str = ""


def read_seed() -> SeedMinutes:
    seed = SeedMinutes()
    last = ""
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("¹"):
            continue  # the footnote is printed inside 5.1 (docs/demo-data.md)
        if match := PARAGRAPH.match(line):
            last = match[1]
            seed.paragraphs[last] = match[2]
        elif match := ACTION.match(line):
            seed.actions.append((last, match[1]))
        elif match := SUBSTITUTE.match(line):
            seed.substitutes[match[1]] = match[2]
        elif FURTHER.match(line):
            seed.further = line.replace("<", "").replace(">", "")
        elif last and line[0].islower():  # 8.1 runs on over the page break
            seed.paragraphs[last] += " " + line
    return seed


def flat(html: str) -> str:
    return " ".join(strip_tags(html).split())


class DemoMinutesAreTheSeedTests(TestCase):
    """The minutes of 6 March 2019 from the demo records, beside the seed's."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.march = Meeting.objects.select_related("body").get(key="2019-03-06")
        cls.seed = read_seed()

    def setUp(self) -> None:
        self.minutes: Minutes = build_minutes(self.march)
        self.html = flat(minutes_html(self.minutes))

    def test_the_seed_file_holds_the_minutes_read_here(self) -> None:
        assert len(self.seed.paragraphs) == 29
        assert len(self.seed.actions) == 6

    def test_every_paragraph_prints_the_seed_text_under_the_seed_number(self) -> None:
        printed = {
            para.number: flat(para.html) for item in self.minutes.items for para in item.paragraphs
        }
        assert list(printed) == list(self.seed.paragraphs)
        for number, text in self.seed.paragraphs.items():
            assert text in printed[number], f"paragraph {number} differs from the seed"

    def test_every_action_line_follows_the_paragraph_it_follows_in_the_seed(self) -> None:
        printed = [
            (para.number, owner)
            for item in self.minutes.items
            for para in item.paragraphs
            for owner in para.actions
        ]
        assert printed == self.seed.actions
        assert not any(item.actions for item in self.minutes.items)
        # In the page too: after 1.4, before 1.5 (the action is not at the item's end).
        assert "letter of thanks after the meeting. Action: Clerk 1.5 The Mayor read" in self.html

    def test_no_outcome_line_is_printed_where_the_seed_has_none(self) -> None:
        assert "Outcome:" not in self.html
        assert not any(item.outcome for item in self.minutes.items)

    def test_substitutes_are_worded_as_in_the_seed(self) -> None:
        notes = {line.text.split(",")[0]: line.note for line in self.minutes.present if line.note}
        assert notes == self.seed.substitutes
        assert notes["Caroline Reid"] == "attending as substitute for Joanne Murfitt"
        assert notes["Vicky Hobart"] == "attending on behalf of Professor Yvonne Doyle"

    def test_the_further_information_paragraph_is_printed_as_in_the_seed(self) -> None:
        assert self.seed.further.startswith("Further information about the Violence Reduction")
        assert self.seed.further in self.html
        assert self.html.index("Further information") < self.html.index("1.1 The Mayor welcomed")


class OneActionsArisingReportTests(TestCase):
    """The 1 May 2019 meeting's Actions Arising item carries the seed's report: the meeting
    page offers that one, not a second report generated from the action log."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()

    def test_the_meeting_page_offers_one_actions_arising_report(self) -> None:
        page = self.client.get("/prg/meetings/2019-05-01/").content.decode()
        assert "/prg/meetings/2019-05-01/papers/2019-05-01-actions-arising.pdf" in page
        assert "actions-arising.pdf" not in page.replace("2019-05-01-actions-arising.pdf", "")

    def test_a_meeting_without_an_attached_report_offers_the_generated_one(self) -> None:
        page = self.client.get("/prg/meetings/2019-03-06/").content.decode()
        assert "/prg/meetings/2019-03-06/actions-arising.pdf" in page
