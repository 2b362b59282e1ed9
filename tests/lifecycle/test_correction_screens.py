"""The workspace's correction screens for what a published document shows: an agenda item,
the attendance of approved minutes, an action's owners, and withdrawing a published paper as
exempt. Each asks for a reason, records who and when, and issues new versions that the public
meeting page lists with their reason; only the body's own secretaries reach them."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from meetings.lock_scope import recording_history
from meetings.models import Attendance, Meeting, MinutesCorrection
from meetings.services.corrections import correct_item
from reports.models import Paper, StoredDocument
from reports.services import AGENDA_KINDS, MINUTES_KINDS, freeze_documents
from tests.demo import load_demo
from tests.pdfs import TemporaryMedia, read_pdf
from tests.world import CastMixin

Kind = StoredDocument.Kind
MARCH = "/prg/meetings/2019-03-06/"
MAY = "/prg/meetings/2019-05-01/"
WS_MARCH = "/manage/prg/meetings/2019-03-06/"
WS_MAY = "/manage/prg/meetings/2019-05-01/"
PAPER = "vru-delivery-model"
ITEM_URL = WS_MAY + "agenda/items/8/correct/"
ATTENDANCE_URL = WS_MARCH + "attendance/correct/"
ACTION_KEY = "2019-03-06-4-1"
ACTION_URL = f"/manage/prg/actions/2019-03-06/{ACTION_KEY}/correct/"
WITHDRAW_URL = WS_MAY + f"agenda/items/8/papers/{PAPER}/withdraw/"


def content(response: HttpResponse) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return response.content


def summary(response: HttpResponse) -> str:
    """The error summary of a page shown again (for a failing assertion's message)."""
    text = response.content.decode()
    start = text.find('id="error-summary"')
    return f"{response.status_code}: {text[start : start + 1500] if start >= 0 else text[:300]}"


def latest_correction(meeting: Meeting) -> MinutesCorrection:
    return MinutesCorrection.objects.filter(meeting=meeting).latest("made_at", "pk")


def latest(meeting: Meeting, kind: str) -> StoredDocument:
    return StoredDocument.objects.filter(meeting=meeting, kind=kind).latest("version")


class World(CastMixin, TemporaryMedia):
    """6 March 2019 (agenda and minutes published and frozen) and 1 May 2019 (agenda
    published and frozen), as the demo has them."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.cast_on_the_records()
        cls.march = Meeting.objects.select_related("body").get(key="2019-03-06")
        cls.may = Meeting.objects.select_related("body").get(key="2019-05-01")
        freeze_documents(cls.march, [*AGENDA_KINDS, *MINUTES_KINDS])
        freeze_documents(cls.may, AGENDA_KINDS)

    def setUp(self) -> None:
        self.client = self.client_for(self.secretary)

    def public_page(self, url: str) -> str:
        return self.client_for(None).get(url).content.decode()


class ItemCorrectionTests:
    def test_the_item_page_of_a_published_agenda_links_to_its_correction(self) -> None:
        page = self.client.get(WS_MAY + "agenda/items/8/").content.decode()
        self.assertIn('id="item-published"', page)
        self.assertIn(ITEM_URL, page)

    def test_correcting_a_presenter_issues_new_agenda_versions_listed_with_the_reason(
        self,
    ) -> None:
        item = self.may.items.get(number="8")
        old_agenda = latest(self.may, Kind.AGENDA)
        response = self.client.post(
            ITEM_URL,
            {
                "title": item.title,
                "presenter": "Lib Peck, Director of the Violence Reduction Unit",
                "kind": item.kind,
                "reason": "The agenda named the wrong presenter.",
                "version": item.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual(item.presenter, "Lib Peck, Director of the Violence Reduction Unit")
        correction = MinutesCorrection.objects.get(meeting=self.may)
        self.assertEqual(correction.made_by, self.secretary)
        self.assertEqual(correction.reason, "The agenda named the wrong presenter.")
        self.assertIn("Item 8", correction.before)
        self.assertIn("Director of the Violence Reduction Unit", correction.after)
        agenda = latest(self.may, Kind.AGENDA)
        self.assertEqual(agenda.version, old_agenda.version + 1)
        self.assertTrue(agenda.is_correction)
        self.assertIn("The agenda named the wrong presenter.", agenda.correction_note)
        text = read_pdf(agenda.file.read()).all_text()
        self.assertIn(f"Correction — version {agenda.version}", text)
        self.assertIn("Director of the Violence Reduction Unit", text)
        # The public page lists the new version with its reason; version 1 stays downloadable.
        page = self.public_page(MAY)
        self.assertIn("The agenda named the wrong presenter.", page)
        self.assertIn(f"Version {agenda.version}", page)
        self.assertEqual(self.client_for(None).get(MAY + "documents/1/agenda.pdf").status_code, 200)

    def test_a_correction_without_a_reason_changes_nothing(self) -> None:
        item = self.may.items.get(number="8")
        response = self.client.post(
            ITEM_URL,
            {
                "title": "Another title",
                "presenter": "",
                "kind": item.kind,
                "reason": " ",
                "version": item.version,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("error-summary", response.content.decode())
        item.refresh_from_db()
        self.assertNotEqual(item.title, "Another title")
        self.assertFalse(MinutesCorrection.objects.filter(meeting=self.may).exists())
        self.assertEqual(latest(self.may, Kind.AGENDA).version, 1)

    def test_a_correction_keeps_the_published_numbering(self) -> None:
        item = self.may.items.get(number="8")
        with self.assertRaisesMessage(Exception, "keeps the numbering"):
            correct_item(
                item,
                title=item.title,
                presenter="Someone",
                kind=item.kind,
                sub_item=True,
                reason="Why not.",
                user=self.secretary,
            )

    def test_a_draft_agenda_has_no_correction_page(self) -> None:
        draft = Meeting.objects.filter(body=self.body, status=Meeting.Status.DRAFT).first()
        if draft is None:
            self.skipTest("The demo has no draft meeting.")
        item = draft.items.first()
        url = f"/manage/prg/meetings/{draft.key}/agenda/items/{item.number}/correct/"
        self.assertEqual(self.client.get(url).status_code, 404)


class AttendanceCorrectionTests:
    def rows(self) -> dict[str, str]:
        """The correction form as the page fills it: every record as it stands."""
        data: dict[str, str] = {
            "version": str(Meeting.objects.get(pk=self.march.pk).attendance_version)
        }
        for a in self.march.attendance.all():
            prefix = f"r{a.pk}-"
            data[prefix + "capacity"] = a.capacity
            data[prefix + "on_behalf_of"] = str(a.on_behalf_of_id or "")
            if a.remote:
                data[prefix + "remote"] = "on"
            data[prefix + "from_item"] = str(a.from_item_id or "")
            data[prefix + "to_item"] = str(a.to_item_id or "")
        return data

    def test_the_page_makes_as_many_queries_for_39_records_as_for_29(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(ATTENDANCE_URL).status_code, 200)
            return len(captured)

        many = queries()
        with recording_history():
            for record in self.march.attendance.filter(capacity="in_attendance")[:10]:
                record.delete()
        self.assertEqual(self.march.attendance.count(), 29)
        self.assertEqual(queries(), many)

    def test_the_minutes_page_links_to_the_attendance_correction(self) -> None:
        page = self.client.get(WS_MARCH + "minutes/").content.decode()
        self.assertIn(ATTENDANCE_URL, page)

    def test_recording_a_member_as_having_sent_apologies_reissues_the_minutes(self) -> None:
        record = self.march.attendance.get(person__key="ben-lindsay")
        data = self.rows()
        data[f"r{record.pk}-capacity"] = Attendance.Capacity.APOLOGIES
        data["correction-reason"] = "Ben Lindsay sent apologies; he was not there."
        old = latest(self.march, Kind.MINUTES)
        response = self.client.post(ATTENDANCE_URL, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        record.refresh_from_db()
        self.assertEqual(record.capacity, Attendance.Capacity.APOLOGIES)
        correction = MinutesCorrection.objects.get(meeting=self.march)
        self.assertEqual(correction.what, "the attendance record")
        self.assertIn("Ben Lindsay: Member", correction.before)
        self.assertIn("Ben Lindsay: Apologies", correction.after)
        self.assertEqual(correction.made_by, self.secretary)
        minutes = latest(self.march, Kind.MINUTES)
        self.assertEqual(minutes.version, old.version + 1)
        self.assertIn("Ben Lindsay sent apologies", minutes.correction_note)
        html = self.public_page(MARCH + "minutes/")
        apologies = html[html.index("Apologies") :]
        self.assertIn("Ben Lindsay", apologies)
        self.assertIn("Ben Lindsay sent apologies", self.public_page(MARCH))

    def test_removing_a_record_and_adding_a_person_missed_from_it(self) -> None:
        removed = self.march.attendance.get(person__key="ben-lindsay")
        data = self.rows()
        data[f"r{removed.pk}-capacity"] = "remove"
        data["correction-reason"] = "Ben Lindsay was recorded by mistake."
        response = self.client.post(ATTENDANCE_URL, data)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.march.attendance.filter(person__key="ben-lindsay").exists())
        data = self.rows()
        data.update(
            {
                "n1-person": str(removed.person_id),
                "n1-capacity": Attendance.Capacity.MEMBER,
                "n1-from_item": str(self.march.items.get(number="4").pk),
                "correction-reason": "He came in at item 4.",
            }
        )
        response = self.client.post(ATTENDANCE_URL, data)
        self.assertEqual(response.status_code, 302, summary(response))
        record = self.march.attendance.get(person__key="ben-lindsay")
        self.assertEqual(record.from_item.number, "4")
        self.assertEqual(MinutesCorrection.objects.filter(meeting=self.march).count(), 2)
        self.assertIn("Ben Lindsay: Member, items 4 to close", latest_correction(self.march).after)

    def test_no_reason_or_no_change_or_a_bad_row_changes_nothing(self) -> None:
        record = self.march.attendance.get(person__key="ben-lindsay")
        cases = []
        data = self.rows()
        data[f"r{record.pk}-capacity"] = Attendance.Capacity.APOLOGIES
        cases.append((data, "Give the reason"))
        data = self.rows()
        data["correction-reason"] = "Nothing really."
        cases.append((data, "Nothing was changed"))
        data = self.rows()
        data[f"r{record.pk}-capacity"] = Attendance.Capacity.SUBSTITUTE
        data["correction-reason"] = "A substitute with no member."
        cases.append((data, "Name the member the substitute attended for"))
        data = self.rows()
        data["version"] = "999"
        data[f"r{record.pk}-capacity"] = Attendance.Capacity.APOLOGIES
        data["correction-reason"] = "Made from a page opened long ago."
        cases.append((data, "Someone else saved the attendance"))
        for data, message in cases:
            with self.subTest(message):
                response = self.client.post(ATTENDANCE_URL, data)
                self.assertIn(response.status_code, (200, 409))
                self.assertIn(message, response.content.decode())
                record.refresh_from_db()
                self.assertEqual(record.capacity, Attendance.Capacity.MEMBER)
        self.assertFalse(MinutesCorrection.objects.filter(meeting=self.march).exists())
        self.assertEqual(latest(self.march, Kind.MINUTES).version, 1)

    def test_a_meeting_whose_minutes_are_not_approved_has_no_attendance_correction(
        self,
    ) -> None:
        self.assertEqual(self.client.get(WS_MAY + "attendance/correct/").status_code, 404)


class ActionCorrectionTests:
    def test_the_action_page_and_the_minutes_link_to_the_correction(self) -> None:
        detail = self.client.get(f"/manage/prg/actions/2019-03-06/{ACTION_KEY}/")
        self.assertIn(ACTION_URL, detail.content.decode())
        self.assertIn(ACTION_URL, self.client.get(WS_MARCH + "minutes/").content.decode())

    def test_a_printed_actions_page_shows_its_owners_without_offering_them(self) -> None:
        # Issue 13: a locked record's page shows it instead of a field refused on submit.
        action = Action.objects.get(key=ACTION_KEY)
        url = f"/manage/prg/actions/2019-03-06/{ACTION_KEY}/"
        page = self.client.get(url).content.decode()
        field = re.search(r"<input[^>]*name=\"owners\"[^>]*>", page)
        assert field and "disabled" in field.group(0), page[:3000]
        self.assertIn("change them by recording a correction", page)
        # A posted change of owners is ignored; the rest of the form saves.
        response = self.client.post(
            url,
            {
                "save": "",
                "description": action.description,
                "deadline": "2019-06-30",
                "owners": "Jake Ferguson",
                "version": action.version,
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        saved = Action.objects.get(pk=action.pk)
        self.assertEqual(saved.owners_display(), "Lib Peck")
        self.assertEqual(saved.deadline.isoformat(), "2019-06-30")

    def test_correcting_an_actions_owner_reissues_the_minutes_that_print_it(self) -> None:
        action = Action.objects.get(key=ACTION_KEY)
        old = latest(self.march, Kind.MINUTES)
        response = self.client.post(
            ACTION_URL,
            {
                "description": action.description,
                "deadline": "",
                "ongoing": "on" if action.ongoing else "",
                "owners": "Jake Ferguson",
                "version": action.version,
                "correction-reason": "The action was given to Jake Ferguson, not Lib Peck.",
            }
            | ({"deadline": action.deadline.isoformat()} if action.deadline else {}),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertEqual(Action.objects.get(pk=action.pk).owners_display(), "Jake Ferguson")
        correction = MinutesCorrection.objects.get(meeting=self.march)
        self.assertIn("Owners: Lib Peck", correction.before)
        self.assertIn("Owners: Jake Ferguson", correction.after)
        minutes = latest(self.march, Kind.MINUTES)
        self.assertEqual(minutes.version, old.version + 1)
        html = self.public_page(MARCH + "minutes/")
        self.assertIn("Action: Jake Ferguson", html)
        # Version 1 still prints what was published.
        v1 = read_pdf(content(self.client_for(None).get(MARCH + "documents/1/minutes.pdf")))
        self.assertIn("Action: Lib Peck", v1.all_text())

    def test_correcting_an_actions_owner_reissues_the_later_actions_arising_report(
        self,
    ) -> None:
        # Issue 12: 1 May 2019's actions-arising report (and the packs carrying it) printed
        # the action of 6 March too, so the correction issues it again, status as at 1 May.
        action = Action.objects.get(key=ACTION_KEY)
        old = latest(self.may, Kind.ACTIONS_ARISING)
        v1 = read_pdf(content(self.client_for(None).get(MAY + "documents/1/actions-arising.pdf")))
        self.assertIn("Lib Peck", v1.all_text())
        response = self.client.post(
            ACTION_URL,
            {
                "description": action.description,
                "ongoing": "on" if action.ongoing else "",
                "owners": "Jake Ferguson",
                "version": action.version,
                "correction-reason": "The action was given to Jake Ferguson, not Lib Peck.",
            }
            | ({"deadline": action.deadline.isoformat()} if action.deadline else {}),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        report = latest(self.may, Kind.ACTIONS_ARISING)
        self.assertEqual(report.version, old.version + 1)
        self.assertIn("not Lib Peck", report.correction_note)
        self.assertIn("6 March 2019", report.correction_note)
        text = read_pdf(
            content(
                self.client_for(None).get(MAY + f"documents/{report.version}/actions-arising.pdf")
            )
        ).all_text()
        self.assertIn(f"Correction — version {report.version}", text)
        self.assertIn("Jake Ferguson", text)
        self.assertIn("not Lib Peck", text)
        # The packs carry the report the secretary attached to item 4 (not the generated
        # one) and the agenda prints no action: neither is issued again.
        self.assertTrue(self.may.items.get(number="4").papers.exists())
        for kind in (Kind.PACK, Kind.PARTNERS_PACK, Kind.AGENDA):
            with self.subTest(kind=kind):
                self.assertEqual(latest(self.may, kind).version, 1)
        # Version 1 of the report is still downloadable, as it was published.
        again = read_pdf(
            content(self.client_for(None).get(MAY + "documents/1/actions-arising.pdf"))
        )
        self.assertEqual(again.all_text(), v1.all_text())
        # The correction is recorded once, against the meeting whose minutes print it.
        self.assertFalse(MinutesCorrection.objects.filter(meeting=self.may).exists())

    def test_a_change_of_owners_without_a_reason_is_refused(self) -> None:
        action = Action.objects.get(key=ACTION_KEY)
        response = self.client.post(
            ACTION_URL,
            {
                "description": action.description,
                "ongoing": "on",
                "owners": "Jake Ferguson",
                "version": action.version,
                "correction-reason": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Action.objects.get(pk=action.pk).owners_display(), "Lib Peck")
        self.assertEqual(latest(self.march, Kind.MINUTES).version, 1)

    def test_an_action_the_minutes_do_not_print_has_no_correction_page(self) -> None:
        url = "/manage/prg/actions/2019-05-01/no-such-action/correct/"
        self.assertEqual(self.client.get(url).status_code, 404)


class WithdrawPaperScreenTests:
    ANSWERS = {
        "exemption_section": "s.43 (commercial interests)",
        "exemption_reason": "Names the providers still negotiating.",
        "review_on": "2030-05-01",
        "reason": "The paper names providers still negotiating.",
    }

    def answers(self) -> dict[str, str]:
        version = Paper.objects.get(item__meeting=self.may, key=PAPER).version
        return {**self.ANSWERS, "version": str(version)}

    def test_the_item_page_offers_to_withdraw_a_published_public_paper(self) -> None:
        page = self.client.get(WS_MAY + "agenda/items/8/").content.decode()
        self.assertIn(WITHDRAW_URL, page)

    def test_the_first_post_asks_to_confirm_and_changes_nothing(self) -> None:
        response = self.client.post(WITHDRAW_URL, self.answers())
        page = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Check before you withdraw it", page)
        self.assertIn("EXEMPT — NOT FOR PUBLICATION", page)
        self.assertIn('name="confirmed" value="on"', page)
        self.assertFalse(Paper.objects.get(key=PAPER, item__meeting=self.may).is_exempt)
        self.assertEqual(self.client_for(None).get(MAY + f"papers/{PAPER}.pdf").status_code, 200)

    def test_confirming_withdraws_the_paper_from_every_public_version(self) -> None:
        self.client.post(WITHDRAW_URL, self.answers())
        response = self.client.post(WITHDRAW_URL, {**self.answers(), "confirmed": "on"})
        self.assertEqual(response.status_code, 302)
        paper = Paper.objects.get(key=PAPER, item__meeting=self.may)
        self.assertTrue(paper.is_exempt)
        self.assertEqual(paper.exemption_review_on, dt.date(2030, 5, 1))
        public = self.client_for(None)
        self.assertEqual(public.get(MAY + f"papers/{PAPER}.pdf").status_code, 404)
        self.assertEqual(public.get(MAY + "documents/1/pack.pdf").status_code, 404)
        self.assertIn("Version 1 (withdrawn", self.public_page(MAY))
        correction = MinutesCorrection.objects.get(meeting=self.may)
        self.assertEqual(correction.made_by, self.secretary)
        # Partners still read it, stamped, in a copy that says it is a correction.
        partners = self.client_for(self.partner)
        copy = read_pdf(content(partners.get(MAY + f"papers/{PAPER}.pdf"))).all_text()
        self.assertIn("NOT FOR PUBLICATION", copy)
        self.assertIn("Correction — version 2", copy)
        self.assertIn("The paper names providers still negotiating.", copy)

    def test_a_withdrawal_needs_every_answer(self) -> None:
        for field in ("exemption_section", "exemption_reason", "review_on", "reason"):
            with self.subTest(field):
                data = {**self.answers(), field: "", "confirmed": "on"}
                response = self.client.post(WITHDRAW_URL, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("error-summary", response.content.decode())
        self.assertFalse(Paper.objects.get(key=PAPER, item__meeting=self.may).is_exempt)

    def test_an_exempt_paper_or_a_draft_agenda_has_no_withdrawal(self) -> None:
        exempt = Paper.objects.filter(classification=Paper.Classification.EXEMPT).first()
        if exempt is not None:
            m = exempt.item.meeting
            url = (
                f"/manage/{m.body.slug}/meetings/{m.key}/agenda/items/{exempt.item.number}/"
                f"papers/{exempt.key}/withdraw/"
            )
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(WS_MAY + "agenda/items/8/papers/no-such-paper/withdraw/").status_code,
            404,
        )


class CorrectionPermissionTests:
    """Partners get 403, another body's secretary 404, the public the sign-in page; none of
    them changes anything, whatever they post."""

    def urls(self) -> list[str]:
        return [
            WS_MAY + "agenda/items/8/correct/",
            WS_MARCH + "attendance/correct/",
            "/manage/prg/actions/2019-03-06/2019-03-06-4-1/correct/",
            WS_MAY + f"agenda/items/8/papers/{PAPER}/withdraw/",
        ]

    def test_only_the_bodys_secretaries_reach_the_correction_screens(self) -> None:
        post = {
            **WithdrawPaperScreenTests.ANSWERS,
            "confirmed": "on",
            "title": "Hijacked",
            "presenter": "X",
            "kind": "business",
            "owners": "Outsider Person",
            "description": "Hijacked",
            "ongoing": "on",
            "correction-reason": "Because.",
        }
        for who, user, expected in [
            ("partner", self.partner, 403),
            ("other body's secretary", self.other_secretary, 404),
            ("other body's partner", self.outsider, 404),
            ("public", None, 302),
        ]:
            client = self.client_for(user)
            for url in self.urls():
                for method in (client.get, client.post):
                    with self.subTest(who=who, url=url, method=method.__name__):
                        response = method(url, post)
                        self.assertEqual(response.status_code, expected)
                        if expected == 302:
                            self.assertIn("/accounts/", response["Location"])
        self.assertFalse(MinutesCorrection.objects.exists())
        self.assertFalse(Paper.objects.get(key=PAPER, item__meeting=self.may).is_exempt)
        self.assertFalse(self.may.items.filter(title="Hijacked").exists())
        self.assertEqual(StoredDocument.objects.filter(is_correction=True).count(), 0)


class CorrectionScreenTests(
    ItemCorrectionTests,
    AttendanceCorrectionTests,
    ActionCorrectionTests,
    WithdrawPaperScreenTests,
    CorrectionPermissionTests,
    World,
    TestCase,
):
    """Every screen's tests over one world (loading and freezing the demo takes a while)."""
