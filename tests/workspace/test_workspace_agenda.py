"""The agenda editor: a new meeting's standard agenda, items and sub-items renumbered, papers
(authored or uploaded as real PDFs), and two secretaries saving the same agenda."""

from __future__ import annotations

import io
import shutil
import tempfile

import pypdf
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from meetings.services.agenda import update_item
from reports.models import Paper
from tests.world import DemoWorld

MEDIA = tempfile.mkdtemp(prefix="workspace-media-")
STORAGES = {
    **settings.STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA},
    },
}


def pdf_bytes() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tearDownModule() -> None:  # noqa: N802 — unittest's hook name
    shutil.rmtree(MEDIA, ignore_errors=True)


class AgendaEditorTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)
        response = self.client.post(
            "/manage/prg/meetings/",
            {"date": "2019-07-24", "start_time": "14:00", "place": "City Hall"},
        )
        assert response.status_code == 302
        self.meeting = Meeting.objects.get(body=self.body, key="2019-07-24")
        self.url = "/manage/prg/meetings/2019-07-24/agenda/"

    def numbers(self) -> list[tuple[str, str]]:
        return list(self.meeting.items.order_by("position").values_list("number", "title"))

    def add(self, title: str, **extra: str) -> None:
        self.meeting.refresh_from_db()
        data = {
            "add-title": title,
            "add-kind": "business",
            "add-version": self.meeting.version,
            "add": "1",
            **{f"add-{k}": v for k, v in extra.items()},
        }
        response = self.client.post(self.url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    def item_pk(self, number: str) -> int:
        return self.meeting.items.get(number=number).pk

    def post_item(self, number: str, action: str, **data: str) -> None:
        self.meeting.refresh_from_db()
        self.client.post(
            f"{self.url}items/{number}/{action}/", {"version": self.meeting.version, **data}
        )

    def test_a_new_meeting_starts_with_the_standard_agenda(self) -> None:
        assert self.meeting.status == "draft"
        assert self.numbers() == [
            ("1", "Apologies for Absence and Chair's Announcements"),
            ("2", "Declarations of Interest"),
            ("3", "Minutes of last meeting"),
            ("4", "Actions Arising"),
            ("5", "Any other business the Chair considers urgent"),
            ("6", "Date of next meeting"),
            ("7", "Close"),
        ]
        kinds = list(self.meeting.items.values_list("kind", flat=True))
        assert kinds == [
            "apologies",
            "declarations",
            "minutes_of_last_meeting",
            "actions_arising",
            "aob",
            "date_of_next_meeting",
            "close",
        ]

    def test_business_items_go_before_any_other_business_and_sub_items_get_letters(self) -> None:
        self.add("VRU Progress Update", presenter="Lib Peck, VRU Director")
        self.add("Delivery Model", sub_item="on", after=str(self.item_pk("5")))
        self.add("Evidence Informing the VRU", sub_item="on", after=str(self.item_pk("5a")))
        assert self.numbers()[4:8] == [
            ("5", "VRU Progress Update"),
            ("5a", "Delivery Model"),
            ("5b", "Evidence Informing the VRU"),
            ("6", "Any other business the Chair considers urgent"),
        ]
        page = self.client.get(self.url).content.decode()
        assert "To be presented by Lib Peck, VRU Director." in page

    def test_reordering_and_removing_renumber_the_agenda(self) -> None:
        self.add("Violence in Numbers")
        self.add("Progress Update")
        self.add("Delivery Model", sub_item="on", after=str(self.item_pk("6")))
        self.add("Commissioning", sub_item="on", after=str(self.item_pk("6a")))
        self.post_item("6b", "move", direction="up")
        assert self.numbers()[5:8] == [
            ("6", "Progress Update"),
            ("6a", "Commissioning"),
            ("6b", "Delivery Model"),
        ]
        # A main item moves with its sub-items.
        self.post_item("6", "move", direction="up")
        assert self.numbers()[4:8] == [
            ("5", "Progress Update"),
            ("5a", "Commissioning"),
            ("5b", "Delivery Model"),
            ("6", "Violence in Numbers"),
        ]
        self.post_item("5a", "remove", confirm="yes")
        assert self.numbers()[4:7] == [
            ("5", "Progress Update"),
            ("5a", "Delivery Model"),
            ("6", "Violence in Numbers"),
        ]

    def test_editing_an_item_sets_presenter_kind_and_sub_item(self) -> None:
        self.add("Violence in Numbers")
        item = self.meeting.items.get(number="5")
        response = self.client.post(
            f"{self.url}items/5/",
            {
                "title": "Violence in Numbers",
                "presenter": "Mark Simmons",
                "kind": "business",
                "sub_item": "on",
                "version": item.version,
            },
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.number, item.presenter) == ("4a", "Mark Simmons")

    def test_an_item_with_minutes_or_papers_cannot_be_removed(self) -> None:
        self.add("Paper item")
        Paper.objects.create(item=self.meeting.items.get(number="5"), key="p", title="P")
        self.post_item("5", "remove", confirm="yes")
        assert self.meeting.items.filter(number="5", title="Paper item").exists()

    def test_the_second_of_two_secretaries_saving_the_same_item_is_refused_and_keeps_text(
        self,
    ) -> None:
        item = self.meeting.items.get(number="4")
        stale = item.version
        first = self.client.post(
            f"{self.url}items/4/",
            {"title": "Actions Arising (first)", "kind": "actions_arising", "version": stale},
        )
        assert first.status_code == 302
        second = self.client.post(
            f"{self.url}items/4/",
            {"title": "Actions Arising (second)", "kind": "actions_arising", "version": stale},
        )
        page = second.content.decode()
        assert second.status_code == 409
        assert "Someone else saved item 4 while you were editing it" in page
        assert 'value="Actions Arising (second)"' in page  # what they typed is kept
        assert "Saved now: “Actions Arising (first)”" in page
        item.refresh_from_db()
        assert item.title == "Actions Arising (first)"

    def test_the_same_new_meeting_sent_twice_is_refused_keeping_what_was_typed(self) -> None:
        data = {"date": "2019-07-24", "start_time": "14:00", "place": "City Hall, Room 2"}
        page = self.client.post("/manage/prg/meetings/", data).content.decode()
        assert "already has a meeting on 24 July 2019 at 2pm" in page
        assert 'value="City Hall, Room 2"' in page
        assert self.body.meetings.filter(date="2019-07-24").count() == 1
        # Another meeting the same day at another time is allowed, once confirmed.
        again = {**data, "start_time": "17:00", "confirm": "on"}
        response = self.client.post("/manage/prg/meetings/", again)
        assert response["Location"] == "/manage/prg/meetings/2019-07-24-2/agenda/"

    def test_the_first_item_cannot_become_a_sub_item(self) -> None:
        item = self.meeting.items.get(number="1")
        page = self.client.post(
            f"{self.url}items/1/",
            {"title": "Welcome", "kind": "apologies", "sub_item": "on", "version": item.version},
        ).content.decode()
        assert "Item 1 is the first item, so it cannot be a sub-item." in page
        assert 'value="Welcome"' in page
        assert self.numbers()[0] == ("1", "Apologies for Absence and Chair's Announcements")

    def test_a_move_without_up_or_down_changes_nothing(self) -> None:
        before = self.numbers()
        self.meeting.refresh_from_db()
        response = self.client.post(
            f"{self.url}items/3/move/",
            {"direction": "sideways", "version": self.meeting.version},
            follow=True,
        )
        assert "Choose Up or Down to move item 3." in response.content.decode()
        assert self.numbers() == before

    def test_saving_an_item_locks_the_meeting_before_the_item_as_reordering_does(self) -> None:
        # Taken in the other order, an item save and a reorder could deadlock on PostgreSQL.
        item = self.meeting.items.get(number="4")
        with CaptureQueriesContext(connection) as ctx:
            update_item(
                item, title="Actions", presenter="", kind="business", sub_item=False, version=None
            )
        selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
        assert 'FROM "meetings_meeting"' in selects[0]
        assert 'FROM "meetings_agendaitem"' in selects[1]

    def test_a_stale_reorder_is_refused(self) -> None:
        stale = self.meeting.version
        self.add("One")
        response = self.client.post(
            f"{self.url}items/5/move/", {"direction": "up", "version": stale}, follow=True
        )
        page = response.content.decode()
        # A button has nothing typed to show back: the message says nothing was changed.
        assert "Someone else changed the agenda since you opened the page" in page
        assert "What you typed" not in page
        assert self.numbers()[4] == ("5", "One")


@override_settings(STORAGES=STORAGES, PAPER_UPLOAD_MAX_BYTES=50_000)
class PaperTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)
        self.url = "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/new/"

    def upload(self, name: str, content: bytes) -> str:
        return self.client.post(
            f"{self.url}?as=upload",
            {
                "title": "Violence in Numbers",
                "classification": "public",
                "file_has_equality_comments": "on",
                "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
            },
        ).content.decode()

    def test_a_paper_is_authored_in_the_browser_by_section(self) -> None:
        response = self.client.post(
            self.url,
            {
                "title": "Closing the Gaps",
                "classification": "public",
                "final": "on",
                "executive_summary": "Summary.",
                "equality_comments": "Considered.",
            },
        )
        assert response.status_code == 302
        paper = Paper.objects.get(item__meeting__key="2019-06-12", key="closing-the-gaps")
        assert paper.final and paper.equality_comments == "Considered."
        assert not paper.supplement

    def test_a_final_paper_without_equality_comments_is_refused_beside_the_field(self) -> None:
        page = self.client.post(
            self.url, {"title": "No equality", "classification": "public", "final": "on"}
        ).content.decode()
        assert "Every report says how equality issues were considered" in page

    def test_an_exempt_paper_needs_its_exemption_details(self) -> None:
        page = self.client.post(
            self.url, {"title": "Exempt", "classification": "exempt"}
        ).content.decode()
        assert "names the Freedom of Information Act 2000 exemption" in page

    def test_a_real_pdf_is_stored_under_a_name_built_from_its_key(self) -> None:
        self.upload("../../etc/Evil Name.pdf", pdf_bytes())
        paper = Paper.objects.get(key="violence-in-numbers")
        assert paper.file.name == "papers/prg/2019-06-12/violence-in-numbers.pdf"
        response = self.client.get(
            "/manage/prg/meetings/2019-06-12/agenda/items/4/papers/violence-in-numbers/file.pdf"
        )
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert not paper.file.path.startswith(str(settings.STATIC_ROOT))

    def test_a_file_that_is_not_a_pdf_is_refused(self) -> None:
        page = self.upload("paper.pdf", b"MZ\x90\x00 not a pdf at all")
        assert "The file is not a PDF" in page
        assert not Paper.objects.filter(key="violence-in-numbers").exists()

    def test_a_damaged_pdf_is_refused(self) -> None:
        page = self.upload("paper.pdf", b"%PDF-1.7\n garbage")
        assert "could not be read as a PDF" in page

    def test_a_pdf_over_the_size_limit_is_refused(self) -> None:
        page = self.upload("big.pdf", pdf_bytes() + b"0" * 60_000)
        assert "the largest accepted is" in page

    def test_a_paper_added_after_publication_is_a_supplement(self) -> None:
        url = "/manage/prg/meetings/2019-05-01/agenda/items/5/papers/new/"
        self.client.post(
            url,
            {"title": "Late paper", "classification": "public", "equality_comments": "Considered."},
        )
        assert Paper.objects.get(key="late-paper").supplement
        page = self.client.get("/manage/prg/meetings/2019-05-01/agenda/").content.decode()
        assert "supplement" in page
