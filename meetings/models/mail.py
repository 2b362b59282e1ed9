"""E-mails to partners about a meeting, and to the public about their alerts, one row per
message: sent by a job, retried with back-off, and shown to the secretary while the partners'
fail (meetings/outbox.py)."""

from __future__ import annotations

from django.db import models

from meetings.models.alerts import AlertSubscription
from meetings.models.meeting import Meeting


class MailDelivery(models.Model):
    """One e-mail to one partner about a meeting, or to one reader about their alert: what it
    says, and how sending it went."""

    class Kind(models.TextChoices):
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        MINUTES_CIRCULATED = "minutes_circulated", "Draft minutes circulated"
        # The public's alerts (meetings/alerts.py): no meeting for the first two.
        ALERT_CONFIRM = "alert_confirm", "Alert: confirm your address"
        ALERT_ALREADY = "alert_already", "Alert: already subscribed"
        ALERT_AGENDA = "alert_agenda", "Alert: agenda published"
        ALERT_MINUTES = "alert_minutes", "Alert: minutes published"
        ALERT_SEARCH = "alert_search", "Alert: new records matching a search"

    class Status(models.TextChoices):
        # Not sent yet: waiting for its first attempt, or for the next one after a failure.
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        # Every attempt failed: only the secretary's "Try again" sends it now.
        GAVE_UP = "gave_up", "Gave up"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="mail_deliveries", null=True, blank=True
    )
    # A reader's alert: its e-mails (the address among them) go when the reader unsubscribes.
    subscription = models.ForeignKey(
        AlertSubscription,
        on_delete=models.CASCADE,
        related_name="mail_deliveries",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # Extra headers: an alert's List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a job may next try it: the back-off after a failure, or a lease while one sends it.
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    # What the secretary's Publish page reports and "Try again" resends: the partners' e-mails.
    PARTNER_KINDS = (Kind.AGENDA_PUBLISHED, Kind.MINUTES_CIRCULATED)

    class Meta:
        ordering = ["meeting", "kind", "to"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.get_status_display().lower()})"
