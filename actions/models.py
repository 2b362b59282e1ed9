"""The action log: actions agreed at meetings, their owners and their status history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from meetings.models import AgendaItem, Meeting, MinuteParagraph
from members.models import Person


class Status(models.TextChoices):
    OPEN = "open", "Open"
    ONGOING = "ongoing", "Ongoing"
    COMPLETE = "complete", "Complete"
    SUPERSEDED = "superseded", "Superseded"


CLOSED = {Status.COMPLETE, Status.SUPERSEDED}


class Action(models.Model):
    """An action agreed at a meeting, with its deadline and current status."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    deadline = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=False, help_text="No fixed deadline.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(blank=True)
    paragraph = models.ForeignKey(
        MinuteParagraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The minute paragraph whose 'Action:' line created it.",
    )
    minutes_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The action's own words as its 'Action:' line gave them, printed in the "
        "minutes after its owners ('Action: Owner — text'); blank when the line named only its "
        "owners (the seed's 'Action: Clerk'), whose paragraph says what is to be done. Follows "
        "the wording until the minutes are approved; then changed only by a correction.",
    )
    confirmed = models.BooleanField(
        default=True,
        help_text="False until the secretary confirms an action read from an 'Action:' line.",
    )
    version = models.PositiveIntegerField(
        default=0,
        help_text="Raised on every change and status update (optimistic locking).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "key"],
                name="unique_action_key",
                violation_error_message="The meeting already has an action with this key.",
            ),
            models.CheckConstraint(
                condition=~(Q(ongoing=True) & Q(deadline__isnull=False)),
                name="action_deadline_or_ongoing",
                violation_error_message="An action has a deadline or is ongoing, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        if self.ongoing and self.deadline:
            raise ValidationError(
                {"deadline": "An ongoing action has no deadline; clear one or the other."}
            )
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": "The item belongs to another meeting."})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return not self.is_closed and self.deadline is not None and self.deadline < today

    def deadline_display(self) -> str:
        if self.ongoing or self.deadline is None:
            return "Ongoing"
        return f"{self.deadline.day} {self.deadline:%B %Y}"

    def status_display(self) -> str:
        """'Complete: The letter has been sent.' as the actions-arising report prints it."""
        label = self.get_status_display()
        return f"{label}: {self.status_note}" if self.status_note else label

    def owners_display(self) -> str:
        return join_names([o.display() for o in self.owners.all()])


def join_names(names: list[str]) -> str:
    """'Lib Peck, Jake Ferguson and Clerk', as the minutes and the action log name owners."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class ActionOwner(models.Model):
    """An owner of an action: a person, or a role such as 'Clerk'."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="owners")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_actions"
    )
    role = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["action", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(role=""))
                | (Q(person__isnull=True) & ~Q(role="")),
                name="owner_is_person_or_role",
                violation_error_message=(
                    "An owner is either a person or a role such as 'Clerk', not both or neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display()

    def display(self) -> str:
        return self.person.name if self.person_id else self.role


class ActionUpdate(models.Model):
    """A status update on an action, kept with who made it and when."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(default=dt.date.today)
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_status_display()}"
