"""The history page shows a long text's change whole, before and after, and where it changed:
two paragraphs cut at 80 characters used to look the same."""

from __future__ import annotations

from django.test import SimpleTestCase, TestCase

from meetings.models import Meeting, MinuteParagraph
from tests.world import DemoWorld
from vru_governance.workspace.history import Change, text_diff

HISTORY = "/manage/prg/meetings/2019-06-12/history/"
BEFORE = (
    "The Mayor welcomed Partners and attendees to the meeting and noted apologies as above. "
    "He thanked the Scottish VRU for their continued support and said he would write."
)
AFTER = BEFORE.replace("said he would write", "said he would send a letter of thanks")


class TextDiffTests(SimpleTestCase):
    def test_only_the_changed_words_are_marked_and_both_texts_are_kept_whole(self) -> None:
        segments = text_diff(BEFORE, AFTER)
        assert [t for k, t in segments if k == "removed"] == ["write."]
        assert [t for k, t in segments if k == "added"] == ["send a letter of thanks."]
        assert "".join(t for k, t in segments if k != "added") == BEFORE
        assert "".join(t for k, t in segments if k != "removed") == AFTER

    def test_short_values_are_not_diffed_and_line_breaks_make_a_text_long(self) -> None:
        assert not Change("place", "City Hall", "Union Street").is_long
        assert Change("text", "One line", "One line\nand another").is_long
        assert Change("text", "", "x" * 81).is_long


class HistoryPageTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        june = Meeting.objects.get(body=cls.body, key="2019-06-12")
        paragraph = MinuteParagraph.objects.create(item=june.items.get(number="1"), text=BEFORE)
        paragraph.text = AFTER
        paragraph.save()

    def test_a_changed_paragraph_shows_whole_before_and_after_and_the_changed_words(
        self,
    ) -> None:
        page = self.client_for(self.secretary).get(HISTORY).content.decode()
        assert '<del class="text-danger">write.</del>' in page
        assert '<ins class="text-success">send a letter of thanks.</ins>' in page
        before = page.split('class="diff-before">')[1].split("</div>")[0]
        after = page.split('class="diff-after">')[1].split("</div>")[0]
        assert before == BEFORE and after == AFTER
        assert "…" not in page.split('id="history-title"')[1]  # nothing cut short
