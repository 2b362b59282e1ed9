"""E-mail alerts for the public: an address that asked to hear of a body's new agendas and
minutes, or of new published records matching a saved search (meetings/alerts.py)."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from members.models import Body


def new_key() -> str:
    return secrets.token_urlsafe(18)


class AlertSubscription(models.Model):
    """One reader's alert: confirmed from their own mailbox before anything is sent to it."""

    class Kind(models.TextChoices):
        BODY = "body", "New agendas and minutes"
        SEARCH = "search", "New records matching a search"

    # Personal data: kept only while the alert stands; removed with every e-mail sent to it.
    email = models.EmailField(max_length=254)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="alert_subscriptions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The saved search, as typed on the search page (empty for a body's alerts).
    query = models.CharField(max_length=200, blank=True)
    # Random, and only ever sent signed (meetings/alerts.py): what the links in e-mails name.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last time a confirmation e-mail was asked for (the confirmation link dates from it).
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["body", "kind", "query", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "body", "kind", "query"],
                name="one_alert_per_address_and_subject",
            ),
            models.CheckConstraint(
                condition=(Q(kind="body", query="") | (Q(kind="search") & ~Q(query=""))),
                name="alert_query_only_for_searches",
                violation_error_message="A search alert needs its search; a board's has none.",
            ),
        ]
        indexes = [models.Index(fields=["body", "kind", "confirmed_at"], name="alert_due_idx")]

    def __str__(self) -> str:
        what = f"'{self.query}'" if self.kind == self.Kind.SEARCH else "agendas and minutes"
        state = "confirmed" if self.confirmed_at else "not confirmed"
        return f"{self.email}: {what} of {self.body} ({state})"

    @property
    def subject(self) -> str:
        """What the alert is about, in words for an e-mail or a page."""
        if self.kind == self.Kind.SEARCH:
            return f"new published records of the {self.body.name} matching “{self.query}”"
        return f"new agendas and minutes of the {self.body.name}"
