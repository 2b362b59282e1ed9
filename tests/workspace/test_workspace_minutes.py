"""Minutes in the workspace: numbered paragraphs, 'Action:' lines, outcomes, declarations,
dissent, the preview, the lifecycle and corrections once approved."""

from __future__ import annotations

from unittest import mock

from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from meetings.models import Meeting, MinuteParagraph, MinutesCorrection
from meetings.services.minutes import parse_action_lines, save_item_minutes
from members.models import Person
from tests.world import DemoWorld

MAY = "/manage/prg/meetings/2019-05-01/minutes/"


def paragraphs(*texts: str, ids: tuple[int, ...] = ()) -> dict[str, str]:
    data = {"p-TOTAL_FORMS": str(len(texts)), "p-INITIAL_FORMS": str(len(ids))}
    for i, text in enumerate(texts):
        data[f"p-{i}-text"] = text
        if i < len(ids):
            data[f"p-{i}-id"] = str(ids[i])
    return data


class ParseTests(TestCase):
    def test_action_lines_are_taken_out_of_the_paragraph_with_their_owners(self) -> None:
        text, owners = parse_action_lines(
            "Lib Peck and Jake Ferguson would discuss a paper.\n\nAction: Lib Peck and Jake "
            "Ferguson\n**Action:** Clerk"
        )
        assert text == "Lib Peck and Jake Ferguson would discuss a paper."
        assert owners == ["Lib Peck and Jake Ferguson", "Clerk"]


class MinutesEditorTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def save_item(
        self,
        number: str,
        *texts: str,
        outcome: str = "",
        ids: tuple[int, ...] = (),
        version: int | None = None,
    ) -> str:
        item = self.may.items.get(number=number)
        data = {
            "outcome": outcome,
            "version": item.version if version is None else version,
            **paragraphs(*texts, ids=ids),
        }
        response = self.client.post(f"{MAY}items/{number}/", data)
        return response.content.decode() if response.status_code in (200, 409) else ""

    def test_paragraphs_are_numbered_per_item_and_action_lines_make_actions(self) -> None:
        self.save_item(
            "6",
            "Paul Dawson presented the data.",
            "Partners discussed.\nAction: Lib Peck and Jake Ferguson",
            "The Mayor will write.\nAction: Clerk",
        )
        item = self.may.items.get(number="6")
        assert list(item.paragraphs.values_list("text", flat=True)) == [
            "Paul Dawson presented the data.",
            "Partners discussed.",
            "The Mayor will write.",
        ]
        actions = list(Action.objects.filter(item=item).order_by("pk"))
        assert [a.owners_display() for a in actions] == ["Lib Peck and Jake Ferguson", "Clerk"]
        owners = actions[0].owners.all()
        assert {o.person.key for o in owners} == {"lib-peck", "jake-ferguson"}
        assert actions[1].owners.get().role == "Clerk"
        assert not any(a.confirmed for a in actions)
        assert actions[0].paragraph.text == "Partners discussed."
        page = self.client.get(MAY).content.decode()
        assert "6.1" in page and "6.3" in page and "to confirm" in page
        assert Meeting.objects.get(pk=self.may.pk).status == "minutes_draft"

    def test_a_name_matches_a_person_despite_titles_and_honours(self) -> None:
        self.save_item("5", "Text.\nAction: Sam Everington")
        action = Action.objects.get(item__meeting=self.may, item__number="5")
        assert action.owners.get().person.key == "sam-everington"

    def test_sub_items_continue_the_main_items_paragraph_numbers(self) -> None:
        meeting = Meeting.objects.get(key="2019-03-06")
        page = self.client.get(f"/manage/prg/meetings/{meeting.key}/minutes/").content.decode()
        assert "8.2" in page and "8a.1" not in page

    def test_markdown_is_sanitised(self) -> None:
        self.save_item("5", "Safe **bold** <script>alert(1)</script>")
        page = self.client.get(MAY).content.decode()
        assert "<strong>bold</strong>" in page and "<script>alert(1)" not in page
        # A long unbroken word (a pasted URL) wraps instead of widening the page.
        assert '<div class="text-break"><p>Safe <strong>bold</strong>' in page

    def test_an_agreed_outcome_at_an_inquorate_item_is_refused_with_the_figures(self) -> None:
        page = self.save_item("8", "Partners agreed the model.", outcome="agreed")
        assert "The meeting was not quorate for item 8: 0 present, 12 needed" in page
        assert not MinuteParagraph.objects.filter(item__meeting=self.may).exists()

    def test_declarations_and_dissent_are_recorded_against_the_item(self) -> None:
        jake = Person.objects.get(key="jake-ferguson")
        url = f"{MAY}items/9/"
        self.client.post(
            f"{url}declarations/",
            {
                "decl-person": jake.pk,
                "decl-interest": "Chief Executive of Hackney CVS",
                "decl-withdrew": "on",
            },
        )
        self.client.post(
            f"{url}dissent/",
            {"dissent-person": jake.pk, "dissent-text": "Objected to the timetable."},
        )
        item = self.may.items.get(number="9")
        assert item.declarations.get().withdrew
        assert item.dissents.get().text == "Objected to the timetable."
        page = self.client.get(url).content.decode()
        assert "Chief Executive of Hackney CVS (withdrew)" in page

    def test_the_second_of_two_secretaries_saving_an_item_is_refused_and_keeps_text(
        self,
    ) -> None:
        stale = self.may.items.get(number="5").version
        self.save_item("5", "First secretary's paragraph.", version=stale)
        page = self.save_item("5", "Second secretary's careful paragraph.", version=stale)
        assert "Someone else saved the minutes of item 5" in page
        assert "Second secretary&#x27;s careful paragraph." in page
        assert "Saved now by the other secretary" in page
        texts = list(
            MinuteParagraph.objects.filter(item__meeting=self.may).values_list("text", flat=True)
        )
        assert texts == ["First secretary's paragraph."]

    def test_minutes_cannot_be_written_before_the_agenda_is_published(self) -> None:
        item = Meeting.objects.get(key="2019-06-12").items.get(number="1")
        response = self.client.post(
            "/manage/prg/meetings/2019-06-12/minutes/items/1/",
            {"outcome": "", "version": item.version, **paragraphs("Too early.")},
        )
        assert "Publish the agenda before writing the minutes" in response.content.decode()

    def test_a_refused_declaration_or_dissent_keeps_what_was_typed(self) -> None:
        url = f"{MAY}items/9/"
        page = self.client.post(
            f"{url}declarations/", {"decl-interest": "Trustee of a youth charity"}
        ).content.decode()
        assert "There is a problem" in page
        assert "Person: This field is required." in page
        assert "Trustee of a youth charity</textarea>" in page
        outsider = Person.objects.get(key="outsider-person")
        page = self.client.post(
            f"{url}dissent/", {"dissent-person": outsider.pk, "dissent-text": "Objected."}
        ).content.decode()
        assert "Person: Select a valid choice." in page and "Objected.</textarea>" in page
        item = self.may.items.get(number="9")
        assert not item.declarations.exists() and not item.dissents.exists()
        # A valid one is recorded, and can be removed again.
        jake = Person.objects.get(key="jake-ferguson")
        self.client.post(f"{url}declarations/", {"decl-person": jake.pk, "decl-interest": "x"})
        declaration = item.declarations.get()
        self.client.post(f"{url}declarations/{declaration.pk}/remove/")
        assert not item.declarations.exists()

    def quorate_for_item_8(self) -> None:
        """Exactly 12 of the 23 members present, the required groups among them."""
        wanted = ["sadiq-khan", "mark-simmons", "carolyn-downs", "vin-diwakar", "jake-ferguson"]
        members = self.may.body.appointments_on(self.may.date).select_related("person")
        others = [a.person.key for a in members if a.person.key not in wanted]
        present = set(wanted + others[:7])
        data = {
            f"m{a.person_id}-state": "present" if a.person.key in present else "absent"
            for a in members
        }
        data["version"] = Meeting.objects.get(pk=self.may.pk).attendance_version
        response = self.client.post("/manage/prg/meetings/2019-05-01/attendance/", data)
        assert response.status_code == 302
        page = self.save_item("8", "Partners agreed the model.", outcome="agreed")
        assert page == ""  # saved

    def test_attendance_or_a_withdrawal_that_would_leave_an_agreed_item_inquorate_is_refused(
        self,
    ) -> None:
        self.quorate_for_item_8()
        carolyn = Person.objects.get(key="carolyn-downs")
        members = self.may.body.appointments_on(self.may.date)
        data = {
            f"m{a.person_id}-state": (
                "present"
                if self.may.attendance.filter(person_id=a.person_id).exists()
                and a.person_id != carolyn.pk
                else "absent"
            )
            for a in members
        }
        data["version"] = Meeting.objects.get(pk=self.may.pk).attendance_version
        page = self.client.post("/manage/prg/meetings/2019-05-01/attendance/", data)
        text = page.content.decode()
        assert (
            "Item 8 records the outcome &#x27;Agreed by consensus&#x27;, but with this change "
            "the meeting " in text
        )
        assert (
            "(11 present, 12 needed, and no one present for London Councils representative)" in text
        )
        assert self.may.attendance.filter(person=carolyn).exists()
        # Withdrawing for the item would lose quorum too; declaring without withdrawing is fine.
        page = self.client.post(
            f"{MAY}items/8/declarations/",
            {"decl-person": carolyn.pk, "decl-interest": "A council bid", "decl-withdrew": "on"},
        ).content.decode()
        assert "Item 8 records the outcome &#x27;Agreed by consensus&#x27;" in page
        assert "A council bid</textarea>" in page
        assert not self.may.items.get(number="8").declarations.exists()
        self.client.post(
            f"{MAY}items/8/declarations/",
            {"decl-person": carolyn.pk, "decl-interest": "A council bid"},
        )
        assert self.may.items.get(number="8").declarations.get().withdrew is False

    def test_an_action_left_by_a_removed_paragraph_is_still_offered_for_confirmation(
        self,
    ) -> None:
        self.save_item("5", "Keep this.", "Drop this.\nAction: Clerk")
        item = self.may.items.get(number="5")
        kept, dropped = item.paragraphs.order_by("position")
        data = {
            "outcome": "",
            "version": item.version,
            **paragraphs(kept.text, dropped.text, ids=(kept.pk, dropped.pk)),
            "p-1-DELETE": "on",
        }
        self.client.post(f"{MAY}items/5/", data)
        action = Action.objects.get(item=item)
        assert action.paragraph is None and not action.confirmed
        page = self.client.get(f"{MAY}items/5/").content.decode()
        assert f'{action.key}/?next=minutes">confirm</a>' in page

    def test_saving_an_items_minutes_locks_the_meeting_before_the_item(self) -> None:
        item = self.may.items.get(number="5")
        with CaptureQueriesContext(connection) as ctx:
            save_item_minutes(item, version=None, paragraphs=[], outcome="noted")
        selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
        assert 'FROM "meetings_meeting"' in selects[0]
        assert 'FROM "meetings_agendaitem"' in selects[1]

    def test_the_closing_time_is_saved(self) -> None:
        self.client.post(MAY, {"end_time": "15:55", "version": self.may.version})
        assert str(Meeting.objects.get(pk=self.may.pk).end_time) == "15:55:00"


class LifecycleTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)
        item = self.may.items.get(number="5")
        self.client.post(
            f"{MAY}items/5/",
            {
                "outcome": "noted",
                "version": item.version,
                **paragraphs("Sophie Linden gave the update.\nAction: Lib Peck"),
            },
        )
        self.action = Action.objects.get(item=item)

    def step(self, name: str, data: dict | None = None) -> str:
        return self.client.post(f"{MAY}{name}/", data or {}, follow=True).content.decode()

    def confirm(self) -> None:
        url = f"/manage/prg/actions/2019-05-01/{self.action.key}/"
        response = self.client.post(
            url,
            {
                "description": "To report on the MOPAC update.",
                "deadline": "2019-06-11",
                "owners": "Lib Peck",
                "confirm": "1",
                "version": Action.objects.get(pk=self.action.pk).version,
            },
        )
        assert response.status_code == 302

    def test_unconfirmed_actions_stop_circulation(self) -> None:
        page = self.step("circulate")
        assert "1 action from &#x27;Action:&#x27; lines is not confirmed" in page
        assert Meeting.objects.get(pk=self.may.pk).status == "minutes_draft"

    def test_confirming_needs_a_deadline_or_ongoing(self) -> None:
        page = self.client.post(
            f"/manage/prg/actions/2019-05-01/{self.action.key}/",
            {
                "description": "x",
                "owners": "Lib Peck",
                "confirm": "1",
                "version": self.action.version,
            },
        ).content.decode()
        assert "Give the action a deadline, or mark it ongoing" in page

    def test_preview_shows_the_minutes_as_the_public_will_read_them(self) -> None:
        self.confirm()
        page = self.client.get(f"{MAY}preview/").content.decode()
        assert "SUMMARY MINUTES" in page
        assert "Sophie Linden gave the update." in page and "Action: Lib Peck" in page
        march = self.client.get("/manage/prg/meetings/2019-03-06/minutes/preview/")
        text = march.content.decode()
        for heading in ("Present:", "In attendance", "Apologies", "attending on behalf of"):
            assert heading in text
        assert "The meeting closed at" in text

    def test_draft_circulated_approved_published_then_locked_with_corrections(self) -> None:
        self.confirm()
        Person.objects.filter(key="jake-ferguson").update(email="jake@example.org")
        with self.captureOnCommitCallbacks(execute=True):
            self.step("circulate")
        assert Meeting.objects.get(pk=self.may.pk).status == "minutes_circulated"
        assert mail.outbox[0].subject.startswith("Draft minutes for comment")
        june_item = Meeting.objects.get(key="2019-06-12").items.get(kind="minutes_of_last_meeting")
        self.step("approve", {"at_meeting": june_item.meeting_id})
        may = Meeting.objects.get(pk=self.may.pk)
        assert may.status == "minutes_approved" and may.minutes_approved_at_item == june_item
        # Locked: editing is refused, a correction is recorded instead.
        item = may.items.get(number="5")
        page = self.client.post(
            f"{MAY}items/5/",
            {"outcome": "noted", "version": item.version, **paragraphs("Changed.")},
        ).content.decode()
        assert "locked; record a correction instead" in page
        with mock.patch("meetings.services.publication.freeze_published_documents") as freeze:
            self.step("publish")
            assert Meeting.objects.get(pk=self.may.pk).status == "minutes_published"
            paragraph = MinuteParagraph.objects.get(item=item)
            self.client.post(
                f"{MAY}paragraphs/{paragraph.pk}/correct/",
                {
                    "text": "Sophie Linden, Deputy Mayor, gave the update.",
                    "reason": "The role was missing.",
                    "version": paragraph.version,
                },
            )
        assert [c.args[1] for c in freeze.call_args_list] == ["minutes", "minutes"]
        assert "The role was missing." in freeze.call_args_list[1].kwargs["correction_note"]
        correction = MinutesCorrection.objects.get()
        assert correction.before == "Sophie Linden gave the update."
        assert correction.made_by == self.secretary
        paragraph.refresh_from_db()
        assert paragraph.text.startswith("Sophie Linden, Deputy Mayor")
        history = self.client.get("/manage/prg/meetings/2019-05-01/history/").content.decode()
        assert "Minutes published" in history and "Minutes approved" in history

    def test_imported_published_minutes_show_no_empty_date_and_no_closing_time_form(
        self,
    ) -> None:
        page = self.client.get("/manage/prg/meetings/2019-03-06/minutes/").content.decode()
        assert "Published. Changes are recorded as corrections." in page  # no "Published on ."
        assert "Save the closing time" not in page
        assert "The meeting closed at 3:55pm." in page

    def test_approval_by_the_chair_is_recorded(self) -> None:
        self.confirm()
        self.step("circulate")
        self.step("approve", {"by_chair": "on"})
        assert Meeting.objects.get(pk=self.may.pk).minutes_approved_by_chair

    def test_minutes_cannot_be_published_before_approval(self) -> None:
        page = self.step("publish")
        assert "Only approved minutes are published" in page

    def test_an_unconfirmed_action_can_be_discarded(self) -> None:
        self.client.post(
            f"/manage/prg/actions/2019-05-01/{self.action.key}/discard/",
            {"version": self.action.version},
        )
        assert not Action.objects.filter(pk=self.action.pk).exists()
