"""Meetings, their lifecycle and quorum, and acknowledged pre-publication checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from members.models import Appointment, Body, TermsOfReference
from vru_governance.rules import quorum as q
from vru_governance.rules.formats import clock, short_date

if TYPE_CHECKING:
    from meetings.models.agenda import AgendaItem
    from meetings.models.attendance import Attendance


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
    contact_officer = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The clerk on the day, named as the documents' contact officer (empty: the "
        "body's first secretary).",
    )

    class NextMeeting(models.TextChoices):
        """What the agenda prints under "Date of next meeting"."""

        AUTOMATIC = "", "The body's next meeting, from the records"
        OWN = "own", "The wording typed below"
        NONE = "none", "Nothing (the item's title only)"

    in_attendance = models.TextField(
        blank=True,
        help_text="The officers and guests expected, one per line ('Name, role'): printed on "
        "the agenda's cover under 'In attendance'.",
    )
    next_meeting = models.CharField(
        max_length=10, choices=NextMeeting.choices, blank=True, default=NextMeeting.AUTOMATIC
    )
    next_meeting_text = models.TextField(
        blank=True,
        help_text="Printed under 'Date of next meeting' when its own wording is chosen.",
    )
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
    minutes_approved_at_meeting = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The later meeting of the body that approved the minutes.",
    )
    recorded_as_history = models.BooleanField(
        default=False,
        help_text="Entered after the fact: its publication, circulation and approval dates were "
        "typed in, not taken from the clock, and no one was e-mailed.",
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
            models.UniqueConstraint(
                fields=["body", "key"],
                name="unique_meeting_key_per_body",
                violation_error_message=(
                    "The body already has a meeting with this key (usually its date)."
                ),
            ),
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
    # The statuses of each stage and the later ones: the one definition, for queries
    # (status__in=…) and for the properties below alike.
    AGENDA_PUBLIC_STATUSES = tuple(ORDER[ORDER.index(Status.AGENDA_PUBLISHED) :])
    MINUTES_CIRCULATED_STATUSES = tuple(ORDER[ORDER.index(Status.MINUTES_CIRCULATED) :])
    MINUTES_PUBLIC_STATUSES = (Status.MINUTES_PUBLISHED,)

    def stage(self) -> int:
        """Position in the lifecycle; cancelled meetings sit outside it (-1)."""
        return self.ORDER.index(self.status) if self.status in self.ORDER else -1

    @property
    def agenda_is_public(self) -> bool:
        return self.status in self.AGENDA_PUBLIC_STATUSES

    @property
    def minutes_circulated(self) -> bool:
        """Minutes circulated to partners, or approved or published since."""
        return self.status in self.MINUTES_CIRCULATED_STATUSES

    @property
    def minutes_are_public(self) -> bool:
        return self.status in self.MINUTES_PUBLIC_STATUSES

    @property
    def minutes_locked(self) -> bool:
        return self.stage() >= self.ORDER.index(self.Status.MINUTES_APPROVED)

    # Rules -----------------------------------------------------------------------------

    def terms(self) -> TermsOfReference | None:
        if not hasattr(self, "_terms_cache"):
            self._terms_cache = self.body.terms_in_force(self.date)
        return self._terms_cache

    def previous(self) -> Meeting | None:
        """The body's last meeting on an earlier day that was not cancelled (the later one of
        two on that day): the one whose actions and interval a meeting follows on from.

        Asked once per object and date, as every document of a pack asks for it."""
        key = (self.body_id, self.date)
        cached = getattr(self, "_previous_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        found = (
            Meeting.objects.filter(body_id=self.body_id, date__lt=self.date)
            .exclude(status=self.Status.CANCELLED)
            .order_by("-date", "-start_time")
            .first()
        )
        if found is not None and Meeting.body.is_cached(self):
            found.body = self.body  # the same body: spare a query for whoever prints it
        self._previous_cache = (key, found)
        return found

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
                    "end_time": f"The meeting closes ({clock(self.end_time)}) before it starts "
                    f"({clock(self.start_time)})."
                }
            )
        if self.body_id and self.date and self.terms() is None:
            raise ValidationError(
                {
                    "date": f"No terms of reference of {self.body} are in force on "
                    f"{short_date(self.date)}."
                }
            )
        if self.recorded_as_history and self.date:
            self._check_history_dates()
        self._check_next_meeting()

    def _check_next_meeting(self) -> None:
        """Typed wording for the next meeting goes with the choice to print it, and only then."""
        own = self.next_meeting == self.NextMeeting.OWN
        if own and not self.next_meeting_text.strip():
            raise ValidationError(
                {
                    "next_meeting_text": "Type the wording for the date of the next meeting, or "
                    "choose to print the next meeting from the records or nothing."
                }
            )
        if not own and self.next_meeting_text.strip():
            raise ValidationError(
                {
                    "next_meeting_text": "Wording for the date of the next meeting is printed only "
                    "when its own wording is chosen; choose it, or clear the wording."
                }
            )

    def in_attendance_lines(self) -> list[str]:
        """The people expected in attendance, as the agenda's cover prints them."""
        return [line.strip() for line in self.in_attendance.splitlines() if line.strip()]

    # The dates of a meeting recorded as history, in the order its steps happen.
    HISTORY_STEPS = (
        ("agenda_published_at", "the agenda was published"),
        ("minutes_circulated_at", "the minutes were circulated"),
        ("minutes_approved_at", "the minutes were approved"),
        ("minutes_published_at", "the minutes were published"),
    )

    def _check_history_dates(self) -> None:
        """The typed dates of a meeting recorded as history follow one another: the agenda
        on or before the meeting day, the minutes' steps after it, each after the last."""
        days = [
            (name, what, timezone.localtime(getattr(self, name)).date())
            for name, what in self.HISTORY_STEPS
            if getattr(self, name) is not None
        ]
        published = next((d for n, _, d in days if n == "agenda_published_at"), None)
        if published is not None and published > self.date:
            raise ValidationError(
                {
                    "agenda_published_at": f"The date the agenda was published "
                    f"({short_date(published)}) is after the meeting ({short_date(self.date)})."
                }
            )
        later = [(n, w, d) for n, w, d in days if n != "agenda_published_at"]
        previous = ("", "the meeting", self.date)
        for name, what, day in later:
            if day < previous[2]:
                raise ValidationError(
                    {
                        name: f"The date {what} ({short_date(day)}) is before the date "
                        f"{previous[1]} ({short_date(previous[2])})."
                        if previous[0]
                        else f"The date {what} ({short_date(day)}) is before the meeting "
                        f"({short_date(self.date)})."
                    }
                )
            previous = (name, what, day)

    def quorum(self, **loaded: Any) -> q.MeetingQuorum:
        """Quorum per agenda item, from the records (a handful of queries, whatever the size,
        fewer for the records a page has loaded already: see compute_quorum)."""
        return compute_quorum(self, **loaded)

    def member_ids(self) -> set[int]:
        """The people with an active appointment to the body on the meeting date."""
        return set(self.body.appointments_on(self.date).values_list("person_id", flat=True))


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
