"""The forward plan: items planned for future meetings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from meetings.models.agenda import AgendaItem
from meetings.models.meeting import Meeting
from members.models import Body, Person


class ForwardPlanItem(models.Model):
    """An item planned for a future meeting, proposed by the secretary or a partner."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="forward_plan")
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=400, blank=True)
    notes = models.TextField(blank=True)
    target_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="planned_items"
    )
    target_month = models.DateField(
        null=True, blank=True, help_text="The first day of the month aimed for."
    )
    proposed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    placed_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_as",
        help_text="The agenda item it became, once pulled into an agenda.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every save and placing (optimistic locking)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "target_month", "created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_placed(self) -> bool:
        return self.placed_item_id is not None

    def clean(self) -> None:
        if self.target_meeting_id and self.body_id and self.target_meeting.body_id != self.body_id:
            raise ValidationError({"target_meeting": "That meeting belongs to another body."})
        if self.target_month and self.target_month.day != 1:
            self.target_month = self.target_month.replace(day=1)
