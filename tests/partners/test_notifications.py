"""Emails: agenda published, minutes circulated, and the daily reminder of actions due."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from actions.models import Action, ActionOwner
from actions.notifications import reminders, send_action_reminders
from meetings.lock_scope import recording_history
from meetings.models import Meeting
from meetings.notifications import notify_agenda_published, notify_minutes_circulated
from members.models import Person
from tests.public_world import add_action, add_item, add_meeting, user
from tests.world import appoint, make_body, person

TODAY = dt.date(2030, 6, 10)


class MeetingEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body("board")
        for key in ("ann", "bob", "cat"):
            appoint(cls.body, key, "community", check=False)
        Person.objects.filter(key="ann").update(email="ann@example.org")
        bob = Person.objects.get(key="bob")
        bob.user = user("bob")  # no address on the person: the account's is used
        bob.save()
        appoint(cls.body, "gone", "health", end=dt.date(2019, 2, 1), check=False)
        Person.objects.filter(key="gone").update(email="gone@example.org")
        cls.meeting = add_meeting(cls.body, dt.date(2019, 3, 6), Meeting.Status.AGENDA_PUBLISHED)

    def test_agenda_published_goes_to_each_member_separately(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            queued = notify_agenda_published(self.meeting, base_url="https://gov.example/")
            assert queued == 2 and mail.outbox == []  # sent only once the transaction commits
        assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
        assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
        message = mail.outbox[0]
        assert message.subject == "Agenda published: Board board, 6 March 2019"
        assert "Wednesday 6 March 2019" in message.body
        assert "https://gov.example/board/meetings/2019-03-06/" in message.body

    def test_a_member_whose_appointment_ended_is_not_emailed(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            notify_agenda_published(self.meeting)
        assert "gone@example.org" not in [m.to[0] for m in mail.outbox]

    def test_minutes_circulated_links_to_the_minutes_page(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            assert notify_minutes_circulated(self.meeting, base_url="https://gov.example") == 2
        message = mail.outbox[0]
        assert message.subject == "Draft minutes for comment: Board board, 6 March 2019"
        assert "https://gov.example/board/meetings/2019-03-06/minutes/" in message.body

    def test_nothing_is_sent_when_no_member_has_an_address(self) -> None:
        Person.objects.update(email="")
        Person.objects.filter(key="bob").update(user=None)
        with self.captureOnCommitCallbacks(execute=True):
            assert notify_agenda_published(self.meeting) == 0
        assert mail.outbox == []


class ActionReminderTests(TestCase):
    @classmethod
    @recording_history()  # actions of past minutes, entered as they stand
    def setUpTestData(cls) -> None:
        cls.body, _ = make_body("board")
        cls.secretary = user("clerk", first_name="Amy", last_name="Clerk")
        cls.body.secretaries.add(cls.secretary)
        cls.ann = person("ann", "Ann Owner")
        cls.ann.email = "ann@example.org"
        cls.ann.save()
        meeting = add_meeting(cls.body, dt.date(2030, 5, 1), Meeting.Status.MINUTES_CIRCULATED)
        item = add_item(meeting, "4", "Business")
        cls.overdue = add_action(
            meeting, item, "a1", "Write to the boroughs", cls.ann, TODAY - dt.timedelta(days=3)
        )
        cls.due = add_action(
            meeting, item, "a2", "Draft the strategy", cls.ann, TODAY + dt.timedelta(days=7)
        )
        add_action(meeting, item, "a3", "Not due yet", cls.ann, TODAY + dt.timedelta(days=8))
        done = add_action(
            meeting, item, "a4", "Already done", cls.ann, TODAY - dt.timedelta(days=1)
        )
        done.status = "complete"
        done.save()
        role = Action.objects.create(
            meeting=meeting,
            item=item,
            key="a5",
            description="Circulate the forward plan",
            deadline=TODAY,
        )
        ActionOwner.objects.create(action=role, role="Clerk")
        draft = add_meeting(cls.body, dt.date(2030, 5, 20), Meeting.Status.MINUTES_DRAFT)
        add_action(draft, add_item(draft, "1", "Draft"), "d1", "From draft minutes", cls.ann, TODAY)

    def test_owners_get_one_email_with_overdue_actions_first(self) -> None:
        assert send_action_reminders(TODAY, base_url="https://gov.example") == 2
        to_ann = [m for m in mail.outbox if m.to == ["ann@example.org"]]
        assert len(to_ann) == 1
        message = to_ann[0]
        assert message.subject == "1 overdue action and others due soon"
        body = message.body
        assert body.index("Overdue:") < body.index("Write to the boroughs")
        assert body.index("Write to the boroughs") < body.index("Due within the next seven days:")
        assert body.index("Due within the next seven days:") < body.index("Draft the strategy")
        assert "https://gov.example/partners/" in body

    def test_actions_not_due_within_a_week_closed_or_from_draft_minutes_are_left_out(self) -> None:
        send_action_reminders(TODAY)
        body = next(m for m in mail.outbox if m.to == ["ann@example.org"]).body
        assert "Not due yet" not in body
        assert "Already done" not in body
        assert "From draft minutes" not in body

    def test_actions_owned_by_a_role_go_to_the_bodys_secretaries_if_they_have_an_address(
        self,
    ) -> None:
        found = reminders(TODAY)
        assert [r.to for r in found] == ["ann@example.org", "clerk@example.org"]
        clerk = found[1]
        assert clerk.as_secretary
        assert [a.description for a in clerk.actions] == ["Circulate the forward plan"]

    def test_the_command_sends_and_reports(self) -> None:
        out = io.StringIO()
        call_command("send_action_reminders", "--date", TODAY.isoformat(), stdout=out)
        assert "Sent 2 reminder email(s) for 2030-06-10." in out.getvalue()
        assert len(mail.outbox) == 2

    def test_a_dry_run_lists_recipients_and_sends_nothing(self) -> None:
        out = io.StringIO()
        call_command("send_action_reminders", "--date", TODAY.isoformat(), "--dry-run", stdout=out)
        assert "ann@example.org: 2 action(s)" in out.getvalue()
        assert mail.outbox == []

    def test_a_bad_date_is_refused(self) -> None:
        with pytest.raises(CommandError, match="is not YYYY-MM-DD"):
            call_command("send_action_reminders", "--date", "10/06/2030")

    def test_a_quiet_day_sends_nothing(self) -> None:
        assert send_action_reminders(dt.date(2020, 1, 1)) == 0
        assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    ["send_action_reminders", "send_appointment_reminders", "send_declaration_round_mail"],
)
def test_every_daily_mail_command_refuses_a_bad_date_and_sends_nothing(command: str) -> None:
    with pytest.raises(CommandError, match="is not YYYY-MM-DD"):
        call_command(command, "--date", "2030-13-01", "--base-url", "https://example.org")
    assert mail.outbox == []
