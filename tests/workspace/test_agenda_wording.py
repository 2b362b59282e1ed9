"""The agenda as the secretary words it: the wording before each presenter, the 'In
attendance' list on the cover, the line under 'Date of next meeting', each body's standard
agenda, and removing an item only after a confirmation page (no script needed). Printed in the
agenda as chosen, kept in the records format, and locked once the agenda is published."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from actions.models import Action
from meetings.models import Meeting, MinutesCorrection, StandardItem
from meetings.services.agenda import (
    StandardRow,
    save_standard_agenda,
    standard_agenda,
    update_agenda_wording,
    update_item,
)
from meetings.services.minutes import ParagraphInput, save_item_minutes, split_action_line
from reports.documents.pack import Audience, build_pack
from tests.demo import DEMO_FILE, demo_document
from tests.pdfs import TemporaryMedia, read_pdf
from tests.world import DemoWorld
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records
from vru_governance.records.serialise import item_record, meeting_record

MAY = "/manage/prg/meetings/2019-05-01/"
JULY = "/manage/prg/meetings/2019-07-24/"


def agenda_text(meeting: Meeting) -> str:
    """The public agenda's text, as one line."""
    result = build_pack(meeting, Audience.PUBLIC, with_pack=False)
    return read_pdf(result.agenda.pdf).all_text()


class NewMeetingWordingTests(DemoWorld, TemporaryMedia, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        super().setUp()
        self.client = self.client_for(self.secretary)
        response = self.client.post(
            "/manage/prg/meetings/",
            {"date": "2019-07-24", "start_time": "14:00", "place": "City Hall"},
        )
        assert response.status_code == 302
        self.meeting = Meeting.objects.get(body=self.body, key="2019-07-24")

    def edit_item(self, number: str, **data: str) -> str:
        item = self.meeting.items.get(number=number)
        response = self.client.post(
            f"{JULY}agenda/items/{number}/",
            {"title": item.title, "kind": item.kind, "version": item.version, **data},
        )
        return response.content.decode() if response.status_code != 302 else ""

    def save_wording(self, **data: str) -> str:
        self.meeting.refresh_from_db()
        values = {"wording": "", "wording-version": self.meeting.version}
        values.update({f"wording-{k}": v for k, v in data.items()})
        response = self.client.post(f"{JULY}agenda/", values)
        self.meeting.refresh_from_db()
        return response.content.decode() if response.status_code != 302 else ""

    # Presenter wording -------------------------------------------------------------------

    def test_the_chosen_wording_prints_before_the_presenter_everywhere_the_agenda_shows(
        self,
    ) -> None:
        self.client.post(
            f"{JULY}agenda/",
            {
                "add": "1",
                "add-version": self.meeting.version,
                "add-title": "MOPAC Update",
                "add-kind": "business",
                "add-lead": "An update to be provided by",
                "add-presenter": "Sophie Linden, Deputy Mayor for Policing and Crime",
            },
        )
        assert (
            self.edit_item(
                "4",
                lead="own",
                own_lead="A verbal report from the Chair",
            )
            == ""
        )
        item = self.meeting.items.get(title="MOPAC Update")
        assert item.presenter_lead == "An update to be provided by"
        page = self.client.get(f"{JULY}agenda/").content.decode()
        assert (
            "An update to be provided by Sophie Linden, Deputy Mayor for Policing and Crime."
            in page
        )
        text = agenda_text(self.meeting)
        assert (
            "An update to be provided by Sophie Linden, Deputy Mayor for Policing and Crime."
            in text
        )
        # Typed wording with no presenter prints on its own.
        assert "A verbal report from the Chair. 5 MOPAC Update" in text
        # The item form shows the wording it was saved with.
        form = self.client.get(f"{JULY}agenda/items/5/").content.decode()
        assert '<option value="An update to be provided by" selected>' in form

    def test_other_wording_must_be_typed_and_typed_wording_needs_other_chosen(self) -> None:
        page = self.edit_item("4", lead="own", presenter="Lib Peck")
        assert "Type the wording, or choose one from the list." in page
        page = self.edit_item("4", lead="", own_lead="Shown by", presenter="Lib Peck")
        assert "Choose &#x27;Other wording&#x27; to print the wording typed here." in page
        item = self.meeting.items.get(number="4")
        assert (item.presenter, item.presenter_lead) == ("", "")

    def test_without_a_chosen_wording_the_seed_default_is_kept(self) -> None:
        self.edit_item("4", presenter="Lib Peck, Director of Violence Reduction Unit")
        assert "To be presented by Lib Peck, Director of Violence Reduction Unit." in agenda_text(
            self.meeting
        )

    # In attendance and the date of the next meeting ---------------------------------------

    def test_the_in_attendance_list_and_own_next_meeting_wording_print_on_the_agenda(
        self,
    ) -> None:
        assert (
            self.save_wording(
                in_attendance="Lib Peck, Director of Violence Reduction Unit\n\n"
                "  Amy Gelsthorpe-Hill, Clerk  ",
                next_meeting="own",
                next_meeting_text="The next meeting will be held in September; date to follow.",
            )
            == ""
        )
        assert self.meeting.in_attendance_lines() == [
            "Lib Peck, Director of Violence Reduction Unit",
            "Amy Gelsthorpe-Hill, Clerk",
        ]
        text = agenda_text(self.meeting)
        assert (
            "In attendance Lib Peck, Director of Violence Reduction Unit Amy Gelsthorpe-Hill, "
            "Clerk" in text
        )
        assert text.find("In attendance") < text.find("Agenda Violence Reduction Unit")
        assert (
            "Date of next meeting The next meeting will be held in September; date to follow."
            in text
        )

    def test_the_next_meeting_line_can_be_removed(self) -> None:
        self.save_wording(next_meeting="none")
        text = agenda_text(self.meeting)
        assert "Date of next meeting" in text
        assert "The next meeting will be held" not in text
        assert "In attendance" not in text  # no list, no heading

    def test_own_next_meeting_wording_without_text_is_refused_and_nothing_changes(self) -> None:
        page = self.save_wording(in_attendance="Someone", next_meeting="own")
        assert "Type the wording for the date of the next meeting" in page
        assert (self.meeting.in_attendance, self.meeting.next_meeting) == ("", "")
        with pytest.raises(ValidationError):
            update_agenda_wording(
                self.meeting,
                in_attendance="",
                next_meeting="",
                next_meeting_text="Typed but not chosen",
                version=None,
            )

    # Removing an item ----------------------------------------------------------------------

    def test_removing_an_item_asks_on_a_page_of_its_own_first(self) -> None:
        agenda = self.client.get(f"{JULY}agenda/").content.decode()
        assert f'href="{JULY}agenda/items/5/remove/"' in agenda
        page = self.client.get(f"{JULY}agenda/items/5/remove/").content.decode()
        assert "Remove item 5: Any other business the Chair considers urgent?" in page
        assert 'name="confirm" value="yes"' in page
        assert "the 2 items after it are renumbered" in page
        self.meeting.refresh_from_db()
        # A post without the confirmation (an old form, a stray click) removes nothing.
        response = self.client.post(
            f"{JULY}agenda/items/5/remove/", {"version": self.meeting.version}
        )
        assert response.status_code == 200
        assert self.meeting.items.count() == 7
        response = self.client.post(
            f"{JULY}agenda/items/5/remove/",
            {"version": self.meeting.version, "confirm": "yes"},
        )
        assert response.status_code == 302
        assert [i.title for i in self.meeting.items.order_by("position")][4:] == [
            "Date of next meeting",
            "Close",
        ]


class StandardAgendaTests(DemoWorld, TestCase):
    URL = "/manage/prg/standard-agenda/"

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def rows(self, items: list[dict[str, str]], extra: int = 0) -> dict[str, str]:
        """The page's form as posted, opened at the standard agenda's version saved now."""
        self.body.refresh_from_db()
        data = {
            "version": str(self.body.standard_agenda_version),
            "items-TOTAL_FORMS": str(len(items) + extra),
            "items-INITIAL_FORMS": str(len(items)),
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "30",
        }
        for i, row in enumerate(items):
            for key, value in row.items():
                data[f"items-{i}-{key}"] = value
        return data

    def standard(self) -> list[dict[str, str]]:
        return [
            {"ORDER": "1", "title": "Apologies for Absence", "kind": "apologies"},
            {"ORDER": "2", "title": "Declarations of Interest", "kind": "declarations"},
            {"ORDER": "4", "title": "Minutes of last meeting", "kind": "minutes_of_last_meeting"},
            {
                "ORDER": "3",
                "title": "Director's update",
                "kind": "business",
                "lead": "An update to be provided by",
                "presenter": "Lib Peck, Director of Violence Reduction Unit",
            },
            {"ORDER": "5", "title": "Close", "kind": "close"},
            {"ORDER": "6", "title": "Actions Arising", "kind": "actions_arising", "DELETE": "on"},
        ]

    def test_the_page_shows_the_product_standard_agenda_until_the_body_has_its_own(self) -> None:
        page = self.client.get(self.URL).content.decode()
        assert "This is the product's standard agenda until you save your own." in page
        assert 'value="Any other business the Chair considers urgent"' in page

    def test_a_new_meeting_starts_with_the_body_standard_agenda_as_saved(self) -> None:
        response = self.client.post(self.URL, self.rows(self.standard()))
        assert response.status_code == 302, response.content.decode()[:2000]
        created = self.client.post(
            "/manage/prg/meetings/", {"date": "2019-07-24", "start_time": "14:00"}
        )
        assert created.status_code == 302
        meeting = Meeting.objects.get(body=self.body, key="2019-07-24")
        items = list(meeting.items.order_by("position"))
        assert [(i.number, i.title) for i in items] == [
            ("1", "Apologies for Absence"),
            ("2", "Declarations of Interest"),
            ("3", "Director's update"),
            ("4", "Minutes of last meeting"),
            ("5", "Close"),
        ]
        assert items[2].presenter_lead == "An update to be provided by"
        # Meetings made before keep their own agendas.
        may = Meeting.objects.get(body=self.body, key="2019-05-01")
        assert may.items.count() == 13

    def test_two_items_of_one_standard_kind_are_refused_and_nothing_changes(self) -> None:
        rows = self.standard()
        rows[4]["kind"] = "declarations"
        response = self.client.post(self.URL, self.rows(rows))
        assert response.status_code == 400
        assert "2 items of the kind &#x27;Declarations of interest&#x27;" in (
            response.content.decode()
        )
        assert not StandardItem.objects.exists()

    def test_two_secretaries_editing_at_once_the_second_gets_both_agendas_and_loses_nothing(
        self,
    ) -> None:
        first = self.rows(self.standard())
        second = self.rows(self.standard())  # opened at the same version
        second["items-3-title"] = "Chief Executive's update"
        assert self.client.post(self.URL, first).status_code == 302
        other = self.client_for(self.secretary)
        refused = other.post(self.URL, second)
        assert refused.status_code == 409
        page = refused.content.decode()
        assert "Someone else saved the standard agenda while you were editing it" in page
        table = page.split('id="beside"')[1].split("</table>")[0]
        # The other person's item beside what this one typed, and the typed text kept in the form.
        assert "Director&#x27;s update (Business)" in table
        assert "Chief Executive&#x27;s update (Business)" in table
        assert 'value="Chief Executive&#x27;s update"' in page
        assert [i.title for i in StandardItem.objects.filter(body=self.body)][2] == (
            "Director's update"
        )
        # The form now carries the version saved: saving again after review is accepted.
        self.body.refresh_from_db()
        assert f'name="version" value="{self.body.standard_agenda_version}"' in page
        again = {**second, "version": str(self.body.standard_agenda_version)}
        assert other.post(self.URL, again).status_code == 302
        titles = [i.title for i in StandardItem.objects.filter(body=self.body)]
        assert "Chief Executive's update" in titles and "Director's update" not in titles

    def test_a_post_without_the_version_is_refused_as_out_of_date(self) -> None:
        data = self.rows(self.standard())
        del data["version"]
        assert self.client.post(self.URL, data).status_code == 409
        assert not StandardItem.objects.exists()

    def test_only_the_body_secretaries_may_see_or_change_it(self) -> None:
        for user, status in ((self.other_secretary, 403), (self.partner, 403)):
            client = self.client_for(user)
            assert client.get(self.URL).status_code in (status, 404)
            assert client.post(self.URL, self.rows(self.standard())).status_code in (status, 404)
        assert self.client_for(None).get(self.URL).status_code == 302
        assert not StandardItem.objects.exists()


class PublishedAgendaWordingTests(DemoWorld, TemporaryMedia, TestCase):
    """The demo's 1 May 2019 agenda is published: its wording is locked with it."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")

    def test_the_demo_items_carry_the_seed_wording(self) -> None:
        leads = dict(self.may.items.values_list("number", "presenter_lead"))
        assert (leads["5"], leads["6"], leads["7"]) == (
            "An update to be provided by",
            "A PowerPoint to be presented by",
            "A report and PowerPoint to be presented by",
        )
        page = self.client.get("/prg/meetings/2019-05-01/").content.decode()
        assert (
            "A PowerPoint to be presented by Paul Dawson, Head of Evidence and Insight at MOPAC."
            in page
        )

    def test_a_published_item_wording_is_refused_by_the_service(self) -> None:
        item = self.may.items.get(number="5")
        with pytest.raises(ValidationError, match="published agenda"):
            update_item(
                item,
                title=item.title,
                presenter=item.presenter,
                presenter_lead="To be presented by",
                kind=item.kind,
                sub_item=False,
                version=None,
            )
        with pytest.raises(ValidationError, match="published agenda"):
            update_agenda_wording(
                self.may,
                in_attendance="Someone",
                next_meeting="",
                next_meeting_text="",
                version=None,
            )

    def test_a_published_agenda_wording_changes_only_as_a_correction_with_a_reason(self) -> None:
        client = self.client_for(self.secretary)
        data = {
            "wording": "",
            "wording-version": self.may.version,
            "wording-in_attendance": "Lib Peck, Director of Violence Reduction Unit",
            "wording-next_meeting": "",
        }
        page = client.post(f"{MAY}agenda/", data).content.decode()
        assert "Give the reason for the correction" in page
        self.may.refresh_from_db()
        assert self.may.in_attendance == ""
        response = client.post(
            f"{MAY}agenda/", {**data, "wording-reason": "The director attends as an officer."}
        )
        assert response.status_code == 302
        self.may.refresh_from_db()
        assert self.may.in_attendance == "Lib Peck, Director of Violence Reduction Unit"
        correction = MinutesCorrection.objects.get(meeting=self.may)
        assert correction.after.startswith("In attendance: Lib Peck")

    def test_a_published_item_wording_is_corrected_with_a_reason(self) -> None:
        client = self.client_for(self.secretary)
        item = self.may.items.get(number="5")
        url = f"{MAY}agenda/items/5/correct/"
        assert '<option value="An update to be provided by" selected>' in (
            client.get(url).content.decode()
        )
        response = client.post(
            url,
            {
                "title": item.title,
                "presenter": item.presenter,
                "lead": "A PowerPoint to be presented by",
                "kind": item.kind,
                "reason": "The update was a presentation.",
                "version": item.version,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        item.refresh_from_db()
        assert item.presenter_lead == "A PowerPoint to be presented by"
        correction = MinutesCorrection.objects.get(meeting=self.may)
        assert "“An update to be provided by Sophie Linden" in correction.before
        assert "“A PowerPoint to be presented by Sophie Linden" in correction.after

    def test_removing_a_published_item_is_not_offered(self) -> None:
        client = self.client_for(self.secretary)
        page = client.get(f"{MAY}agenda/items/5/remove/").content.decode()
        assert "so its items can no longer be removed" in page
        assert 'name="confirm"' not in page
        client.post(f"{MAY}agenda/items/5/remove/", {"version": "0", "confirm": "yes"})
        assert self.may.items.filter(number="5", title="MOPAC Update").exists()


class RecordsFormatTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def test_the_wording_goes_out_and_comes_back_and_an_older_file_leaves_it_alone(self) -> None:
        june = Meeting.objects.get(body=self.body, key="2019-06-12")
        update_agenda_wording(
            june,
            in_attendance="Lib Peck, Director\nAmy Gelsthorpe-Hill, Clerk",
            next_meeting="none",
            next_meeting_text="",
            version=None,
        )
        june.refresh_from_db()
        record = meeting_record(june)
        assert record["agenda_in_attendance"] == [
            "Lib Peck, Director",
            "Amy Gelsthorpe-Hill, Clerk",
        ]
        assert record["next_meeting"] == "none"
        may_item = Meeting.objects.get(key="2019-05-01").items.get(number="6")
        assert item_record(may_item)["presenter_lead"] == "A PowerPoint to be presented by"

        # The demo file predates the fields: importing it again leaves them as they are.
        import_records(demo_document(), base_dir=DEMO_FILE.parent)
        june.refresh_from_db()
        assert (june.next_meeting, june.in_attendance_lines()[0]) == ("none", "Lib Peck, Director")

        doc = demo_document()
        june_data = next(m for m in doc["bodies"][0]["meetings"] if m["key"] == "2019-06-12")
        june_data["next_meeting_text"] = "To be arranged."
        june_data["agenda_in_attendance"] = []
        import_records(doc, base_dir=DEMO_FILE.parent)
        june.refresh_from_db()
        assert (june.next_meeting, june.next_meeting_text, june.in_attendance) == (
            "own",
            "To be arranged.",
            "",
        )

    def test_the_standard_agenda_goes_out_and_comes_back(self) -> None:
        rows = [
            StandardRow("Apologies", "apologies"),
            StandardRow("Director's update", "business", "Lib Peck", "An update to be provided by"),
            StandardRow("Close", "close"),
        ]
        save_standard_agenda(self.body, rows)
        doc = export_records("prg")
        assert doc["bodies"][0]["standard_agenda"][1] == {
            "title": "Director's update",
            "kind": "business",
            "presenter": "Lib Peck",
            "presenter_lead": "An update to be provided by",
        }
        doc["bodies"][0]["standard_agenda"][2]["title"] = "Close of the meeting"
        import_records(doc, base_dir=DEMO_FILE.parent)
        assert [r.title for r in standard_agenda(self.body)] == [
            "Apologies",
            "Director's update",
            "Close of the meeting",
        ]
        # The service's rule, through the importer, with its path.
        doc["bodies"][0]["standard_agenda"][0]["kind"] = "close"
        with pytest.raises(RecordsError) as exc:
            import_records(doc, base_dir=DEMO_FILE.parent)
        assert [p for p, _ in exc.value.errors] == ["bodies[0].standard_agenda"]

    def test_typed_wording_with_the_records_line_is_refused_with_its_path(self) -> None:
        doc = copy.deepcopy(demo_document())
        meetings = doc["bodies"][0]["meetings"]
        index = next(i for i, m in enumerate(meetings) if m["key"] == "2019-06-12")
        meetings[index]["next_meeting"] = "records"
        meetings[index]["next_meeting_text"] = "Typed anyway."
        with pytest.raises(RecordsError) as exc:
            import_records(doc, base_dir=DEMO_FILE.parent)
        paths = [path for path, _ in exc.value.errors]
        assert any(p.startswith(f"bodies[0].meetings[{index}]") for p in paths), paths


class ActionLineTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.may = Meeting.objects.get(body=cls.body, key="2019-05-01")

    def test_an_action_line_splits_its_owners_from_its_own_words(self) -> None:
        assert split_action_line("Lib Peck — Write to the borough leaders") == (
            "Lib Peck",
            "Write to the borough leaders",
        )
        assert split_action_line("Clerk - circulate the slides") == (
            "Clerk",
            "circulate the slides",
        )
        assert split_action_line("Lib Peck and Jake Ferguson") == (
            "Lib Peck and Jake Ferguson",
            "",
        )

    def test_an_action_takes_its_own_words_or_else_the_paragraph(self) -> None:
        item = self.may.items.get(number="10")
        save_item_minutes(
            item,
            version=None,
            paragraphs=[
                ParagraphInput(
                    None,
                    "Partners discussed the future of the group.\n"
                    "Action: Lib Peck — Write to the borough leaders about the new group\n"
                    "Action: Clerk",
                )
            ],
            outcome="",
        )
        actions = {
            a.description: a.owners_display()
            for a in Action.objects.filter(item=item).prefetch_related("owners__person")
        }
        assert actions == {
            "Write to the borough leaders about the new group": "Lib Peck",
            "Partners discussed the future of the group.": "Clerk",
        }
        assert item.paragraphs.get().text == "Partners discussed the future of the group."
