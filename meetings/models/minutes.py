"""Minute paragraphs, declarations, dissents and corrections to approved minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from meetings.models.agenda import AgendaItem
from meetings.models.meeting import Meeting
from members.models import Person


class MinuteParagraph(models.Model):
    """One numbered paragraph of an item's summary minutes (Markdown)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="paragraphs")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every change to its text (optimistic locking)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Declaration(models.Model):
    """An interest declared at a meeting for an item, and whether the person withdrew."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    interest = models.TextField()
    withdrew = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                name="one_declaration_per_item",
                violation_error_message=(
                    "This person has already declared an interest in this item."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on item {self.item.number}"


class Dissent(models.Model):
    """A member's dissent or objection, or their reservation about a decision they joined,
    recorded against an item with its reason (ToR 3.2)."""

    class Kind(models.TextChoices):
        DISSENT = "dissent", "Dissent"
        RESERVATION = "reservation", "Reservation"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="dissents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dissents")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISSENT)
    text = models.TextField(help_text="The reason given, as the minutes print it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return f"{self.person} on item {self.item.number}"


def paragraph_numbers(items: list[AgendaItem], paragraphs: dict[int, list]) -> dict[int, str]:
    """Number paragraphs per main item number, running through sub-items: 8 → 8.1, 8a → 8.2."""
    numbers: dict[int, str] = {}
    counters: dict[int, int] = {}
    for item in items:
        main = item.main_number
        for para in paragraphs.get(item.pk, []):
            counters[main] = counters.get(main, 0) + 1
            numbers[para.pk] = f"{main}.{counters[main]}"
    return numbers


class MinutesCorrection(models.Model):
    """A correction to what a meeting's published documents show (a minute paragraph, the
    meeting's details, an action's owners…), with its reason, who made it and when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    paragraph = models.ForeignKey(
        MinuteParagraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The paragraph corrected, when a paragraph was.",
    )
    what = models.CharField(max_length=200, blank=True, help_text="What was corrected.")
    before = models.TextField()
    after = models.TextField()
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "made_at", "pk"]

    def __str__(self) -> str:
        return f"Correction to {self.meeting}: {self.reason[:60]}"
