"""The published record is the record: a tamper matrix over the records a published document
shows and the paths that write them, and corrections as the one way to change them.

Every refused change leaves the public HTML and every public PDF byte-identical; a
correction issues new versions that the public meeting page lists with their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import TestCase

from actions.models import Action, ActionOwner
from meetings.lock_scope import recording_history
from meetings.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Dissent,
    Meeting,
    MinuteParagraph,
)
from meetings.services.corrections import correct_meeting_details
from meetings.services.minutes import correct_minutes
from members.models import Appointment, Person, QuorumGroup, Seat
from reports.models import Paper, StoredDocument
from reports.services import freeze_documents
from tests.demo import load_demo
from tests.pdfs import TemporaryMedia
from tests.world import CastMixin
from vru_governance.records.exporter import export_records
from vru_governance.records.importer import RecordsError, import_records

Kind = StoredDocument.Kind
MARCH = "/prg/meetings/2019-03-06/"
PUBLIC_URLS = [
    MARCH,
    MARCH + "minutes/",
    MARCH + "agenda.pdf",
    MARCH + "pack.pdf",
    MARCH + "actions-arising.pdf",
    MARCH + "minutes.pdf",
]


def content(response: HttpResponse) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return response.content


class PublishedRecordTests(CastMixin, TemporaryMedia, TestCase):
    """6 March 2019: agenda and minutes published and frozen; a declaration and a dissent."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.cast_on_the_records()
        cls.secretary.is_staff = True  # the admin is one of the paths
        cls.secretary.save()
        cls.march = Meeting.objects.select_related("body").get(key="2019-03-06")
        item = cls.march.items.get(number="4")
        with recording_history():
            Declaration.objects.create(
                item=item, person=Person.objects.get(key="jake-ferguson"), interest="A trustee."
            )
            Dissent.objects.create(
                item=item, person=Person.objects.get(key="jake-ferguson"), text="Objected."
            )
        freeze_documents(cls.march, [Kind.AGENDA, Kind.PACK, Kind.ACTIONS_ARISING, Kind.MINUTES])

    def public(self) -> dict[str, bytes]:
        self.client.logout()
        pages = {}
        for url in PUBLIC_URLS:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            pages[url] = content(response)
        return pages

    def assert_refused_and_unchanged(self, change: Callable[[], object]) -> str:
        before = self.public()
        # A refused delete aborts its transaction (as in any request): a savepoint keeps the
        # test's own.
        with self.assertRaises(ValidationError) as caught, transaction.atomic():
            change()
        message = " ".join(caught.exception.messages)
        self.assertRegex(message, r"correction|new version")
        self.assertEqual(self.public(), before)
        return message


class TamperMatrixTests(PublishedRecordTests):
    """Each record a published document shows, written by a service, a command or any code
    that saves the model: refused with a message that says to record a correction."""

    def item(self, number: str = "4") -> AgendaItem:
        return self.march.items.get(number=number)

    def test_the_meetings_date_time_and_place_cannot_change_once_published(self) -> None:
        for field, value in [
            ("date", dt.date(2019, 3, 7)),
            ("start_time", dt.time(15, 0)),
            ("end_time", dt.time(17, 0)),
            ("place", "Somewhere else"),
        ]:
            meeting = Meeting.objects.get(pk=self.march.pk)
            setattr(meeting, field, value)
            message = self.assert_refused_and_unchanged(meeting.save)
            self.assertIn("6 March 2019", message)

    def test_a_published_meeting_never_moves_back_to_draft(self) -> None:
        meeting = Meeting.objects.get(pk=self.march.pk)
        meeting.status = Meeting.Status.DRAFT
        with self.assertRaises(ValidationError) as caught:
            meeting.save()
        self.assertIn("moves only forward", str(caught.exception))

    def test_an_item_cannot_be_retitled_added_or_removed(self) -> None:
        item = self.item()
        item.title = "Something else"
        self.assert_refused_and_unchanged(item.save)
        item = self.item("12")
        item.outcome = "agreed"
        self.assert_refused_and_unchanged(item.save)
        self.assert_refused_and_unchanged(
            lambda: self.march.items.create(number="13", position=99, title="Late")
        )

    def test_a_minute_paragraph_cannot_be_edited_added_or_removed(self) -> None:
        paragraph = MinuteParagraph.objects.filter(item__meeting=self.march).first()
        paragraph.text = "Rewritten."
        message = self.assert_refused_and_unchanged(paragraph.save)
        self.assertIn("approved minutes of the meeting of 6 March 2019", message)
        self.assert_refused_and_unchanged(
            lambda: MinuteParagraph.objects.create(item=self.item(), text="Added.")
        )
        self.assert_refused_and_unchanged(
            MinuteParagraph.objects.filter(item__meeting=self.march).first().delete
        )

    def test_attendance_declarations_and_dissent_cannot_change(self) -> None:
        attendance = Attendance.objects.filter(meeting=self.march).first()
        attendance.capacity = Attendance.Capacity.APOLOGIES
        self.assert_refused_and_unchanged(attendance.save)
        self.assert_refused_and_unchanged(attendance.delete)
        declaration = Declaration.objects.get(item__meeting=self.march)
        declaration.interest = "Nothing."
        self.assert_refused_and_unchanged(declaration.save)
        dissent = Dissent.objects.get(item__meeting=self.march)
        self.assert_refused_and_unchanged(dissent.delete)

    def test_the_owners_of_a_printed_action_cannot_change(self) -> None:
        action = Action.objects.filter(
            meeting=self.march, confirmed=True, item__isnull=False
        ).first()
        owner = action.owners.first()
        owner.role, owner.person = "Someone else", None
        self.assert_refused_and_unchanged(owner.save)
        self.assert_refused_and_unchanged(
            lambda: ActionOwner.objects.create(action=action, role="Clerk", position=9)
        )
        self.assert_refused_and_unchanged(action.owners.first().delete)

    def test_an_actions_status_lives_on_and_changes_no_published_byte(self) -> None:
        before = self.public()
        action = Action.objects.filter(meeting=self.march, item__isnull=False).first()
        action.status, action.status_note = "complete", "Done since."
        action.save()
        self.assertEqual(self.public(), before)

    def test_a_paper_of_a_published_agenda_cannot_change_or_go(self) -> None:
        paper = Paper.objects.filter(item__meeting__key="2019-05-01").first()
        paper.executive_summary = "Rewritten."
        with self.assertRaises(ValidationError) as caught:
            paper.save()
        self.assertIn(
            "published agenda and papers of the meeting of 1 May 2019", str(caught.exception)
        )
        with self.assertRaises(ValidationError), transaction.atomic():
            Paper.objects.get(pk=paper.pk).delete()

    def test_the_terms_in_force_and_their_seats_and_quorum_groups_cannot_change(self) -> None:
        terms = self.march.terms()
        terms.substitutes_count = not terms.substitutes_count
        message = self.assert_refused_and_unchanged(terms.save)
        self.assertIn("Draft a new version", message)
        seat = Seat.objects.filter(terms=terms, count__isnull=False).first()
        seat.count += 1
        self.assertRaises(ValidationError, seat.save)
        group = QuorumGroup.objects.filter(terms=terms).first()
        with self.assertRaises(ValidationError), transaction.atomic():
            group.delete()

    def test_an_appointment_cannot_change_who_was_a_member_at_locked_minutes(self) -> None:
        appointment = Appointment.objects.filter(
            body=self.march.body, start__lte=self.march.date, end__isnull=True
        ).first()
        appointment.end = dt.date(2019, 3, 1)
        with self.assertRaises(ValidationError) as caught:
            appointment.save()
        self.assertIn("6 March 2019", str(caught.exception))
        # Ending it after the last locked meeting is a resignation: always allowed.
        appointment.end = dt.date(2030, 1, 1)
        appointment.save()


class WritePathTests(PublishedRecordTests):
    """The same locks on each path: the workspace, the admin, the importer, the partners'
    portal and the API."""

    def test_the_workspace_refuses_new_details_without_a_reason(self) -> None:
        before = self.public()
        self.client.force_login(self.secretary)
        response = self.client.post(
            f"/manage/prg/meetings/{self.march.key}/agenda/",
            {
                "details": "1",
                "date": "2019-03-07",
                "start_time": "14:00",
                "end_time": "15:55",
                "place": "Elsewhere",
                "version": str(self.march.version),
            },
        )
        self.assertContains(response, "Record a correction", status_code=response.status_code)
        self.assertEqual(Meeting.objects.get(pk=self.march.pk).date, dt.date(2019, 3, 6))
        self.assertEqual(self.public(), before)

    def test_the_workspace_refuses_changing_the_owners_of_a_printed_action(self) -> None:
        action = Action.objects.filter(
            meeting=self.march, confirmed=True, item__isnull=False
        ).first()
        self.client.force_login(self.secretary)
        before_owners = action.owners_display()
        self.client.post(
            f"/manage/prg/actions/{self.march.key}/{action.key}/",
            {
                "description": action.description,
                "owners": "Clerk and Somebody Else",
                "ongoing": "on",
                "version": str(action.version),
            },
        )
        self.assertEqual(Action.objects.get(pk=action.pk).owners_display(), before_owners)

    def test_the_admin_shows_a_published_meeting_and_its_minutes_read_only(self) -> None:
        self.client.force_login(self.secretary)
        page = self.client.get(f"/admin/meetings/meeting/{self.march.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="place"')
        self.assertNotContains(page, 'name="date"')
        item = self.march.items.get(number="4")
        page = self.client.get(f"/admin/meetings/agendaitem/{item.pk}/change/")
        self.assertNotContains(page, 'name="paragraphs-0-text"')
        # No row to add, none to remove.
        self.assertContains(page, 'name="paragraphs-MAX_NUM_FORMS" value="0"')
        self.assertNotContains(page, 'name="paragraphs-0-DELETE"')
        before = self.public()
        self.client.post(f"/admin/meetings/meeting/{self.march.pk}/change/", {"place": "Elsewhere"})
        self.assertEqual(Meeting.objects.get(pk=self.march.pk).place, self.march.place)
        self.assertEqual(self.public(), before)

    def test_the_admin_shows_endorsed_terms_read_only(self) -> None:
        self.client.force_login(self.secretary)
        terms = self.march.terms()
        page = self.client.get(f"/admin/members/termsofreference/{terms.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="substitutes_count"')
        self.assertNotContains(page, 'name="seats-0-count"')

    def test_an_import_that_changes_published_minutes_is_refused_whole(self) -> None:
        document = export_records("prg")
        meeting = next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-03-06")
        meeting["place"] = "Somewhere else"
        before = self.public()
        with self.assertRaises(RecordsError) as caught:
            import_records(document)
        self.assertIn("Record a correction", str(caught.exception.errors))
        self.assertEqual(self.public(), before)

    def test_the_api_writes_nothing(self) -> None:
        before = self.public()
        for method in (self.client.post, self.client.put, self.client.delete):
            response = method("/api/bodies/prg/meetings/2019-03-06/", {"place": "X"})
            self.assertIn(response.status_code, (403, 404, 405))
        self.assertEqual(self.public(), before)


class CorrectionTests(PublishedRecordTests):
    def test_correcting_a_minute_issues_version_2_listed_with_its_reason(self) -> None:
        paragraph = MinuteParagraph.objects.filter(item__meeting=self.march).first()
        old_pdf = self.public()[MARCH + "minutes.pdf"]
        correct_minutes(
            paragraph, text="Corrected wording.", reason="Name misspelt.", user=self.secretary
        )
        page = self.public()
        self.assertIn(b"Corrected wording.", page[MARCH + "minutes/"])
        self.assertNotEqual(page[MARCH + "minutes.pdf"], old_pdf)
        self.assertIn(b"Version 2", page[MARCH])
        self.assertIn(b"Name misspelt.", page[MARCH])
        self.assertEqual(content(self.client.get(MARCH + "documents/1/minutes.pdf")), old_pdf)

    def test_correcting_the_meetings_place_reissues_agenda_and_minutes(self) -> None:
        correct_meeting_details(
            self.march,
            date=self.march.date,
            start_time=self.march.start_time,
            end_time=self.march.end_time,
            place="Committee Room 2, City Hall",
            reason="The room changed on the day.",
            user=self.secretary,
        )
        latest = {d.kind: d.version for d in StoredDocument.objects.filter(meeting=self.march)}
        self.assertEqual(latest[Kind.MINUTES], 2)
        self.assertEqual(latest[Kind.AGENDA], 2)
        correction = self.march.corrections.get()
        self.assertEqual(
            (correction.reason, correction.made_by),
            ("The room changed on the day.", self.secretary),
        )
        self.assertIn(b"Committee Room 2", self.public()[MARCH + "minutes/"])

    def test_a_correction_needs_a_reason(self) -> None:
        with self.assertRaises(ValidationError):
            correct_meeting_details(
                self.march,
                date=self.march.date,
                start_time=self.march.start_time,
                end_time=self.march.end_time,
                place="Elsewhere",
                reason=" ",
                user=self.secretary,
            )

    def test_the_html_minutes_read_the_frozen_snapshot_not_the_records(self) -> None:
        before = self.public()[MARCH + "minutes/"]
        person = Person.objects.get(key="jake-ferguson")
        person.name = "Renamed Person"
        person.save()
        self.assertEqual(self.public()[MARCH + "minutes/"], before)
