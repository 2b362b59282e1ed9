"""Emails to partners about a meeting, through Django's email framework."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

from meetings.models import Meeting


def partner_addresses(meeting: Meeting) -> list[str]:
    """Email addresses of the members with an active appointment on the meeting date."""
    addresses = []
    for appt in meeting.body.appointments_on(meeting.date).select_related("person__user"):
        person = appt.person
        email = person.email or (person.user.email if person.user_id else "")
        if email:
            addresses.append(email)
    return sorted(set(addresses))


def _send(meeting: Meeting, template: str, subject: str, base_url: str) -> int:
    recipients = partner_addresses(meeting)
    if not recipients:
        return 0
    body = render_to_string(template, {"meeting": meeting, "base_url": base_url.rstrip("/")})
    # One message per partner so that no partner sees another's address.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return send_mass_mail(messages, fail_silently=False)


def notify_agenda_published(meeting: Meeting, base_url: str = "") -> int:
    subject = f"Agenda published: {meeting.body.name}, {meeting.date:%-d %B %Y}"
    return _send(meeting, "emails/agenda_published.txt", subject, base_url)


def notify_minutes_circulated(meeting: Meeting, base_url: str = "") -> int:
    subject = f"Draft minutes for comment: {meeting.body.name}, {meeting.date:%-d %B %Y}"
    return _send(meeting, "emails/minutes_circulated.txt", subject, base_url)
