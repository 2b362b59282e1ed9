"""Forms of the secretary's workspace for corrections to what a published document shows:
the reason every correction asks for, an agenda item's correction, and withdrawing a paper
as exempt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from meetings.models import AgendaItem, Attendance
from meetings.services.attendance import AttendanceChange
from members.models import Person
from vru_governance.workspace.forms import VersionField
from vru_governance.workspace.forms.meetings import LeadForm, lead_initial

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_HELP = (
    "Published documents change only as a correction: they are issued again as new versions "
    "that print this reason, and the earlier versions stay available."
)


def reason_field(**kwargs: Any) -> forms.CharField:
    kwargs.setdefault("label", "Reason for the correction")
    kwargs.setdefault("help_text", REASON_HELP)
    kwargs.setdefault("error_messages", {"required": "Give the reason for the correction."})
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, **kwargs)


class ReasonForm(forms.Form):
    """The reason for a correction, posted with the form it corrects (prefix "correction")."""

    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "correction")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for the correction.")
        return reason


class ItemCorrectionForm(LeadForm):
    """An item of a published agenda as corrected: title, presenter (and the wording before
    it) and kind, with the reason. Its number and place stay as published."""

    title = forms.CharField(max_length=300)
    presenter = forms.CharField(
        max_length=400,
        required=False,
        help_text="Name and role, e.g. Lib Peck, Director of Violence Reduction Unit.",
    )
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices)
    reason = reason_field()
    version = VersionField()
    field_order = ["title", "lead", "own_lead", "presenter", "kind", "reason"]

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "presenter": item.presenter,
            **lead_initial(item.presenter_lead),
            "kind": item.kind,
            "version": item.version,
        }


class WithdrawPaperForm(forms.Form):
    """Withdrawing a published paper as exempt: the exemption, its review date and the reason.
    The first post shows what will happen; `confirmed` (sent by that page) does it."""

    exemption_section = forms.CharField(
        max_length=200,
        label="Exemption (section of the Freedom of Information Act 2000)",
        help_text="E.g. section 43 (commercial interests).",
    )
    exemption_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Public-interest reason"
    )
    review_on = forms.DateField(
        widget=DATE,
        label="Review the exemption on",
        help_text="You will be reminded to reconsider it then.",
    )
    reason = reason_field(
        help_text="Printed on the new versions of the agenda and packs, and beside the "
        "withdrawn ones."
    )
    version = VersionField()
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_review_on(self) -> dt.date:
        review_on = self.cleaned_data["review_on"]
        if review_on <= timezone.localdate():
            raise forms.ValidationError("Give a review date after today.")
        return review_on


REMOVE = "remove"


class RecordChoiceField(forms.ChoiceField):
    """A choice among records the page loaded once: no query for each row that offers it."""

    def __init__(self, *, empty: str = "—", **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=[], **kwargs)
        self.empty = empty
        self.records: dict[str, Any] = {}

    def offer(self, records: list[Any], label: Any = str) -> None:
        self.records = {str(r.pk): r for r in records}
        self.choices = [("", self.empty), *((str(r.pk), label(r)) for r in records)]

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.records.get(value) if value else None

    def has_changed(self, initial: Any, data: Any) -> bool:
        # The initial value is a primary key (or a record); the posted one is its text.
        initial = getattr(initial, "pk", initial)
        return str("" if initial is None else initial) != str("" if data is None else data)


class AttendanceRowForm(forms.Form):
    """One row of an attendance correction: a record as recorded (its person fixed; it may be
    removed), or a blank row for a person to add. The people and items offered are lists the
    page loaded once."""

    person = RecordChoiceField()
    capacity = forms.ChoiceField(choices=Attendance.Capacity.choices, label="Recorded as")
    on_behalf_of = RecordChoiceField(label="On behalf of (a substitute)")
    remote = forms.BooleanField(required=False)
    from_item = RecordChoiceField(label="Arrived at item", empty="start")
    to_item = RecordChoiceField(label="Left after item", empty="close")

    def __init__(
        self,
        *args: Any,
        record: Attendance | None = None,
        people: list[Person],
        members: list[Person],
        items: list[AgendaItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.record = record
        fields = self.fields
        fields["person"].offer(people)
        fields["on_behalf_of"].offer(members)
        for name in ("from_item", "to_item"):
            fields[name].offer(items, lambda i: f"{i.number} {i.title}")
        if record is not None:
            del fields["person"]
            fields["capacity"].choices = [
                *Attendance.Capacity.choices,
                (REMOVE, "Not at the meeting: remove the record"),
            ]
        else:
            fields["capacity"].choices = [("", "—"), *Attendance.Capacity.choices]
            fields["capacity"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.record is None and self.has_changed():
            if data.get("person") is None:
                self.add_error("person", "Choose the person to add.")
            if not data.get("capacity"):
                self.add_error("capacity", "Say how the person is recorded.")
        capacity = data.get("capacity")
        if capacity == Attendance.Capacity.SUBSTITUTE and data.get("on_behalf_of") is None:
            self.add_error("on_behalf_of", "Name the member the substitute attended for.")
        return data

    def change(self) -> AttendanceChange | None:
        """The row as the service takes it; None for a blank row or a row left as it is."""
        if not self.has_changed():
            return None
        data = self.cleaned_data
        if self.record is not None and data["capacity"] == REMOVE:
            return AttendanceChange(attendance_id=self.record.pk, remove=True)
        return AttendanceChange(
            attendance_id=self.record.pk if self.record is not None else None,
            person=data.get("person") if self.record is None else self.record.person,
            capacity=data["capacity"],
            on_behalf_of=data.get("on_behalf_of"),
            remote=data.get("remote", False),
            from_item=data.get("from_item"),
            to_item=data.get("to_item"),
        )
