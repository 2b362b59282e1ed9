"""Meetings and their lifecycle, agenda items, attendance, minutes and declarations."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from meetings import quorum as q
from members.models import Appointment, Body, Person, TermsOfReference
from reports.documents.formats import short_date


class Meeting(models.Model):
    """A meeting of a body, moving from draft agenda to published minutes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        MINUTES_DRAFT = "minutes_draft", "Minutes in draft"
        MINUTES_CIRCULATED = "minutes_circulated", "Minutes circulated to partners"
        MINUTES_APPROVED = "minutes_approved", "Minutes approved"
        MINUTES_PUBLISHED = "minutes_published", "Minutes published"
        CANCELLED = "cancelled", "Cancelled"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    key = models.SlugField(max_length=50, help_text="Usually the date, e.g. 2019-03-06.")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True, help_text="The closing time.")
    place = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The 'minutes of last meeting' item of the meeting that approved them.",
    )
    minutes_approved_by_chair = models.BooleanField(
        default=False, help_text="Approved by the Chair rather than at the next meeting."
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every save from the workspace (optimistic locking)."
    )
    attendance_version = models.PositiveIntegerField(
        default=0,
        help_text="Raised on every change to the meeting's attendance (optimistic locking).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["body", "key"], name="unique_meeting_key_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body.name}, {self.date:%-d %B %Y}"

    # Lifecycle -------------------------------------------------------------------------

    ORDER = [
        Status.DRAFT,
        Status.AGENDA_PUBLISHED,
        Status.HELD,
        Status.MINUTES_DRAFT,
        Status.MINUTES_CIRCULATED,
        Status.MINUTES_APPROVED,
        Status.MINUTES_PUBLISHED,
    ]

    def stage(self) -> int:
        """Position in the lifecycle; cancelled meetings sit outside it (-1)."""
        return self.ORDER.index(self.status) if self.status in self.ORDER else -1

    @property
    def agenda_is_public(self) -> bool:
        return self.stage() >= self.ORDER.index(self.Status.AGENDA_PUBLISHED)

    @property
    def minutes_are_public(self) -> bool:
        return self.status == self.Status.MINUTES_PUBLISHED

    @property
    def minutes_locked(self) -> bool:
        return self.stage() >= self.ORDER.index(self.Status.MINUTES_APPROVED)

    # Rules -----------------------------------------------------------------------------

    def terms(self) -> TermsOfReference | None:
        if not hasattr(self, "_terms_cache"):
            self._terms_cache = self.body.terms_in_force(self.date)
        return self._terms_cache

    def previous(self) -> Meeting | None:
        return (
            Meeting.objects.filter(body_id=self.body_id, date__lt=self.date)
            .exclude(status=self.Status.CANCELLED)
            .exclude(pk=self.pk)
            .order_by("-date")
            .first()
        )

    def interval_flag(self) -> str | None:
        """A message when the gap since the previous meeting is outside the ToR's interval."""
        terms = self.terms()
        previous = self.previous()
        if terms is None or previous is None:
            return None
        gap = (self.date - previous.date).days
        lo, hi = terms.meeting_interval_min_days, terms.meeting_interval_max_days
        held = short_date(previous.date)
        if lo is not None and gap < lo:
            return (
                f"{gap} days after the previous meeting ({held}); the terms of "
                f"reference set {lo} to {hi} days."
            )
        if hi is not None and gap > hi:
            return (
                f"{gap} days after the previous meeting ({held}); the terms of "
                f"reference set {lo} to {hi} days."
            )
        return None

    def clean(self) -> None:
        if self.end_time and self.start_time and self.end_time < self.start_time:
            raise ValidationError(
                {
                    "end_time": f"The meeting closes ({self.end_time:%H:%M}) before it starts "
                    f"({self.start_time:%H:%M})."
                }
            )
        if self.body_id and self.date and self.terms() is None:
            raise ValidationError(
                {
                    "date": f"No terms of reference of {self.body} are in force on "
                    f"{short_date(self.date)}."
                }
            )

    def quorum(self, **loaded: Any) -> q.MeetingQuorum:
        """Quorum per agenda item, from the records (a handful of queries, whatever the size,
        fewer for the records a page has loaded already: see compute_quorum)."""
        return compute_quorum(self, **loaded)

    def member_ids(self) -> set[int]:
        """The people with an active appointment to the body on the meeting date."""
        return set(self.body.appointments_on(self.date).values_list("person_id", flat=True))


def item_sort_key(number: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+)([a-z]*)", number)
    if not match:
        return (10**6, number)
    return (int(match.group(1)), match.group(2))


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
        NOTED = "noted", "Noted"
        AGREED = "agreed", "Agreed"
        ENDORSED = "endorsed", "Endorsed"
        DEFERRED = "deferred", "Deferred"
        WITHDRAWN = "withdrawn", "Withdrawn"

    NEEDS_QUORUM = {Outcome.AGREED, Outcome.ENDORSED}

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=400, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.BUSINESS)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Raised on every save from the workspace (optimistic locking)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_item_number"),
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
                    missing = f"; missing: {', '.join(item.missing)}" if item.missing else ""
                    raise ValidationError(
                        {
                            "outcome": f"The meeting was not quorate for item {self.number} "
                            f"({item.present} of {item.needed} needed present{missing}), so it "
                            f"cannot record '{self.get_outcome_display()}'."
                        }
                    )


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
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person"),
            models.CheckConstraint(
                condition=Q(capacity="substitute", on_behalf_of__isnull=False)
                | (~Q(capacity="substitute") & Q(on_behalf_of__isnull=True)),
                name="substitute_has_member",
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
            models.UniqueConstraint(fields=["item", "person"], name="one_declaration_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on item {self.item.number}"


class Dissent(models.Model):
    """A member's dissent or objection, recorded against an item (ToR 3.2)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="dissents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dissents")
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return f"{self.person} on item {self.item.number}"


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


def compute_quorum(
    meeting: Meeting,
    *,
    items: list[AgendaItem] | None = None,
    appointments: list[Appointment] | None = None,
    attendance: list[Attendance] | None = None,
) -> q.MeetingQuorum:
    """Build the pure quorum inputs from the records and compute quorum per item. A page that
    has loaded them already passes them in: every item of the meeting with its declarations
    prefetched, the body's appointments on the meeting date, the meeting's attendance."""
    terms = meeting.terms()
    if items is None:
        items = list(meeting.items.all().prefetch_related("declarations"))
    meeting._item_ids = [i.pk for i in items]
    if appointments is None:
        appointments = list(meeting.body.appointments_on(meeting.date))
    rules = (
        terms.quorum_rules()
        if terms
        else q.Rules(
            fraction=q.parse_fraction("1/2"),
            substitutes_count=False,
            remote_counts=False,
            groups=(),
        )
    )
    members = [
        q.Member(
            person=str(a.person_id),
            tags=terms.member_tags(a.seat_key) if terms else frozenset({a.seat_key}),
        )
        for a in appointments
    ]
    if attendance is None:
        attendance = list(meeting.attendance.all())
    attendees = [a.as_attendee() for a in attendance]
    q_items = [
        q.Item(
            number=i.number,
            withdrawn=frozenset(str(d.person_id) for d in i.declarations.all() if d.withdrew),
        )
        for i in items
    ]
    return q.meeting_quorum(rules, members, attendees, q_items)


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


class ChecklistAcknowledgement(models.Model):
    """A failed pre-publication check that the secretary acknowledged, with the reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="acknowledgements")
    check_key = models.CharField(max_length=30)
    reason = models.TextField()
    detail = models.TextField(blank=True, help_text="What the check found when acknowledged.")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "acknowledged_at", "pk"]

    def __str__(self) -> str:
        return f"{self.check_key}: {self.reason[:60]}"


class MinutesCorrection(models.Model):
    """A change to approved minutes, recorded as a correction with its reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    paragraph = models.ForeignKey(
        MinuteParagraph, on_delete=models.PROTECT, related_name="corrections"
    )
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
