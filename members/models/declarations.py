"""The annual declaration round: every member is asked to confirm or update their register."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from members.models.body import Body
from members.models.person import Person


class DeclarationRound(models.Model):
    """A round in which a body's members confirm their register of interests by a date."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="declaration_rounds")
    due_on = models.DateField(help_text="The date by which members are asked to confirm.")
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the members were first asked by e-mail."
    )
    reminded_on = models.DateField(
        null=True, blank=True, help_text="The last day reminders were sent."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-due_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body}: register due {self.due_on:%-d %B %Y}"

    def clean(self) -> None:
        # The one rule for every path (workspace, importer): members are given time to answer.
        if self.due_on and self.started_at and self.due_on < timezone.localdate(self.started_at):
            raise ValidationError(
                {
                    "due_on": f"The due date ({self.due_on:%-d %B %Y}) is before the round "
                    f"started ({timezone.localdate(self.started_at):%-d %B %Y})."
                }
            )
        if self.body_id and self.due_on:
            same = DeclarationRound.objects.filter(body_id=self.body_id, due_on=self.due_on)
            if same.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "due_on": f"The {self.body.name} already has a round due on "
                        f"{self.due_on:%-d %B %Y}."
                    }
                )


class DeclarationConfirmation(models.Model):
    """A member's confirmation that their register is complete and up to date."""

    round = models.ForeignKey(
        DeclarationRound, on_delete=models.PROTECT, related_name="confirmations"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="register_confirmations"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    updated = models.BooleanField(
        default=False, help_text="Whether they changed their register before confirming."
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                name="one_confirmation_per_round",
                violation_error_message="This person has already confirmed their register "
                "in this round.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} confirmed {self.round}"

    def clean(self) -> None:
        """A confirmation comes from a member of the round's body on the day they confirmed,
        and not before the round started (the service and the importer both apply this)."""
        if not (self.round_id and self.person_id):
            return
        day = timezone.localdate(self.confirmed_at) if self.confirmed_at else timezone.localdate()
        round = self.round
        if round.started_at and day < timezone.localdate(round.started_at):
            raise ValidationError(
                f"{self.person.name} confirmed on {day:%-d %B %Y}, before the round started "
                f"({timezone.localdate(round.started_at):%-d %B %Y})."
            )
        if not round.body.appointments_on(day).filter(person_id=self.person_id).exists():
            raise ValidationError(
                f"{self.person.name} was not a member of the {round.body.name} on "
                f"{day:%-d %B %Y}, so was not asked to confirm."
            )
