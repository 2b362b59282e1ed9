"""Reminders to owners of actions due within seven days or overdue, by email."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Prefetch
from django.template.loader import render_to_string

from actions.models import CLOSED, Action, ActionOwner
from meetings.models import Meeting

DUE_WITHIN = dt.timedelta(days=7)


@dataclass
class Reminder:
    """One email: an address and the actions it is about, overdue first."""

    to: str
    name: str
    actions: list[Action] = field(default_factory=list)
    as_secretary: bool = False

    def overdue(self, today: dt.date) -> list[Action]:
        return [a for a in self.actions if a.deadline < today]

    def due_soon(self, today: dt.date) -> list[Action]:
        return [a for a in self.actions if a.deadline >= today]


def due_actions(today: dt.date) -> list[Action]:
    """Open actions with a deadline on or before a week from today, from circulated minutes."""
    return list(
        Action.objects.exclude(status__in=CLOSED)
        .filter(
            deadline__isnull=False,
            deadline__lte=today + DUE_WITHIN,
            meeting__status__in=Meeting.MINUTES_CIRCULATED_STATUSES,
        )
        .select_related("meeting__body", "item")
        .prefetch_related(
            Prefetch(
                "owners",
                queryset=ActionOwner.objects.select_related("person__user"),
                to_attr="owner_list",
            ),
            "meeting__body__secretaries",
        )
        .order_by("deadline", "pk")
    )


def reminders(today: dt.date) -> list[Reminder]:
    """People who own due actions, by address; actions owned by a role go to the secretaries."""
    by_address: dict[tuple[str, bool], Reminder] = {}
    for action in due_actions(today):
        for owner in action.owner_list:
            if owner.person_id:
                person = owner.person
                address = person.email or (person.user.email if person.user_id else "")
                if address:
                    reminder = by_address.setdefault(
                        (address, False), Reminder(address, person.name)
                    )
                    reminder.actions.append(action)
            else:
                for secretary in action.meeting.body.secretaries.all():
                    if secretary.email:
                        reminder = by_address.setdefault(
                            (secretary.email, True),
                            Reminder(
                                secretary.email,
                                secretary.get_full_name() or secretary.username,
                                as_secretary=True,
                            ),
                        )
                        if action not in reminder.actions:
                            reminder.actions.append(action)
    return sorted(by_address.values(), key=lambda r: (r.to, r.as_secretary))


def send_action_reminders(today: dt.date | None = None, base_url: str = "") -> int:
    """Send one email per reminder through Django's email framework; return how many went."""
    today = today or dt.date.today()
    messages = []
    for reminder in reminders(today):
        overdue = reminder.overdue(today)
        subject = (
            f"{len(overdue)} overdue action{'s' if len(overdue) != 1 else ''} and others due soon"
            if overdue
            else "Actions due within a week"
        )
        body = render_to_string(
            "partners/emails/action_reminder.txt",
            {
                "reminder": reminder,
                "overdue": overdue,
                "due_soon": reminder.due_soon(today),
                "today": today,
                "base_url": base_url.rstrip("/"),
            },
        )
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.to]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
