"""The page shown after an edit conflict (409) puts the other person's saved version beside
what was typed, field by field, as its message says: in the workspace and the partners' portal."""

from __future__ import annotations

import datetime as dt
import html
import re

from django.test import TestCase

from actions.models import Action
from members.models import Interest, Person
from members.services import update_interest
from tests.world import DemoWorld

DRAFT = "/manage/prg/meetings/2019-06-12/agenda/"


def hidden(page: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)
    assert match, f"no hidden input {name} on the page"
    return match.group(1)


def beside_rows(page: str) -> dict[str, tuple[str, str, bool]]:
    """The rows of the beside table: field -> (saved now, typed, marked as different)."""
    table = html.unescape(page.split('id="beside"')[1].split("</table>")[0])
    found = {}
    for row in re.findall(r"<tr(.*?)</tr>", table, re.S)[1:]:
        label = re.sub(r"<[^>]+>|\(different\)", "", row.split("</th>")[0].split(">", 2)[-1])
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        found[label.strip()] = (cells[0], cells[1], 'data-differs="yes"' in row)
    return found


class ConflictBesideTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.add_second_secretary()

    def test_the_meetings_details_saved_by_the_other_secretary_are_beside_the_typed_ones(
        self,
    ) -> None:
        alice, bob = self.client_for(self.secretary), self.client_for(self.second)
        version = hidden(bob.get(DRAFT).content.decode(), "version")
        details = {"details": "", "date": "2019-06-12", "start_time": "14:00", "end_time": ""}
        first = alice.post(DRAFT, {**details, "version": version, "place": "City Hall"})
        assert first.status_code == 302
        second = bob.post(DRAFT, {**details, "version": version, "place": "Union Street"})
        assert second.status_code == 409
        rows = beside_rows(second.content.decode())
        assert rows["Place"] == ("City Hall", "Union Street", True)
        assert rows["Date"] == ("12 June 2019", "12 June 2019", False)
        assert rows["Start time"] == ("2pm", "2pm", False)  # GOV.UK times (formats.clock)

    def test_a_partners_interest_changed_meanwhile_is_shown_beside_their_typing(self) -> None:
        person = Person.objects.get(user=self.partner)
        interest = Interest.objects.create(
            person=person, description="Trustee", registered_on=dt.date(2024, 1, 1)
        )
        partner = self.client_for(self.partner)
        url = f"/partners/interests/{interest.pk}/"
        version = hidden(partner.get(url).content.decode(), "interest-version")
        update_interest(
            interest,
            category=interest.category,
            description="Trustee of the Youth Trust",
            registered_on=interest.registered_on,
            ended_on=None,
            by=None,
            version=None,
        )
        response = partner.post(
            url,
            {
                "interest-category": interest.category,
                "interest-description": "Trustee",
                "interest-registered_on": "2024-01-01",
                "interest-ended_on": "2024-12-31",
                "interest-version": version,
            },
        )
        assert response.status_code == 409
        rows = beside_rows(response.content.decode())
        assert rows["Description"] == ("Trustee of the Youth Trust", "Trustee", True)
        assert rows["Ended on"][0:2] == ("—", "31 December 2024")

    def test_a_partners_stale_action_update_shows_the_other_update_beside_theirs(self) -> None:
        action = Action.objects.get(key="2019-03-06-3-1")
        partner = self.client_for(self.partner)
        prefix = f"action-{action.pk}"
        version = hidden(partner.get("/partners/").content.decode(), f"{prefix}-version")
        url = f"/partners/prg/actions/2019-03-06/{action.key}/"
        first = partner.post(
            url,
            {
                f"{prefix}-version": version,
                f"{prefix}-status": "complete",
                f"{prefix}-note": "The paper was discussed on 2 April.",
            },
        )
        assert first.status_code == 302
        second = partner.post(
            url,
            {
                f"{prefix}-version": version,
                f"{prefix}-status": "ongoing",
                f"{prefix}-note": "Verbal update at the next meeting.",
            },
        )
        assert second.status_code == 409
        page = second.content.decode()
        assert 'id="edit-conflict"' in page
        rows = beside_rows(page)
        assert rows["Status"] == ("Complete", "Ongoing", True)
        assert rows["Note (public)"] == (
            "The paper was discussed on 2 April.",
            "Verbal update at the next meeting.",
            True,
        )
