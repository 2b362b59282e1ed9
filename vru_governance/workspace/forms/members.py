"""Forms of the secretary's workspace for members, people and terms of reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from members.models import Appointment, Body, Interest, Person, Sector, TermsOfReference
from members.people import people_of
from members.services import GroupLine, SeatLine
from vru_governance.workspace.forms import VersionField
from vru_governance.workspace.forms.duplicates import ConfirmDuplicateField, ask_to_confirm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppointForm(forms.ModelForm):
    """Appoint a person to a seat of the ToR in force on the start date.

    The people offered are the body's own (members, past and future, and people recorded at
    its meetings or owning its actions) and people on no body's records yet (just added), not
    everyone in the database; `also` adds one more, chosen from the namesakes listed when a
    new person's name is already in another body's records."""

    class Meta:
        model = Appointment
        fields = ["person", "seat_key", "start", "end", "honorific", "role", "exception"]
        labels = {
            "seat_key": "Seat",
            "exception": "Reason for an exception to the 30% rule",
            "honorific": "Honorific during the appointment",
            "role": "Role during the appointment",
        }
        widgets = {"start": DATE, "end": DATE, "exception": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, body: Body, also: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.body = body
        offered = people_of(Body.objects.filter(pk=body.pk))
        if also is not None:
            offered = offered | Person.objects.filter(pk=also.pk)
        self.fields["person"].queryset = offered.order_by("name", "key")
        self.fields["person"].help_text = (
            "The people of this board, and those just added. Someone else: add them as a new "
            "person first (a name already in the records is offered to appoint from there)."
        )
        self.fields["exception"].required = False
        # The seats, and their labels, of the version in force on the appointment's first day
        # (as typed, else as asked for, else today): a seat may be named otherwise in another.
        self.on = self._start_typed() or dt.date.today()
        self.terms = body.terms_in_force(self.on)
        seats = self.terms.seat_list() if self.terms else []
        self.fields["seat_key"] = forms.ChoiceField(
            label="Seat",
            choices=[("", "Choose a seat")] + [(s.key, f"{s.label} ({s.key})") for s in seats],
            help_text=(
                f"The seats of {self.terms.title}, in force on {self.on:%-d %B %Y}. "
                "For another first day, type it and choose “Show the seats on that date”."
                if self.terms
                else f"No terms of reference are in force on {self.on:%-d %B %Y}: "
                "endorse a version effective by then first, or type a later first day."
            ),
            error_messages={
                "invalid_choice": (
                    f"'%(value)s' is not a seat of {self.terms.title}, in force on "
                    f"{self.on:%-d %B %Y}; choose one of its seats."
                    if self.terms
                    else f"No terms of reference are in force on {self.on:%-d %B %Y}, "
                    "so there is no seat to appoint to."
                )
            },
        )

    def _start_typed(self) -> dt.date | None:
        """The first day typed (or given in the address), if it is a date."""
        value = self.data.get("start") if self.is_bound else self.initial.get("start")
        if isinstance(value, dt.date):
            return value
        try:
            return self.fields["start"].clean(value) if value else None
        except forms.ValidationError:
            return None


class EndAppointmentForm(forms.Form):
    end = forms.DateField(label="Last day of the appointment", widget=DATE)


class CorrectAppointmentForm(forms.Form):
    """Correct an appointment entered wrongly: its dates, honorific and role, with a reason."""

    start = forms.DateField(label="First day", widget=DATE)
    end = forms.DateField(label="Last day", widget=DATE, required=False)
    honorific = forms.CharField(max_length=40, required=False, label="Honorific")
    role = forms.CharField(max_length=300, required=False, label="Role")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the correction",
        help_text="Kept in the appointment's history.",
    )


class PersonForm(forms.ModelForm):
    """A person's details; a new person with the name of an existing one is confirmed first."""

    confirm = ConfirmDuplicateField(label="Add another person of that name")

    class Meta:
        model = Person
        fields = ["honorific", "name", "role", "organisation", "email"]

    def __init__(self, *args: Any, body: Body | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body

    def clean_name(self) -> str:
        # Spacing as typed is no part of a name: "Lib  Peck " is Lib Peck, and found as such.
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = data.get("name") or ""
        if self.instance.pk is None and name:
            namesakes = list(Person.objects.filter(name__iexact=name).order_by("key"))
            if namesakes:
                # Linked where this body's workspace may open them (members/people.py).
                linkable = (
                    set(
                        people_of(Body.objects.filter(pk=self.body.pk)).values_list("pk", flat=True)
                    )
                    if self.body is not None
                    else set()
                )
                ask_to_confirm(
                    self,
                    f"{name} is already in the records. Is this someone else? "
                    "Tick the box to add them.",
                    [
                        (
                            ", ".join(filter(None, [p.name, p.role, p.organisation])),
                            _namesake_link(self.body, p, p.pk in linkable),
                        )
                        for p in namesakes
                    ],
                )
        return data


def _namesake_link(body: Body | None, person: Person, linkable: bool) -> str:
    """Where a namesake listed by the confirmation opens: their page when this body's
    workspace may open it, else the appointment form with them offered (another board's
    partner appointed here too, rather than recorded twice)."""
    if body is None:
        return ""
    if linkable:
        return reverse("workspace:person", kwargs={"body": body.slug, "key": person.key})
    return (
        reverse("workspace:appoint", kwargs={"body": body.slug})
        + "?"
        + urlencode({"person": person.key})
    )


class InterestForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["category", "description", "registered_on"]
        widgets = {"registered_on": DATE, "description": forms.Textarea(attrs={"rows": 2})}


class EndInterestForm(forms.Form):
    ended_on = forms.DateField(label="Ended on", widget=DATE)
    # The entry's version the page was opened with (optimistic locking).
    version = VersionField()


class TermsForm(forms.ModelForm):
    """The settings of a draft ToR version."""

    interval = forms.CharField(
        required=False,
        label="Interval between meetings (days)",
        help_text="Shortest and longest, e.g. 28-42; empty for none.",
    )

    class Meta:
        model = TermsOfReference
        fields = [
            "version",
            "title",
            "effective_from",
            "text",
            "community_min_share",
            "quorum_fraction",
            "substitutes_count",
            "remote_counts",
            "agenda_notice_days",
        ]
        labels = {"agenda_notice_days": "Notice (clear days)"}
        widgets = {"effective_from": DATE, "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        lo, hi = self.instance.meeting_interval_min_days, self.instance.meeting_interval_max_days
        if lo is not None or hi is not None:
            self.initial.setdefault("interval", f"{lo or ''}-{hi or ''}")

    def clean_interval(self) -> tuple[int | None, int | None]:
        text = self.cleaned_data["interval"].strip()
        if not text:
            return None, None
        parts = [p.strip() for p in text.replace("–", "-").split("-")]
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
            raise forms.ValidationError(f"'{text}' is not two numbers of days such as 28-42.")
        return int(parts[0]), int(parts[1])

    def save(self, commit: bool = True) -> TermsOfReference:
        terms = super().save(commit=False)
        terms.meeting_interval_min_days, terms.meeting_interval_max_days = self.cleaned_data[
            "interval"
        ]
        return terms


class SeatLineForm(forms.Form):
    """One seat line of a draft; a row left blank is no line at all."""

    # Typed by the secretary; the sector's select always posts a value ("Chair" first), so it
    # does not make a row filled in.
    TYPED = ("key", "label", "count")

    key = forms.SlugField(
        max_length=50, required=False, help_text="Leave empty to make one from the label."
    )
    label = forms.CharField(max_length=300)
    sector = forms.ChoiceField(choices=Sector.choices)
    count = forms.IntegerField(
        min_value=1, required=False, help_text="Empty on the community line: computed."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any row may be left blank, a spare one or one emptied: it is skipped, not refused.
        self.empty_permitted = True

    def has_changed(self) -> bool:
        return any(str(self[name].value() or "").strip() for name in self.TYPED)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("key") and data.get("label"):
            key = slugify(data["label"])[:50].strip("-")
            if not key:
                self.add_error("key", "Give a key: the label has no letters or digits to make one.")
            data["key"] = key
        return data

    def line(self) -> SeatLine:
        d = self.cleaned_data
        return SeatLine(d["key"], d["label"], d["sector"], d["count"])


class GroupLineForm(forms.Form):
    label = forms.CharField(max_length=200)
    any_of = forms.CharField(label="Any of", help_text="Sectors or seat keys, separated by commas.")
    representative_allowed = forms.BooleanField(required=False, label="Representative counts")

    def line(self) -> GroupLine:
        d = self.cleaned_data
        any_of = [x.strip() for x in d["any_of"].split(",") if x.strip()]
        return GroupLine(d["label"], any_of, d["representative_allowed"])


SeatFormSet = forms.formset_factory(SeatLineForm, extra=2, can_delete=True)
# A blank draft opens with this many seat rows; "More seat rows" adds MORE_SEAT_ROWS at a time.
BLANK_SEAT_ROWS = 8
MORE_SEAT_ROWS = 4
GroupFormSet = forms.formset_factory(GroupLineForm, extra=1, can_delete=True)


def lines_of(formset: forms.BaseFormSet) -> list:
    """The typed lines of a formset, without blank extra forms and deleted ones."""
    return [
        f.line()
        for f in formset.forms
        if f.cleaned_data and not (formset.can_delete and f.cleaned_data.get("DELETE"))
    ]


class StartFromForm(forms.Form):
    """Which version a new draft of the terms of reference starts from (or none: blank)."""

    start_from = forms.ChoiceField(
        label="Start from",
        required=False,
        help_text="The new draft copies the settings, seats and quorum groups of that version.",
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {t.version: t for t in body.terms.order_by("-effective_from", "-pk")}
        self.fields["start_from"].choices = [("", "Nothing: a blank draft")] + [
            (
                t.version,
                f"{t.title} ({t.version}, {t.get_status_display().lower()}, "
                f"from {t.effective_from:%-d %B %Y})",
            )
            for t in self.versions.values()
        ]
        self.fields["start_from"].error_messages["invalid_choice"] = (
            "There is no version '%(value)s' of this body's terms of reference to start from."
        )

    def source(self, default: TermsOfReference | None) -> TermsOfReference | None:
        """The chosen version; the default while nothing valid was chosen."""
        if not self.is_bound or not self.is_valid():
            return default
        return self.versions.get(self.cleaned_data["start_from"])


class RosterDateForm(forms.Form):
    on = forms.DateField(label="Roster on", widget=DATE, required=False)

    def date(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return dt.date.today()
