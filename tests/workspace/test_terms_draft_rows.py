"""Drafting terms of reference saves as the form comes: blank spare seat rows (whose sector
select always posts "Chair") are ignored, and a seat's key is made from its label."""

from __future__ import annotations

from django.test import TestCase

from members.models import TermsOfReference
from tests.workspace.test_workspace_members import TERMS_POST
from tests.world import DemoWorld

SPARE_ROWS = {
    "seats-TOTAL_FORMS": "5",
    "seats-INITIAL_FORMS": "3",
    # Two spare rows as the browser posts them: nothing typed, the sector at its first choice.
    "seats-3-key": "",
    "seats-3-label": "",
    "seats-3-sector": "chair",
    "seats-3-count": "",
    "seats-4-key": "",
    "seats-4-label": "",
    "seats-4-sector": "chair",
    "seats-4-count": "",
    "groups-TOTAL_FORMS": "2",
    "groups-INITIAL_FORMS": "1",
    "groups-1-label": "",
    "groups-1-any_of": "",
}


class DraftTermsRowsTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def save(self, **changes: str) -> TermsOfReference:
        data = {**TERMS_POST, **SPARE_ROWS, **changes, "save": "1"}
        response = self.client.post("/manage/prg/terms/new/", data)
        assert response.status_code == 302, response.content.decode()
        return TermsOfReference.objects.get(version="2019-permanent")

    def test_a_draft_with_blank_spare_seat_rows_saves_with_the_typed_seats_only(self) -> None:
        draft = self.save()
        assert sorted(s.key for s in draft.seat_list()) == ["chair", "community", "health"]

    def test_a_seat_row_emptied_by_the_secretary_is_left_out(self) -> None:
        draft = self.save(**{"seats-1-key": "", "seats-1-label": "", "seats-1-count": ""})
        assert sorted(s.key for s in draft.seat_list()) == ["chair", "community"]

    def test_a_seat_without_a_key_takes_one_made_from_its_label(self) -> None:
        draft = self.save(
            **{
                "seats-3-label": "Youth Justice Board",
                "seats-3-sector": "probation",
                "seats-3-count": "2",
            }
        )
        seat = next(s for s in draft.seat_list() if s.label == "Youth Justice Board")
        assert seat.key == "youth-justice-board"

    def test_a_spare_row_with_only_a_count_still_asks_for_a_label(self) -> None:
        data = {**TERMS_POST, **SPARE_ROWS, "seats-3-count": "2", "save": "1"}
        page = self.client.post("/manage/prg/terms/new/", data).content.decode()
        assert "This field is required." in page
        assert not TermsOfReference.objects.filter(version="2019-permanent").exists()
