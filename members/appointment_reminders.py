"""Reminding a body's secretaries six weeks before an appointment ends, once per end date.

Sent by `manage.py send_appointment_reminders` (a daily cron job), through Django's e-mail
framework as the declaration round's e-mails are (the meetings' outbox holds mail about a
meeting only). The reminder is recorded after the mail went, so a failed send is tried again
the next day, and a reminder sent is never sent twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string

from members.forecast import forecast
from members.models import Appointment, AppointmentEndReminder, Body

REMIND_AHEAD = dt.timedelta(weeks=6)


@dataclass
class BodyReminder:
    """One e-mail to a body's secretaries: the appointments ending within six weeks."""

    body: Body
    to: list[str]
    appointments: list[Appointment] = field(default_factory=list)


def due(today: dt.date) -> list[BodyReminder]:
    """Appointments ending from today to six weeks on, not yet reminded of for that end date,
    by body; a body with no secretary's address is left for when it has one."""
    appointments = (
        Appointment.objects.filter(end__gte=today, end__lte=today + REMIND_AHEAD)
        .select_related("body", "person")
        .order_by("body__name", "end", "person__name")
    )
    reminded = set(
        AppointmentEndReminder.objects.filter(appointment__in=appointments).values_list(
            "appointment_id", "end"
        )
    )
    by_body: dict[int, BodyReminder] = {}
    for appointment in appointments:
        if (appointment.pk, appointment.end) in reminded:
            continue
        reminder = by_body.get(appointment.body_id)
        if reminder is None:
            to = sorted(
                {u.email for u in appointment.body.secretaries.all() if u.is_active and u.email}
            )
            reminder = by_body[appointment.body_id] = BodyReminder(appointment.body, to)
        reminder.appointments.append(appointment)
    return [r for r in by_body.values() if r.to]


def send_appointment_reminders(*, today: dt.date, base_url: str = "") -> int:
    """Send each body's reminder and record it; returns how many e-mails went."""
    sent = 0
    for reminder in due(today):
        ahead = forecast(reminder.body, today=today)
        body = render_to_string(
            "workspace/emails/appointments_ending.txt",
            {
                "reminder": reminder,
                "forecast": ahead,
                "today": today,
                "base_url": base_url.rstrip("/"),
            },
        )
        count = len(reminder.appointments)
        subject = (
            f"{count} appointment{'s' if count != 1 else ''} to {reminder.body.name} "
            "ending within six weeks"
        )
        sent += get_connection().send_messages([EmailMessage(subject, body, to=reminder.to)]) or 0
        with transaction.atomic():
            AppointmentEndReminder.objects.bulk_create(
                [
                    AppointmentEndReminder(appointment=a, end=a.end, sent_to="\n".join(reminder.to))
                    for a in reminder.appointments
                ],
                ignore_conflicts=True,  # (another run recorded it meanwhile)
            )
    return sent
