"""A new draft of the terms of reference starts from any version of the body's, or from
nothing; a body with no terms of reference at all drafts its first version in the workspace."""

from __future__ import annotations

import datetime as dt

from django.test import Client, TestCase

from members.models import TermsOfReference
from tests.world import account, add_terms, new_body_with_secretary
from vru_governance.accounts.users import ensure_groups

D = dt.date

FIRST_TERMS = {
    "version": "2018-first",
    "title": "First Terms of Reference",
    "effective_from": "2018-01-01",
    "text": "",
    "community_min_share": "0.30",
    "quorum_fraction": "1/2",
    "agenda_notice_days": "5",
    "interval": "",
    "seats-TOTAL_FORMS": "8",
    "seats-INITIAL_FORMS": "0",
    "seats-0-key": "",
    "seats-0-label": "Leader of the Council (Chair)",
    "seats-0-sector": "chair",
    "seats-0-count": "1",
    "seats-1-key": "",
    "seats-1-label": "Community representatives",
    "seats-1-sector": "community",
    "seats-1-count": "",
    # Six spare rows as the browser posts them: nothing typed, the sector at its first choice.
    **{f"seats-{i}-{name}": "" for i in range(2, 8) for name in ("key", "label", "count")},
    **{f"seats-{i}-sector": "chair" for i in range(2, 8)},
    "groups-TOTAL_FORMS": "2",
    "groups-INITIAL_FORMS": "0",
    "groups-0-label": "",
    "groups-0-any_of": "",
    "groups-1-label": "",
    "groups-1-any_of": "",
}


class NewBody(TestCase):
    """A body with a secretary and, until a test adds some, no terms of reference."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, cls.secretary = new_body_with_secretary()

    def setUp(self) -> None:
        self.client = Client()
        self.client.force_login(self.secretary)


class StartFromTests(NewBody):
    def add_two_versions(self) -> None:
        add_terms(self.body, "interim", D(2018, 1, 1), status="superseded")
        later = add_terms(
            self.body,
            "permanent",
            D(2019, 1, 1),
            status="draft",
            seats=[("chair", "The Mayor (Chair)", "chair", 1), ("youth", "Youth", "community", 4)],
        )
        later.status = "endorsed"  # endorsed with its text, which is then locked
        later.text = "The permanent text."
        later.agenda_notice_days = 7
        later.save()

    def test_a_body_with_no_terms_of_reference_opens_a_blank_draft_with_room_for_its_seats(
        self,
    ) -> None:
        page = self.client.get("/manage/new/terms/new/").content.decode()
        assert "Draft a new version of the terms of reference" in page
        assert 'name="seats-TOTAL_FORMS" value="8"' in page
        assert "Nothing: a blank draft" in page

    def test_a_body_drafts_and_endorses_its_first_version_with_keys_made_from_labels(
        self,
    ) -> None:
        response = self.client.post("/manage/new/terms/new/", {**FIRST_TERMS, "save": "1"})
        assert response.status_code == 302, response.content.decode()
        draft = TermsOfReference.objects.get(body=self.body, version="2018-first")
        assert [s.key for s in draft.seat_list()] == [
            "leader-of-the-council-chair",
            "community-representatives",
        ]
        self.client.post("/manage/new/terms/2018-first/endorse/")
        assert self.body.terms_in_force(D(2018, 6, 1)) == draft

    def test_the_draft_starts_from_the_version_in_force_by_default(self) -> None:
        self.add_two_versions()
        page = self.client.get("/manage/new/terms/new/").content.decode()
        assert '<option value="permanent" selected>' in page
        assert "The Mayor (Chair)" in page and "The permanent text." in page

    def test_the_draft_starts_from_an_older_version_when_chosen(self) -> None:
        self.add_two_versions()
        page = self.client.get("/manage/new/terms/new/?start_from=interim").content.decode()
        assert '<option value="interim" selected>' in page
        assert "Mayor of London (Chair)" in page  # the interim plan's label
        assert "The Mayor (Chair)" not in page and "The permanent text." not in page

    def test_the_draft_starts_blank_when_nothing_is_chosen(self) -> None:
        self.add_two_versions()
        page = self.client.get("/manage/new/terms/new/?start_from=").content.decode()
        assert "Mayor of London (Chair)" not in page and "The Mayor (Chair)" not in page
        assert 'name="seats-TOTAL_FORMS" value="8"' in page

    def test_an_unknown_version_to_start_from_is_a_clear_error(self) -> None:
        self.add_two_versions()
        page = self.client.get("/manage/new/terms/new/?start_from=nonesuch").content.decode()
        assert "There is no version &#x27;nonesuch&#x27; of this body" in page
        assert "The Mayor (Chair)" in page  # still the version in force to work from

    def test_a_draft_started_from_an_older_version_saves_as_typed(self) -> None:
        self.add_two_versions()
        data = {**FIRST_TERMS, "version": "2020", "effective_from": "2020-01-01", "save": "1"}
        response = self.client.post("/manage/new/terms/new/?start_from=interim", data)
        assert response.status_code == 302
        draft = TermsOfReference.objects.get(body=self.body, version="2020")
        assert draft.status == "draft" and len(draft.seat_list()) == 2

    def test_more_seat_rows_keeps_what_was_typed_and_saves_nothing(self) -> None:
        page = self.client.post(
            "/manage/new/terms/new/", {**FIRST_TERMS, "more_rows": "1"}
        ).content.decode()
        assert 'name="seats-TOTAL_FORMS" value="12"' in page
        assert 'value="Leader of the Council (Chair)"' in page
        assert not TermsOfReference.objects.filter(body=self.body).exists()

    def test_a_blank_draft_without_any_seat_is_refused_clearly(self) -> None:
        data = {**FIRST_TERMS, "seats-0-label": "", "seats-0-count": "", "seats-1-label": ""}
        page = self.client.post("/manage/new/terms/new/", {**data, "save": "1"}).content.decode()
        assert "A terms of reference lists at least one seat." in page
        assert not TermsOfReference.objects.filter(body=self.body).exists()

    def test_another_bodys_secretary_cannot_draft_for_this_body(self) -> None:
        other = account("someone-else")
        other.groups.add(ensure_groups()[0])
        client = Client()
        client.force_login(other)
        assert client.get("/manage/new/terms/new/").status_code in (403, 404)
        response = client.post("/manage/new/terms/new/", {**FIRST_TERMS, "save": "1"})
        assert response.status_code in (403, 404)
        assert not TermsOfReference.objects.filter(body=self.body).exists()


class WorkingOnTheDraftTests(NewBody):
    """Computing the seats or adding rows says nothing yet of fields still to be filled in."""

    def test_computing_before_the_version_is_typed_asks_for_nothing_yet(self) -> None:
        data = {**FIRST_TERMS, "version": "", "title": "", "effective_from": "", "compute": "1"}
        page = self.client.post("/manage/new/terms/new/", data).content.decode()
        assert "1 community seats" in page
        assert "This field is required." not in page

    def test_a_typed_mistake_is_still_said_when_computing(self) -> None:
        data = {**FIRST_TERMS, "version": "", "effective_from": "15/13/2018", "more_rows": "1"}
        page = self.client.post("/manage/new/terms/new/", data).content.decode()
        assert "Enter a valid date." in page
        assert "This field is required." not in page

    def test_saving_still_asks_for_every_required_field(self) -> None:
        data = {**FIRST_TERMS, "version": "", "save": "1"}
        page = self.client.post("/manage/new/terms/new/", data).content.decode()
        assert "This field is required." in page
        assert not TermsOfReference.objects.filter(body=self.body).exists()
