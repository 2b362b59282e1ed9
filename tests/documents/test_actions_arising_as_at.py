"""The actions-arising report speaks as at its meeting: each action's status as it stood when
the meeting's agenda was published, whenever the report is rendered or frozen."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from actions.models import Action, ActionOwner
from actions.services import add_update
from meetings.models import Meeting
from reports.documents.actions_arising import ActionsArising, build_actions_arising
from tests.world import D, make_body


def statuses(report: ActionsArising) -> dict[str, str]:
    return {row.action: row.status for group in report.groups for row in group.rows}


class ActionsArisingAsAtTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body("asat")

        def meeting(key: str, status: str) -> Meeting:
            return Meeting.objects.create(
                body=cls.body,
                key=key,
                date=D.fromisoformat(key),
                start_time=dt.time(14),
                status=status,
            )

        cls.january = meeting("2019-01-22", Meeting.Status.MINUTES_PUBLISHED)
        cls.march = meeting("2019-03-06", Meeting.Status.AGENDA_PUBLISHED)
        cls.may = meeting("2019-05-01", Meeting.Status.DRAFT)
        cls.action = Action.objects.create(
            meeting=cls.january,
            key="2019-01-22-6-1",
            description="Bring the community share of the membership to 30%.",
            ongoing=True,
            status="ongoing",
            status_note="Recruitment under way.",
        )
        ActionOwner.objects.create(action=cls.action, role="Clerk")

    def publish(self, meeting: Meeting) -> None:
        meeting.status = Meeting.Status.AGENDA_PUBLISHED
        meeting.agenda_published_at = timezone.now()
        meeting.save()

    def test_a_report_for_an_earlier_meeting_does_not_quote_a_later_update(self) -> None:
        self.publish(self.march)
        add_update(
            self.action,
            status="complete",
            note="To be considered at Item 9 of the 1 May meeting.",
            author=None,
        )
        self.publish(self.may)
        description = self.action.description
        march = statuses(build_actions_arising(self.march))
        may = statuses(build_actions_arising(self.may))
        assert march[description] == "Ongoing: Recruitment under way."
        assert may[description] == "Complete: To be considered at Item 9 of the 1 May meeting."

    def test_an_update_dated_after_the_publication_is_left_out_even_when_entered_before(
        self,
    ) -> None:
        # Imported records carry dated updates but no time of entry: the date decides.
        add_update(
            self.action,
            status="complete",
            note="To be considered at Item 9 of the 1 May meeting.",
            author=None,
            date=D(2019, 4, 24),
        )
        self.march.agenda_published_at = timezone.make_aware(dt.datetime(2019, 2, 27, 10))
        self.march.save()
        march = statuses(build_actions_arising(self.march))
        assert march[self.action.description] == "Open"

    def test_an_undated_imported_status_counts_from_the_last_agenda_out_when_imported(
        self,
    ) -> None:
        # As the demo: imported meetings do not say when their agenda was published, and the
        # action's status (written for the 1 May report) came with no dated update.
        self.may.status = Meeting.Status.AGENDA_PUBLISHED
        self.may.save()
        Action.objects.filter(pk=self.action.pk).update(
            status="complete", status_note="To be considered at Item 9 of the 1 May meeting."
        )
        Action.history.filter(id=self.action.pk).update(
            status="complete", status_note="To be considered at Item 9 of the 1 May meeting."
        )
        description = self.action.description
        assert statuses(build_actions_arising(self.march))[description] == "Open"
        assert statuses(build_actions_arising(self.may))[description] == (
            "Complete: To be considered at Item 9 of the 1 May meeting."
        )

    def test_a_draft_agenda_reports_the_statuses_of_today(self) -> None:
        add_update(self.action, status="complete", note="Done.", author=None)
        self.may.refresh_from_db()
        assert statuses(build_actions_arising(self.may))[self.action.description] == (
            "Complete: Done."
        )
