"""The action log: filters, sorting, editing, status updates kept with who and when; and the
forward plan."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from actions.models import Action, ActionOwner
from meetings.models import ForwardPlanItem, Meeting
from members.models import Person
from tests.world import DemoWorld

LOG = "/manage/prg/actions/"


class ActionLogTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def keys(self, query: str = "") -> list[str]:
        response = self.client.get(f"{LOG}{query}")
        return [a.key for a in response.context["actions"]]

    def test_the_log_lists_every_action_of_the_body(self) -> None:
        assert len(self.keys()) == Action.objects.filter(meeting__body=self.body).count() == 7
        page = self.client.get(LOG).content.decode()
        assert "Complete: The letter has been sent." in page
        assert "Lib Peck and Jake Ferguson" in page

    def test_filters_by_meeting_owner_status_and_overdue(self) -> None:
        march = Meeting.objects.get(key="2019-03-06")
        # The seed's five and "Action: Lib Peck" after 9.2 (docs/demo-data.md).
        assert len(self.keys(f"?meeting={march.pk}")) == 6
        lib = Person.objects.get(key="lib-peck")
        assert len(self.keys(f"?owner=p{lib.pk}")) == 4
        assert len(self.keys("?owner=Clerk")) == 2
        assert len(self.keys("?status=ongoing")) == 1
        assert self.keys("?overdue=on") == [
            a.key for a in Action.objects.filter(status="ongoing", meeting__body=self.body)
        ]

    def test_sorting_by_deadline(self) -> None:
        deadlines = [Action.objects.get(key=k).deadline for k in self.keys("?sort=deadline")]
        dated = [d for d in deadlines if d]
        assert dated == sorted(dated)

    def test_the_all_bodies_log_filters_by_body(self) -> None:
        page = self.client.get(f"/manage/actions/?body={self.body.pk}")
        assert len(page.context["actions"]) == 7

    def test_a_status_update_is_kept_with_who_and_when(self) -> None:
        action = Action.objects.get(status="ongoing", meeting__body=self.body)
        url = f"/manage/prg/actions/{action.meeting.key}/{action.key}/"
        self.client.post(
            url,
            {
                "status": "complete",
                "note": "The paper was discussed.",
                "date": "2019-05-01",
                "update": "1",
                "version": action.version,
            },
        )
        action.refresh_from_db()
        assert action.status_display() == "Complete: The paper was discussed."
        update = action.updates.get()
        assert update.author == self.secretary and update.created_at
        page = self.client.get(url).content.decode()
        assert "The paper was discussed." in page and "Amy Gelsthorpe-Hill" in page
        assert "History" in page

    def test_editing_an_action_changes_wording_deadline_and_owners(self) -> None:
        # An action of minutes not yet approved: approved minutes print its owners.
        may = Meeting.objects.get(key="2019-05-01")
        action = Action.objects.create(
            meeting=may,
            item=may.items.get(number="5"),
            key="2019-05-01-5-1",
            description="Old wording.",
            deadline=dt.date(2019, 6, 1),
            confirmed=True,
        )
        ActionOwner.objects.create(action=action, person=Person.objects.get(key="lib-peck"))
        url = f"/manage/prg/actions/{action.meeting.key}/{action.key}/"
        self.client.post(
            url,
            {
                "description": "New wording.",
                "ongoing": "on",
                "owners": "Jake Ferguson and Clerk",
                "save": "1",
                "version": action.version,
            },
        )
        action.refresh_from_db()
        assert action.description == "New wording." and action.ongoing
        assert action.owners_display() == "Jake Ferguson and Clerk"

    def test_ongoing_with_a_deadline_is_a_form_error(self) -> None:
        action = Action.objects.filter(meeting__body=self.body).first()
        page = self.client.post(
            f"/manage/prg/actions/{action.meeting.key}/{action.key}/",
            {"description": "x", "ongoing": "on", "deadline": "2019-01-01", "owners": "Clerk"},
        ).content.decode()
        assert "An ongoing action has no deadline" in page


class ForwardPlanTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def test_a_planned_item_stays_visible_until_pulled_into_an_agenda(self) -> None:
        jake = Person.objects.get(key="jake-ferguson")
        self.client.post(
            "/manage/prg/forward-plan/",
            {
                "title": "Systemic institutional challenges",
                "presenter": "Jake Ferguson",
                "target_month": "2019-06-15",
                "proposed_by": jake.pk,
            },
        )
        plan = ForwardPlanItem.objects.get()
        assert str(plan.target_month) == "2019-06-01"
        june = Meeting.objects.get(key="2019-06-12")
        agenda = self.client.get("/manage/prg/meetings/2019-06-12/agenda/").content.decode()
        assert "Systemic institutional challenges" in agenda and "Add to this agenda" in agenda
        self.client.post(f"/manage/prg/forward-plan/{plan.pk}/place/", {"meeting": june.pk})
        plan.refresh_from_db()
        assert plan.placed_item.number == "5" and plan.placed_item.presenter == "Jake Ferguson"
        assert june.items.get(number="6").kind == "aob"
        listing = self.client.get("/manage/prg/forward-plan/").content.decode()
        assert "Item 5, 12 Jun 2019" in listing

    def test_a_new_meeting_can_start_with_planned_items(self) -> None:
        plan = ForwardPlanItem.objects.create(body=self.body, title="Youth Action Group")
        self.client.post(
            "/manage/prg/meetings/",
            {"date": "2019-07-24", "start_time": "14:00", "planned": [plan.pk]},
        )
        meeting = Meeting.objects.get(key="2019-07-24")
        assert meeting.items.get(number="5").title == "Youth Action Group"
