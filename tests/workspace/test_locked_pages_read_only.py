"""A locked meeting shows the pages of what its published documents print read-only: values
as text, no submit buttons, a link to record a correction (instead of forms refused on submit).
Approved minutes lock the attendance and the items' minutes; a published agenda its items,
their order and its papers."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from meetings.models import Meeting
from reports.models import Paper
from reports.papers import save_paper
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


MAY = "/manage/prg/meetings/2019-05-01/"  # agenda published, minutes not yet approved


class PublishedAgendaPagesTests(DemoWorld, TestCase):
    """A published agenda's pages show it as published, with links to the corrections, and
    only the forms of what the lock leaves free (corrections, minutes allowed, supplements)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def titles(self, meeting: Meeting) -> list[tuple[str, str]]:
        return list(meeting.items.order_by("position").values_list("number", "title"))

    def test_a_published_agenda_offers_corrections_not_reordering_or_new_items(self) -> None:
        main = self.client.get(f"{MAY}agenda/").content.decode().split("<main")[1]
        assert 'id="agenda-locked"' in main
        assert f'href="{MAY}agenda/items/4/correct/"' in main
        assert 'name="direction"' not in main and "/move/" not in main and "/remove/" not in main
        assert 'name="add-title"' not in main and 'name="add"' not in main
        assert "/forward-plan/" not in main
        # The details and wording are corrected here: each asks for the reason.
        assert "Correct the date, times and place" in main
        assert 'name="reason"' in main and 'name="wording-reason"' in main

    def test_posting_to_a_published_agenda_is_still_refused_by_the_service(self) -> None:
        before = self.titles(self.may)
        version = str(self.may.version)
        self.client.post(f"{MAY}agenda/items/4/move/", {"direction": "up", "version": version})
        page = self.client.post(
            f"{MAY}agenda/",
            {"add": "", "add-version": version, "add-title": "Late item", "add-kind": "business"},
        ).content.decode()
        assert "nothing can be added to it" in page
        assert self.titles(self.may) == before

    def test_a_draft_agenda_keeps_its_forms_and_asks_no_reason(self) -> None:
        main = self.client.get(f"{JUNE}agenda/").content.decode().split("<main")[1]
        assert 'id="agenda-locked"' not in main
        assert 'name="direction"' in main and 'name="add-title"' in main
        assert 'name="reason"' not in main and 'name="wording-reason"' not in main

    def test_a_published_item_is_text_with_a_correction_link_and_its_timing_form(self) -> None:
        main = self.client.get(f"{MAY}agenda/items/4/").content.decode().split("<main")[1]
        assert 'id="item-as-published"' in main
        assert f'href="{MAY}agenda/items/4/correct/"' in main
        assert 'name="title"' not in main and 'name="kind"' not in main
        assert 'name="minutes_allowed"' in main
        item = self.may.items.get(number="4")
        saved = self.client.post(
            f"{MAY}agenda/items/4/", {"version": str(item.version), "minutes_allowed": "25"}
        )
        assert saved.status_code == 302
        item.refresh_from_db()
        assert item.minutes_allowed == 25
        # A title posted all the same still meets the lock.
        page = self.client.post(
            f"{MAY}agenda/items/4/", {"version": str(item.version), "title": "Renamed"}
        ).content.decode()
        assert "Record a correction" in page
        assert self.may.items.get(number="4").title == item.title

    def test_a_post_without_the_version_is_refused_as_out_of_date(self) -> None:
        response = self.client.post(f"{MAY}agenda/items/4/", {"minutes_allowed": "25"})
        assert response.status_code == 409
        assert self.may.items.get(number="4").minutes_allowed != 25

    def test_an_item_of_approved_minutes_has_no_form_at_all(self) -> None:
        main = self.client.get(f"{MARCH}agenda/items/4/").content.decode().split("<main")[1]
        assert 'id="item-as-published"' in main
        assert 'method="post"' not in main and "<input" not in main

    def test_a_published_paper_is_text_with_the_withdrawal_link(self) -> None:
        paper = Paper.objects.filter(item__meeting=self.may, classification="public").first()
        url = f"{MAY}agenda/items/{paper.item.number}/papers/{paper.key}/"
        main = self.client.get(url).content.decode().split("<main")[1]
        assert 'id="paper-as-published"' in main and paper.title in main
        assert f'href="{url}withdraw/"' in main
        assert 'name="title"' not in main and 'type="file"' not in main
        assert 'method="post"' not in main  # a public paper has no review date to set
        self.client.post(url, {"version": str(paper.version), "title": "Renamed"})
        assert Paper.objects.get(pk=paper.pk).title == paper.title

    def test_an_exempt_published_papers_review_date_may_still_be_set(self) -> None:
        # An exempt supplement: a paper may still be added to a published agenda.
        paper = save_paper(
            Paper(
                item=self.may.items.get(number="4"),
                title="Contract prices",
                introduction="The prices quoted.",
                classification="exempt",
                exemption_section="s.43",
                exemption_reason="Commercial interests.",
                exemption_review_on=dt.date(2019, 11, 1),
            )
        )
        url = f"{MAY}agenda/items/{paper.item.number}/papers/{paper.key}/"
        main = self.client.get(url).content.decode().split("<main")[1]
        assert 'name="exemption_review_on"' in main and 'name="title"' not in main
        response = self.client.post(
            url, {"version": str(paper.version), "exemption_review_on": "2020-05-01"}
        )
        assert response.status_code == 302
        assert Paper.objects.get(pk=paper.pk).exemption_review_on == dt.date(2020, 5, 1)
