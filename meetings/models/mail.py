"""E-mails to partners about a meeting, one row per message: sent by a job, retried with
back-off, and shown to the secretary while they fail (meetings/outbox.py)."""

from __future__ import annotations

from django.db import models

from meetings.models.meeting import Meeting


class MailDelivery(models.Model):
    """One e-mail to one partner about a meeting: what it says, and how sending it went."""

    class Kind(models.TextChoices):
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        MINUTES_CIRCULATED = "minutes_circulated", "Draft minutes circulated"

    class Status(models.TextChoices):
        # Not sent yet: waiting for its first attempt, or for the next one after a failure.
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        # Every attempt failed: only the secretary's "Try again" sends it now.
        GAVE_UP = "gave_up", "Gave up"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="mail_deliveries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a job may next try it: the back-off after a failure, or a lease while one sends it.
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "kind", "to"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.get_status_display().lower()})"
