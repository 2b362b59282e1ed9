"""The paths the save guard does not see: writes that send no signal (renumbering, the
attendance's order), the partners' portal and the admin's inline forms.

Each is refused before anything is written, or changes nothing a published document shows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from meetings.lock_scope import recording_history
from meetings.models import Attendance, Meeting, MinuteParagraph
from meetings.services.agenda import move_item, renumber_items
from meetings.services.attendance import record_attendance
from tests.lifecycle.test_published_record_lock import PublishedRecordTests


def posted_back(response: Any) -> dict[str, str]:
    """The admin change page's form and inline forms as the browser would post them back."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, str] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


class SignalFreeWriteTests(PublishedRecordTests):
    """`QuerySet.update()` and `bulk_update` send no signal: the services ask the policy first."""

    def test_renumbering_a_published_agenda_is_refused_before_any_item_is_written(self) -> None:
        may = Meeting.objects.get(key="2019-05-01")
        numbers = list(may.items.order_by("position").values_list("number", flat=True))
        item = may.items.order_by("position")[3]
        for change in (
            lambda: move_item(item, up=True, version=may.version),
            lambda: renumber_items(may, {item.pk: True}),
        ):
            with (
                CaptureQueriesContext(connection) as queries,
                self.assertRaises(ValidationError) as caught,
            ):
                change()
            self.assertIn(
                "published agenda and papers of the meeting of 1 May 2019", str(caught.exception)
            )
            writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
            self.assertFalse([sql for sql in writes if "meetings_agendaitem" in sql], writes)
        self.assertEqual(
            list(may.items.order_by("position").values_list("number", flat=True)), numbers
        )

    def test_the_order_of_locked_attendance_is_not_rewritten_by_saving_it(self) -> None:
        # A record of the past kept in the order it was entered, not the order the
        # workspace gives a new record.
        rows = list(Attendance.objects.filter(meeting=self.march).order_by("position"))
        with recording_history():
            for position, row in enumerate(reversed(rows)):
                Attendance.objects.filter(pk=row.pk).update(position=position)
        before = dict(Attendance.objects.filter(meeting=self.march).values_list("pk", "position"))
        with self.assertRaises(ValidationError) as caught:
            record_attendance(self.march, [], version=self.march.attendance_version)
        self.assertIn("approved minutes of the meeting of 6 March 2019", str(caught.exception))
        self.assertEqual(
            dict(Attendance.objects.filter(meeting=self.march).values_list("pk", "position")),
            before,
        )


class PartnerPortalTests(PublishedRecordTests):
    """A partner updates the status of their own action on published minutes; nothing else."""

    def test_a_partner_updates_their_printed_actions_status_but_not_its_text_or_owners(
        self,
    ) -> None:
        action = Action.objects.get(key="2019-03-06-3-1")
        owners, description = action.owners_display(), action.description
        before = self.public()
        self.client.force_login(self.partner)
        prefix = f"action-{action.pk}"
        response = self.client.post(
            f"/partners/prg/actions/{self.march.key}/{action.key}/",
            {
                f"{prefix}-status": "complete",
                f"{prefix}-note": "The plan was shared with every partner.",
                f"{prefix}-version": str(action.version),
                # Fields the portal's form does not have: ignored, never saved.
                f"{prefix}-description": "Rewritten by a partner.",
                f"{prefix}-owners": "Somebody Else",
                f"{prefix}-confirmed": "",
                f"{prefix}-item": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        action = Action.objects.get(pk=action.pk)
        self.assertEqual(
            (action.status, action.status_note),
            ("complete", "The plan was shared with every partner."),
        )
        self.assertEqual((action.description, action.owners_display()), (description, owners))
        self.assertTrue(action.confirmed and action.item_id)
        self.assertEqual(self.public(), before)


class AdminInlineTests(PublishedRecordTests):
    """The admin's change forms, posted as a browser would with every row altered: the
    locked records of the 6 March meeting stay as they are."""

    def post_altered(self, url: str, alter: dict[str, str]) -> None:
        """Post the change form back with these values altered: saved as the admin saves
        (a redirect), with nothing locked changed."""
        self.client.force_login(self.secretary)  # public() signs out
        data = posted_back(self.client.get(url))
        data.update(alter)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

    def test_an_items_paragraph_inline_posted_with_changes_changes_nothing(self) -> None:
        item = self.march.items.get(number="4")
        paragraphs = list(MinuteParagraph.objects.filter(item=item).values_list("pk", "text"))
        self.assertTrue(paragraphs)
        first = paragraphs[0][0]
        before = self.public()
        self.post_altered(
            f"/admin/meetings/agendaitem/{item.pk}/change/",
            {
                "title": "Retitled in the admin",
                "paragraphs-TOTAL_FORMS": str(len(paragraphs) + 1),
                "paragraphs-MAX_NUM_FORMS": "1000",
                "paragraphs-0-id": str(first),
                "paragraphs-0-item": str(item.pk),
                "paragraphs-0-text": "Rewritten in the admin.",
                "paragraphs-0-position": "0",
                "paragraphs-0-DELETE": "on",
                f"paragraphs-{len(paragraphs)}-item": str(item.pk),
                f"paragraphs-{len(paragraphs)}-text": "Added in the admin.",
                f"paragraphs-{len(paragraphs)}-position": "9",
            },
        )
        self.assertEqual(
            list(MinuteParagraph.objects.filter(item=item).values_list("pk", "text")), paragraphs
        )
        self.assertEqual(self.march.items.get(pk=item.pk).title, item.title)
        self.assertEqual(self.public(), before)

    def test_a_meetings_item_and_attendance_inlines_posted_with_changes_change_nothing(
        self,
    ) -> None:
        items = list(self.march.items.values_list("pk", "number", "title", "outcome"))
        attendance = list(
            Attendance.objects.filter(meeting=self.march).values_list("pk", "capacity", "remote")
        )
        before = self.public()
        self.post_altered(
            f"/admin/meetings/meeting/{self.march.pk}/change/",
            {
                "place": "Elsewhere",
                "items-0-title": "Retitled in the admin",
                "items-0-outcome": "agreed",
                "items-0-DELETE": "on",
                "attendance-0-capacity": "apologies",
                "attendance-0-remote": "on",
                "attendance-0-DELETE": "on",
            },
        )
        self.assertEqual(
            list(self.march.items.values_list("pk", "number", "title", "outcome")), items
        )
        self.assertEqual(
            list(
                Attendance.objects.filter(meeting=self.march).values_list(
                    "pk", "capacity", "remote"
                )
            ),
            attendance,
        )
        self.assertEqual(self.public(), before)
