"""A meeting whose minutes are approved shows the pages of what they print read-only: values
as text, no submit buttons, a link to record a correction (instead of forms refused on submit)."""

from __future__ import annotations

from django.test import TestCase

from tests.world import DemoWorld

MARCH = "/manage/prg/meetings/2019-03-06/"
JUNE = "/manage/prg/meetings/2019-06-12/"


class LockedPagesTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_an_approved_items_minutes_are_text_with_correction_links(self) -> None:
        page = self.client.get(f"{MARCH}minutes/items/4/").content.decode()
        main = page.split("<main")[1]
        assert 'id="minutes-locked"' in main
        assert 'id="item-minutes"' not in main and 'method="post"' not in main
        assert 'type="submit"' not in main
        assert f'href="{MARCH}minutes/paragraphs/' in main and "Correct 4.1" in main
        assert "Record the declaration" not in main

    def test_a_draft_items_minutes_keep_their_forms(self) -> None:
        page = self.client.get(f"{JUNE}minutes/items/4/").content.decode()
        assert 'id="item-minutes"' in page and 'id="minutes-locked"' not in page
        assert "Record the declaration" in page

    def test_an_approved_meetings_attendance_is_text_with_a_correction_link(self) -> None:
        main = self.client.get(f"{MARCH}attendance/").content.decode().split("<main")[1]
        assert 'id="attendance-locked"' in main
        assert f'href="{MARCH}attendance/correct/"' in main
        assert "<input" not in main and "<select" not in main and 'type="submit"' not in main
