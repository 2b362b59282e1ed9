"""Who attended a meeting, in what capacity and for which items."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from meetings.models.agenda import AgendaItem
from meetings.models.meeting import Meeting
from members.models import Person
from vru_governance.rules import quorum as q
from vru_governance.rules.formats import short_date


class Attendance(models.Model):
    """Who came to a meeting, in what capacity, how, and for which items."""

    class Capacity(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        IN_ATTENDANCE = "in_attendance", "In attendance"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    on_behalf_of = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
        help_text="The member a substitute stands for.",
    )
    remote = models.BooleanField(default=False)
    from_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="one_attendance_per_person",
                violation_error_message="This person is already in the meeting's attendance.",
            ),
            models.CheckConstraint(
                condition=Q(capacity="substitute", on_behalf_of__isnull=False)
                | (~Q(capacity="substitute") & Q(on_behalf_of__isnull=True)),
                name="substitute_has_member",
                violation_error_message=(
                    "A substitute attends on behalf of a member: name the member (and only a "
                    "substitute names one)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_capacity_display()})"

    def clean(self) -> None:
        if not self.meeting_id or not self.person_id or not self.capacity:
            return
        counts = self.capacity in (self.Capacity.MEMBER, self.Capacity.SUBSTITUTE)
        self.clean_record(self.meeting.member_ids() if counts else set())
        if counts:
            self._check_no_double_count()

    def clean_record(self, members: set[int]) -> None:
        """The rules of this record alone, given the ids of the members on the meeting date.

        An import checks a meeting's whole attendance with one query for the members and one
        check_no_double_count() instead of a few queries per row.
        """
        meeting = self.meeting
        if self.capacity == self.Capacity.SUBSTITUTE:
            if not self.on_behalf_of_id:
                raise ValidationError(
                    {"on_behalf_of": "Name the member this substitute attends on behalf of."}
                )
            if self.on_behalf_of_id == self.person_id:
                raise ValidationError({"on_behalf_of": "A person cannot substitute for themself."})
            if self.on_behalf_of_id not in members:
                raise ValidationError(
                    {
                        "on_behalf_of": f"{self.on_behalf_of} is not a member of {meeting.body} "
                        f"on {short_date(meeting.date)}, so nobody can substitute for them."
                    }
                )
        elif self.on_behalf_of_id:
            raise ValidationError(
                {"on_behalf_of": "Only a substitute attends on behalf of a member."}
            )
        if self.capacity == self.Capacity.MEMBER and self.person_id not in members:
            raise ValidationError(
                {
                    "capacity": f"{self.person} has no active appointment to {meeting.body} on "
                    f"{short_date(meeting.date)}; record them as in attendance or as a substitute."
                }
            )
        for field in ("from_item", "to_item"):
            item = getattr(self, field)
            if item is not None and item.meeting_id != self.meeting_id:
                raise ValidationError({field: "The item belongs to another meeting."})
        if self.from_item and self.to_item and self.from_item.position > self.to_item.position:
            raise ValidationError(
                {
                    "to_item": f"Left at item {self.to_item.number}, before arriving at item "
                    f"{self.from_item.number}."
                }
            )

    def _check_no_double_count(self) -> None:
        """A member and their substitute never both count for the same item."""
        others = list(
            Attendance.objects.filter(meeting_id=self.meeting_id)
            .exclude(pk=self.pk)
            .filter(capacity__in=[self.Capacity.MEMBER, self.Capacity.SUBSTITUTE])
        )
        check_no_double_count(self.meeting, [*others, self])

    def as_attendee(self) -> q.Attendee:
        return q.Attendee(
            person=str(self.person_id),
            capacity=self.capacity,
            on_behalf_of=str(self.on_behalf_of_id) if self.on_behalf_of_id else None,
            remote=self.remote,
            from_index=self._index_of(self.from_item_id),
            to_index=self._index_of(self.to_item_id),
        )

    def _index_of(self, item_id: int | None) -> int | None:
        if item_id is None:
            return None
        ids = getattr(self.meeting, "_item_ids", None)
        if ids is None:
            ids = list(self.meeting.items.values_list("pk", flat=True))
            self.meeting._item_ids = ids
        return ids.index(item_id) if item_id in ids else None


def check_no_double_count(meeting: Meeting, records: list[Attendance]) -> None:
    """A member and their substitute never both count for the same item of the meeting.

    `records` are all the meeting's member and substitute rows (one import checks them once).
    """
    attendees = [a.as_attendee() for a in records]
    items = list(meeting.items.all())
    try:
        q.check_no_double_count(attendees, [q.Item(number=i.number) for i in items])
    except q.QuorumError as exc:
        names = dict(Person.objects.filter(pk__in=exc.people).values_list("pk", "name"))
        member, substitute = (names.get(int(p), p) for p in exc.people)
        where = f"item {exc.item}" if exc.item else "the meeting"
        raise ValidationError(
            f"{member} and their substitute {substitute} are both recorded present for "
            f"{where}; only one of them counts. Record the member's departure or the "
            "substitute's arrival by item."
        ) from exc
