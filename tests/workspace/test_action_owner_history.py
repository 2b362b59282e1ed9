"""A change of an action's owners is kept in the action's history, in words, with who made it
and when: from the action page, from an 'Action:' line of the minutes and from the admin.
The history is the workspace's (and the admin's): the partners' portal and the public site
show none of it."""

from __future__ import annotations

import html
from typing import Any

from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from actions.models import Action, ActionOwner
from actions.services import owners_note
from meetings.models import Meeting
from members.models import Person
from tests.world import DemoWorld

# An action of the 1 May minutes, circulated but not yet approved: its owners may still
# change (once the minutes are approved they print them, and only a correction may).
MAY = "2019-05-01"
ACTION = "2019-05-01-5-1"  # owned by Lib Peck
URL = f"/manage/prg/actions/{MAY}/{ACTION}/"
CHANGED = "Owners changed from Lib Peck to Lib Peck and Jake Ferguson."


class OwnersNoteTests(SimpleTestCase):
    def test_added_and_removed_owners_read_as_before_and_after(self) -> None:
        assert owners_note(["Lib Peck"], ["Lib Peck", "Jake Ferguson"]) == CHANGED
        assert (
            owners_note(["Lib Peck", "Jake Ferguson", "Clerk"], ["Clerk"])
            == "Owners changed from Lib Peck, Jake Ferguson and Clerk to Clerk."
        )

    def test_first_owners_are_set_and_unchanged_owners_make_no_note(self) -> None:
        assert owners_note([], ["Clerk"]) == "Owners set to Clerk."
        assert owners_note(["Lib Peck", "Clerk"], ["Lib Peck", "Clerk"]) == ""


def action() -> Action:
    return Action.objects.get(key=ACTION)


def circulate_may_with_an_action() -> None:
    """The 1 May minutes circulated to partners, with an action owned by Lib Peck."""
    may = Meeting.objects.get(key=MAY)
    may.status = Meeting.Status.MINUTES_CIRCULATED
    may.save()
    created = Action.objects.create(
        meeting=may,
        item=may.items.get(number="5"),
        key=ACTION,
        description="Brief partners on the delivery plan.",
        ongoing=True,
        confirmed=True,
    )
    ActionOwner.objects.create(action=created, person=Person.objects.get(key="lib-peck"))


class ActionPageTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        circulate_may_with_an_action()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def edit(self, owners: str, description: str | None = None) -> None:
        current = action()
        response = self.client.post(
            URL,
            {
                "save": "",
                "version": current.version,
                "description": description or current.description,
                "deadline": current.deadline.isoformat() if current.deadline else "",
                "owners": owners,
            },
        )
        assert response.status_code == 302

    def history_rows(self, url: str = URL) -> list[str]:
        """The history table's rows, as text."""
        page = self.client.get(url).content.decode()
        table = page.split('id="history-title"', 1)[1].split("</table>", 1)[0]
        return [" ".join(row.split()) for row in table.split("<tr>")[2:]]

    def test_adding_an_owner_is_one_history_entry_with_who_and_what(self) -> None:
        self.edit("Lib Peck and Jake Ferguson")
        assert action().owners_display() == "Lib Peck and Jake Ferguson"
        rows = [r for r in self.history_rows() if "Owners" in r]
        assert len(rows) == 1
        assert "Amy Gelsthorpe-Hill" in rows[0] and CHANGED in rows[0]
        record = action().history.latest()
        assert record.history_user == self.secretary
        assert record.history_change_reason == CHANGED

    def test_the_meeting_history_shows_the_change_too(self) -> None:
        self.edit("Clerk")
        rows = self.history_rows(f"/manage/prg/meetings/{MAY}/history/")
        assert any("Owners changed from Lib Peck to Clerk." in r for r in rows)

    def test_a_wording_change_and_an_owner_change_share_one_entry(self) -> None:
        self.edit("Jake Ferguson", description="Share the briefing with partners.")
        rows = [r for r in self.history_rows() if "Owners" in r]
        assert len(rows) == 1
        assert "Owners changed from Lib Peck to Jake Ferguson." in rows[0]
        assert "Share the briefing with partners." in rows[0]  # the description's change

    def test_saving_the_same_owners_notes_nothing_and_keeps_their_rows(self) -> None:
        rows = list(ActionOwner.objects.filter(action=action()).values_list("pk", flat=True))
        self.edit("Lib Peck", description="New wording only.")
        assert list(ActionOwner.objects.filter(action=action()).values_list("pk", flat=True)) == (
            rows
        )
        assert not [r for r in self.history_rows() if "Owners" in r]
        assert action().history.latest().history_change_reason is None

    def test_the_partners_portal_and_the_public_site_show_no_history(self) -> None:
        self.edit("Lib Peck and Jake Ferguson")  # Jake is the partner
        partner = html.unescape(self.client_for(self.partner).get("/partners/").content.decode())
        assert action().description in partner  # the partner sees the action, not its history
        assert "Owners changed" not in partner
        public = self.client_for(None)
        response = public.get(f"/prg/meetings/{MAY}/")
        assert response.status_code == 200
        assert "Owners changed" not in response.content.decode()


class MinutesActionLineTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def test_an_action_line_names_its_first_owners_in_the_new_actions_history(self) -> None:
        client = self.client_for(self.secretary)
        may = Meeting.objects.get(key="2019-05-01")
        item = may.items.get(number="5")
        response = client.post(
            f"/manage/prg/meetings/{may.key}/minutes/items/5/",
            {
                "version": item.version,
                "outcome": "",
                "p-TOTAL_FORMS": "1",
                "p-INITIAL_FORMS": "0",
                "p-0-text": "Partners discussed the report.\nAction: Lib Peck and Clerk",
            },
        )
        assert response.status_code == 302
        created = Action.objects.get(meeting=may)
        assert created.owners_display() == "Lib Peck and Clerk"
        (record,) = created.history.all()
        assert record.history_type == "+" and record.history_user == self.secretary
        assert record.history_change_reason == "Owners set to Lib Peck and Clerk."
        page = client.get(f"/manage/prg/actions/{may.key}/{created.key}/").content.decode()
        assert "Owners set to Lib Peck and Clerk." in page


def posted_back(response: Any) -> dict[str, Any]:
    """The admin change page's form and inline forms as the browser would post them back."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


class AdminTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        circulate_may_with_an_action()
        cls.secretary.is_staff = cls.secretary.is_superuser = True
        cls.secretary.save()

    def test_an_owner_added_in_the_admin_is_noted_in_the_actions_history(self) -> None:
        client = self.client_for(self.secretary)
        url = reverse("admin:actions_action_change", args=[action().pk])
        data = posted_back(client.get(url))
        count = int(data["owners-TOTAL_FORMS"])
        data.update(
            {
                "owners-TOTAL_FORMS": str(count + 1),
                f"owners-{count}-role": "Clerk",
                f"owners-{count}-position": str(count),
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.context["errors"]
        assert action().owners_display() == "Lib Peck and Clerk"
        record = action().history.latest()
        assert record.history_change_reason == "Owners changed from Lib Peck to Lib Peck and Clerk."
        assert record.history_user == self.secretary
