"""No lost updates on the forward plan and the register of interests.

As in tests/workspace/test_concurrency.py: two signed-in clients open the same edit page, the first
saves, the second saves from the page it opened before and is refused (409) with a clear
message, what it typed shown back beside the record as saved now, and a form carrying the
version saved now, so that saving again after review is accepted. On PostgreSQL two
connections race the same service calls, where the row locks matter.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db import connection
from django.test import TestCase

from meetings.models import ForwardPlanItem, Meeting
from meetings.services.plan import save_forward_plan_item
from members import services as members_services
from members.models import Interest, Person
from tests.workspace.test_concurrency import REFUSED, _race, _slowed, hidden
from tests.world import D, DemoWorld, make_body, person

PLAN = "/manage/prg/forward-plan/"
PEOPLE = "/manage/prg/people/jake-ferguson/"


class ForwardPlanTests(DemoWorld, TestCase):
    """Two secretaries of the same board editing one forward-plan item."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.add_second_secretary()
        cls.plan = ForwardPlanItem.objects.create(
            body=cls.body, title="Knife crime update", presenter="Sophie Linden"
        )

    def setUp(self) -> None:
        self.alice = self.client_for(self.secretary)
        self.bob = self.client_for(self.second)
        self.url = f"{PLAN}{self.plan.pk}/"

    def test_the_second_save_of_a_plan_item_is_refused_and_saving_again_is_accepted(
        self,
    ) -> None:
        alice = hidden(self.alice.get(self.url).content.decode(), "version")
        bob = hidden(self.bob.get(self.url).content.decode(), "version")
        first = self.alice.post(
            self.url, {"version": alice, "title": "Knife crime: six-month update"}
        )
        assert first.status_code == 302
        second = self.bob.post(
            self.url,
            {"version": bob, "title": "Knife crime update", "notes": "Bob's reasons."},
        )
        page = html.unescape(second.content.decode())
        assert second.status_code == 409
        assert (
            f"Someone else saved the forward-plan item 'Knife crime: six-month update' {REFUSED}"
            in page
        )
        assert "Bob's reasons.</textarea>" in page  # what Bob typed, kept
        assert "Saved now: “Knife crime: six-month update”" in page
        self.plan.refresh_from_db()
        assert self.plan.title == "Knife crime: six-month update" and self.plan.notes == ""
        # Bob has read Alice's title; he saves again from the page he was shown.
        again = self.bob.post(
            self.url,
            {
                "version": hidden(page, "version"),
                "title": "Knife crime: six-month update",
                "notes": "Bob's reasons.",
            },
        )
        assert again.status_code == 302
        self.plan.refresh_from_db()
        assert self.plan.notes == "Bob's reasons." and self.plan.version == 2

    def test_a_save_from_a_page_opened_before_the_item_was_placed_is_refused(self) -> None:
        bob = hidden(self.bob.get(self.url).content.decode(), "version")
        june = Meeting.objects.get(key="2019-06-12")
        placed = self.alice.post(f"{self.url}place/", {"meeting": june.pk})
        assert placed.status_code == 302
        second = self.bob.post(self.url, {"version": bob, "title": "Bob's title"})
        page = html.unescape(second.content.decode())
        assert second.status_code == 409
        assert "Placed as item 5 of the meeting of 12 June 2019." in page
        assert 'value="Bob\'s title"' in page
        self.plan.refresh_from_db()
        assert self.plan.title == "Knife crime update" and self.plan.placed_item is not None
        # Saving again changes what Bob typed and keeps the placing, which no form edits.
        again = self.bob.post(
            self.url,
            {"version": hidden(page, "version"), "title": "Bob's", "target_meeting": june.pk},
        )
        assert again.status_code == 302
        self.plan.refresh_from_db()
        assert self.plan.title == "Bob's"
        assert self.plan.placed_item.number == "5" and self.plan.target_meeting == june

    def test_a_save_without_a_version_is_refused_as_out_of_date(self) -> None:
        # A form posted by an older page (or a script) carries no version: it cannot show that
        # it saw the item as saved now, so it must not skip the check (issue 17).
        response = self.alice.post(self.url, {"title": "Renamed"})
        assert response.status_code == 409
        assert "Someone else saved the forward-plan item" in response.content.decode()
        self.plan.refresh_from_db()
        assert self.plan.title != "Renamed" and self.plan.version == 0


class InterestTests(DemoWorld, TestCase):
    """A partner corrects an entry of their register while the secretary records its end."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        jake = Person.objects.get(key="jake-ferguson")
        cls.interest = Interest.objects.create(
            person=jake,
            category=Interest.Category.DIRECTORSHIP,
            description="Trustee, Youth charity",
            registered_on=D(2019, 1, 1),
        )

    def setUp(self) -> None:
        self.partner_client = self.client_for(self.partner)
        self.secretary_client = self.client_for(self.secretary)
        self.partner_url = f"/partners/interests/{self.interest.pk}/"
        self.end_url = f"{PEOPLE}interests/{self.interest.pk}/end/"

    def partner_data(self, version: str, description: str, ended_on: str = "") -> dict:
        return {
            "interest-version": version,
            "interest-category": "directorship",
            "interest-description": description,
            "interest-registered_on": "2019-01-01",
            "interest-ended_on": ended_on,
        }

    def test_a_partners_stale_correction_is_refused_after_the_secretary_ended_it(self) -> None:
        partner = hidden(
            self.partner_client.get(self.partner_url).content.decode(), "interest-version"
        )
        secretary = hidden(self.secretary_client.get(self.end_url).content.decode(), "version")
        ended = self.secretary_client.post(
            self.end_url, {"version": secretary, "ended_on": "2019-04-30"}
        )
        assert ended.status_code == 302
        second = self.partner_client.post(
            self.partner_url, self.partner_data(partner, "Trustee, Youth charity (unpaid)")
        )
        page = html.unescape(second.content.decode())
        assert second.status_code == 409
        assert f"Someone else saved this entry of the register of interests {REFUSED}" in page
        assert "Trustee, Youth charity (unpaid)</textarea>" in page  # what the partner typed
        assert "ended on 30 April 2019" in page  # the entry as the secretary saved it
        self.interest.refresh_from_db()
        assert self.interest.ended_on == D(2019, 4, 30)
        assert self.interest.description == "Trustee, Youth charity"
        again = self.partner_client.post(
            self.partner_url,
            self.partner_data(
                hidden(page, "interest-version"), "Trustee, Youth charity (unpaid)", "2019-04-30"
            ),
        )
        assert again.status_code == 302
        self.interest.refresh_from_db()
        assert self.interest.description == "Trustee, Youth charity (unpaid)"
        assert self.interest.ended_on == D(2019, 4, 30) and self.interest.version == 2

    def test_the_secretarys_stale_end_date_is_refused_after_the_partners_correction(
        self,
    ) -> None:
        partner = hidden(
            self.partner_client.get(self.partner_url).content.decode(), "interest-version"
        )
        secretary = hidden(self.secretary_client.get(self.end_url).content.decode(), "version")
        corrected = self.partner_client.post(
            self.partner_url, self.partner_data(partner, "Chair of trustees, Youth charity")
        )
        assert corrected.status_code == 302
        second = self.secretary_client.post(
            self.end_url, {"version": secretary, "ended_on": "2019-04-30"}
        )
        page = html.unescape(second.content.decode())
        assert second.status_code == 409
        assert f"Someone else saved this entry of the register of interests {REFUSED}" in page
        assert 'value="2019-04-30"' in page  # the date the secretary typed
        assert "Saved now: Directorship or trusteeship: “Chair of trustees, Youth charity”" in page
        self.interest.refresh_from_db()
        assert self.interest.ended_on is None
        again = self.secretary_client.post(
            self.end_url, {"version": hidden(page, "version"), "ended_on": "2019-04-30"}
        )
        assert again.status_code == 302
        self.interest.refresh_from_db()
        assert self.interest.ended_on == D(2019, 4, 30)
        assert self.interest.description == "Chair of trustees, Youth charity"

    def test_the_partners_own_two_tabs_do_not_overwrite_each_other(self) -> None:
        version = hidden(
            self.partner_client.get(self.partner_url).content.decode(), "interest-version"
        )
        first = self.partner_client.post(self.partner_url, self.partner_data(version, "First tab"))
        assert first.status_code == 302
        second = self.partner_client.post(self.partner_url, self.partner_data(version, "Second"))
        assert second.status_code == 409
        self.interest.refresh_from_db()
        assert self.interest.description == "First tab"


# Real concurrency: two connections racing the same service call (PostgreSQL only) -------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_connections_racing_a_plan_item_or_an_interest_let_exactly_one_win() -> None:
    body, _ = make_body()
    plan = ForwardPlanItem.objects.create(body=body, title="Planned")

    def save_plan(who: str) -> None:
        mine = ForwardPlanItem.objects.get(pk=plan.pk)
        mine.title = who
        save_forward_plan_item(mine, version=0)

    with _slowed(ForwardPlanItem, "full_clean"):
        outcome = _race(save_plan)
    assert outcome == ["refused", "won"]
    plan.refresh_from_db()
    assert plan.version == 1 and plan.title in ("first", "second")

    interest = Interest.objects.create(
        person=person("declarer", "A Declarer"), description="Trustee", registered_on=D(2019, 1, 1)
    )
    with _slowed(Interest, "full_clean"):
        outcome = _race(
            lambda who: members_services.update_interest(
                interest,
                category="other",
                description=who,
                registered_on=dt.date(2019, 1, 1),
                ended_on=None,
                by=None,
                version=0,
            )
        )
    assert outcome == ["refused", "won"]
    interest.refresh_from_db()
    assert interest.version == 1 and interest.description in ("first", "second")
