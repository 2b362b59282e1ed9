"""Numbered agenda items and their decisions (the recommendation put, the outcome, the wording
approved)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from meetings.models.meeting import Meeting
from vru_governance.rules import decisions
from vru_governance.rules import quorum as q


def item_sort_key(number: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+)([a-z]*)", number)
    if not match:
        return (10**6, number)
    return (int(match.group(1)), match.group(2))


# The lead-in wordings the agenda offers before a presenter's name (the seed's own); any other
# wording may be typed.
PRESENTER_LEADS = (
    "To be presented by",
    "A report to be presented by",
    "An update to be provided by",
    "A PowerPoint to be presented by",
    "A report and PowerPoint to be presented by",
)


def presenter_line(lead: str, presenter: str, *, has_report: bool) -> str:
    """The line the agenda prints under an item: 'An update to be provided by Sophie Linden,
    Deputy Mayor for Policing and Crime.' With no lead chosen, 'A report to be presented by'
    when the item has a paper, else 'To be presented by'; a lead with no presenter prints
    alone (typed wording such as 'A verbal update from the Chair')."""
    lead, presenter = lead.strip(), presenter.strip().rstrip(".")
    if not presenter:
        return f"{lead.rstrip('.')}." if lead else ""
    if not lead:
        lead = PRESENTER_LEADS[1] if has_report else PRESENTER_LEADS[0]
    return f"{lead} {presenter}."


class AgendaItem(models.Model):
    """A numbered item on a meeting's agenda (1, 2, … with sub-items 8a, 8b)."""

    class Kind(models.TextChoices):
        APOLOGIES = "apologies", "Apologies for absence and Chair's announcements"
        DECLARATIONS = "declarations", "Declarations of interest"
        MINUTES_OF_LAST_MEETING = "minutes_of_last_meeting", "Minutes of last meeting"
        ACTIONS_ARISING = "actions_arising", "Actions arising"
        BUSINESS = "business", "Business"
        AOB = "aob", "Any other business"
        DATE_OF_NEXT_MEETING = "date_of_next_meeting", "Date of next meeting"
        CLOSE = "close", "Close"

    class Outcome(models.TextChoices):
        # The board agrees by consensus, with no vote (ToR 3.2): "agreed" is agreed by consensus.
        AGREED = "agreed", "Agreed by consensus"
        AGREED_WITH_RESERVATIONS = "agreed_with_reservations", "Agreed with reservations"
        NOT_AGREED = "not_agreed", "Not agreed"
        NOTED = "noted", "Noted"
        DEFERRED = "deferred", "Deferred"
        ENDORSED = "endorsed", "Endorsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The outcomes an item without quorum cannot record (DESIGN rule 5): the one list.
    NEEDS_QUORUM = {Outcome.AGREED, Outcome.AGREED_WITH_RESERVATIONS, Outcome.ENDORSED}

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=400, blank=True)
    presenter_lead = models.CharField(
        max_length=200,
        blank=True,
        help_text="The words the agenda prints before the presenter ('An update to be provided "
        "by'); empty: 'A report to be presented by' when the item has a paper, else 'To be "
        "presented by'.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.BUSINESS)
    minutes_allowed = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(480)],
        help_text="The minutes allotted to the item: the chair's brief times the items from "
        "the start of the meeting.",
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    recommendation = models.TextField(
        blank=True, help_text="The recommendation as put to the board (Markdown)."
    )
    approved_wording = models.TextField(
        blank=True,
        help_text="The wording the board approved, where it was recorded (Markdown).",
    )
    decision_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The minute paragraph (1 for the item's first) that states the decision as "
        "minuted ('Partners noted …'): the minutes then print no separate outcome line.",
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every save from the workspace (optimistic locking)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="unique_item_number",
                violation_error_message="The agenda already has an item with this number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def main_number(self) -> int:
        return item_sort_key(self.number)[0]

    @property
    def is_sub_item(self) -> bool:
        """8a, 8b: a sub-item of the main item before it."""
        return bool(item_sort_key(self.number)[1])

    @property
    def has_decision(self) -> bool:
        """Whether a decision was recorded: a recommendation, an outcome or approved wording."""
        return bool(self.outcome or self.recommendation.strip() or self.approved_wording.strip())

    def check_decision_paragraph(self, paragraphs: int) -> None:
        """Refuse a decision paragraph the item's minutes do not have."""
        if self.decision_paragraph is not None and not 1 <= self.decision_paragraph <= paragraphs:
            raise ValidationError(
                {
                    "decision_paragraph": f"Item {self.number} has {paragraphs} minute "
                    f"paragraph{'s' if paragraphs != 1 else ''}, so none numbered "
                    f"{self.decision_paragraph} can state its decision."
                }
            )

    def clean(self) -> None:
        if self.number and not re.fullmatch(r"\d+[a-z]?", self.number):
            raise ValidationError(
                {"number": f"'{self.number}' is not an item number such as 8 or 8a."}
            )
        if self.outcome in self.NEEDS_QUORUM and self.meeting_id and self.pk:
            self.check_quorate(self.meeting.quorum())

    def check_quorate(self, result: q.MeetingQuorum) -> None:
        """Refuse an outcome that needs a quorum at an item where the meeting had none."""
        if self.outcome in self.NEEDS_QUORUM:
            for item in result.items:
                if item.number == self.number and not item.quorate:
                    raise ValidationError(
                        {
                            "outcome": f"{item.not_quorate(f'item {self.number}')}, so it "
                            f"cannot record '{self.get_outcome_display()}'."
                        }
                    )

    def check_reservations(self, reservations: int) -> None:
        """Refuse an outcome that does not fit the reservations recorded against the item."""
        problem = decisions.reservations_problem(
            self.number, self.outcome, reservations, self.get_outcome_display()
        )
        if problem:
            raise ValidationError({"outcome": problem})


class StandardItem(models.Model):
    """An item of a body's standard agenda: the items a new meeting of the body starts with."""

    body = models.ForeignKey(
        "members.Body", on_delete=models.CASCADE, related_name="standard_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=30, choices=AgendaItem.Kind.choices, default=AgendaItem.Kind.BUSINESS
    )
    presenter = models.CharField(max_length=400, blank=True)
    presenter_lead = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
