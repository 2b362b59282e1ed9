"""An "Action: Owner — text" line prints in the minutes with its own words ("Action: Lib Peck —
To share the figures."), in the PDF's and the meeting page's minutes alike; an "Action: Owner"
line, whose paragraph says what is to be done, prints the owners alone, as the seed does. The
words follow the action's wording until the minutes are approved, then change only by a
correction; they round-trip through the records format."""

from __future__ import annotations

import copy

import pytest
from django.test import TestCase
from django.utils.html import strip_tags

from actions.models import Action
from actions.services import correct_action, update_action
from meetings.models import Meeting
from meetings.services.minutes import ParagraphInput, save_item_minutes
from reports.documents.minutes import build_minutes, minutes_html
from tests.demo import DEMO_FILE, demo_document
from tests.world import DemoWorld
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records

MAY = "/manage/prg/meetings/2019-05-01/minutes/"
TEXT = (
    "Lib Peck presented the latest figures on violent crime.\n"
    "Action: Lib Peck — To share the borough breakdown with partners.\n"
    "Action: Clerk"
)


def flat(html: str) -> str:
    return " ".join(strip_tags(html).split())


def owners(action: Action) -> list:
    return [o.person or o.role for o in action.owners.select_related("person")]


class ActionWordsInTheMinutesTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")
        cls.item = cls.may.items.get(number="10")
        save_item_minutes(
            cls.item, version=None, paragraphs=[ParagraphInput(None, TEXT)], outcome=""
        )
        Action.objects.filter(item=cls.item).update(confirmed=True)

    def own(self) -> Action:
        return Action.objects.get(item=self.item, minutes_text__gt="")

    def test_a_line_with_its_own_words_keeps_them_for_the_minutes(self) -> None:
        by_owner = {
            a.owners_display(): (a.description, a.minutes_text)
            for a in Action.objects.filter(item=self.item)
        }
        assert by_owner == {
            "Lib Peck": ("To share the borough breakdown with partners.",) * 2,
            "Clerk": ("Lib Peck presented the latest figures on violent crime.", ""),
        }

    def test_the_minutes_print_the_owner_and_the_words_or_the_owner_alone(self) -> None:
        minutes = build_minutes(self.may)
        item = next(i for i in minutes.items if i.number == "10")
        assert item.paragraphs[0].actions == [
            "Lib Peck — To share the borough breakdown with partners.",
            "Clerk",
        ]
        html = flat(minutes_html(minutes))
        assert "Action: Lib Peck — To share the borough breakdown with partners." in html
        assert "Action: Clerk" in html and "Action: Clerk —" not in html

    def test_the_workspace_minutes_page_prints_the_same_line(self) -> None:
        page = flat(self.client_for(self.secretary).get(MAY).content.decode())
        assert "Action: Lib Peck — To share the borough breakdown with partners." in page

    def test_rewording_before_approval_rewords_the_minutes(self) -> None:
        action = self.own()
        update_action(
            action,
            description="To share the ward breakdown.",
            deadline=None,
            ongoing=True,
            owners=owners(action),
        )
        action.refresh_from_db()
        assert action.minutes_text == "To share the ward breakdown."
        clerk = Action.objects.get(item=self.item, minutes_text="")
        update_action(
            clerk, description="To book the room.", deadline=None, ongoing=True, owners=["Clerk"]
        )
        clerk.refresh_from_db()
        assert clerk.minutes_text == ""  # still printed as "Action: Clerk", as the seed does


class ApprovedMinutesKeepTheirWordsTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.march = Meeting.objects.get(body=cls.body, key="2019-03-06")
        cls.action = cls.march.actions.filter(item__number="4").get()
        Action.objects.filter(pk=cls.action.pk).update(minutes_text="To consider the data.")

    def test_the_demo_minutes_print_the_owners_alone_as_the_seed(self) -> None:
        assert self.march.minutes_locked
        assert (
            not Action.objects.filter(meeting=self.march)
            .exclude(pk=self.action.pk)
            .filter(minutes_text__gt="")
        )

    def test_the_action_log_rewords_without_changing_the_approved_minutes(self) -> None:
        action = Action.objects.get(pk=self.action.pk)
        update_action(
            action,
            description="To consider the data needs again.",
            deadline=action.deadline,
            ongoing=action.ongoing,
            owners=owners(action),
        )
        action.refresh_from_db()
        assert action.description == "To consider the data needs again."
        assert action.minutes_text == "To consider the data."
        item = next(i for i in build_minutes(self.march).items if i.number == "4")
        printed = [line for p in item.paragraphs for line in p.actions]
        assert printed == ["Lib Peck — To consider the data."]

    def test_the_action_and_its_correction_pages_quote_the_line_as_printed(self) -> None:
        client = self.client_for(self.secretary)
        base = f"/manage/prg/actions/2019-03-06/{self.action.key}/"
        for url in (base, f"{base}correct/"):
            page = flat(client.get(url).content.decode())
            assert "“Action: Lib Peck — To consider the data.”" in page, url

    def test_a_correction_changes_the_words_the_minutes_print(self) -> None:
        action = Action.objects.get(pk=self.action.pk)
        correct_action(
            action,
            description="To consider the VRU's data requirements.",
            deadline=action.deadline,
            ongoing=action.ongoing,
            owners=owners(action),
            reason="The words were minuted wrongly.",
            user=self.secretary,
        )
        action.refresh_from_db()
        assert action.minutes_text == "To consider the VRU's data requirements."


class ActionWordsInTheRecordsTests(TestCase):
    def test_the_words_round_trip_and_an_older_file_leaves_them_alone(self) -> None:
        document = demo_document()
        body = document["bodies"][0]
        march = next(m for m in body["meetings"] if m["key"] == "2019-03-06")
        may = next(m for m in body["meetings"] if m["key"] == "2019-05-01")
        assert all("minutes_text" not in a for i in march["items"] for a in i.get("actions", []))
        # An action of a meeting whose minutes are not approved yet.
        item = may["items"][-1]
        item["minutes"] = ["Partners discussed the group."]
        item["actions"] = [
            {
                "key": "2019-05-01-x-1",
                "description": "To write to the leaders.",
                "minutes_text": "To write to the leaders.",
                "owners": ["Clerk"],
                "status": "open",
                "paragraph": 1,
            }
        ]
        import_records(copy.deepcopy(document), base_dir=DEMO_FILE.parent)
        action = Action.objects.get(key="2019-05-01-x-1")
        assert action.minutes_text == "To write to the leaders."
        exported = export_records("prg")
        out = next(m for m in exported["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
        assert [a.get("minutes_text") for i in out["items"] for a in i.get("actions", [])] == [
            "To write to the leaders."
        ]
        del item["actions"][0]["minutes_text"]
        import_records(document, base_dir=DEMO_FILE.parent)
        action.refresh_from_db()
        assert action.minutes_text == "To write to the leaders."

    def test_an_import_cannot_change_the_words_of_approved_minutes(self) -> None:
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        document = demo_document()
        meetings = document["bodies"][0]["meetings"]
        m = next(n for n, m in enumerate(meetings) if m["key"] == "2019-03-06")
        i, item = next((n, i) for n, i in enumerate(meetings[m]["items"]) if i.get("actions"))
        item["actions"][0]["minutes_text"] = "Something else."
        with pytest.raises(RecordsError) as exc:
            import_records(document, base_dir=DEMO_FILE.parent)
        path = f"bodies[0].meetings[{m}].items[{i}].actions[0].minutes_text"
        assert "approved minutes print this action's words" in dict(exc.value.errors)[path]
