"""Emails to partners about a meeting: written now, sent by a job once the transaction that
called for them commits (meetings/outbox.py)."""

from __future__ import annotations

from django.template.loader import render_to_string

from meetings import outbox
from meetings.models import MailDelivery, Meeting


def partner_addresses(meeting: Meeting) -> list[str]:
    """Email addresses of the members with an active appointment on the meeting date."""
    addresses = []
    for appt in meeting.body.appointments_on(meeting.date).select_related("person__user"):
        person = appt.person
        email = person.email or (person.user.email if person.user_id else "")
        if email:
            addresses.append(email)
    return sorted(set(addresses))


def _send(meeting: Meeting, kind: str, template: str, subject: str, base_url: str) -> int:
    recipients = partner_addresses(meeting)
    if not recipients:
        return 0
    body = render_to_string(template, {"meeting": meeting, "base_url": base_url.rstrip("/")})
    # One message per partner so that no partner sees another's address.
    return outbox.record(meeting, kind, [(to, subject, body) for to in recipients])


def notify_agenda_published(meeting: Meeting, base_url: str = "") -> int:
    """E-mail the partners that the agenda is published, once the current transaction commits
    (call it inside the publishing transaction). Returns how many e-mails were queued."""
    subject = f"Agenda published: {meeting.body.name}, {meeting.date:%-d %B %Y}"
    kind = MailDelivery.Kind.AGENDA_PUBLISHED
    return _send(meeting, kind, "emails/agenda_published.txt", subject, base_url)


def notify_minutes_circulated(meeting: Meeting, base_url: str = "") -> int:
    """E-mail the partners the draft minutes for comment, as notify_agenda_published."""
    subject = f"Draft minutes for comment: {meeting.body.name}, {meeting.date:%-d %B %Y}"
    kind = MailDelivery.Kind.MINUTES_CIRCULATED
    return _send(meeting, kind, "emails/minutes_circulated.txt", subject, base_url)
