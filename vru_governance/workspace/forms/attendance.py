"""Forms of the secretary's workspace for a meeting's attendance."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import construct_instance

from meetings.models import AgendaItem, Attendance, Meeting
from meetings.services.attendance import MEMBER_STATES, AttendanceChange
from members.models import Person
from vru_governance.workspace.forms import VersionField


def item_numbers(items: list[AgendaItem]) -> dict[str, AgendaItem]:
    """The meeting's items by number as typed ("3", "8a"), for the grid's item fields."""
    return {i.number.lower(): i for i in items}


class ItemNumberField(forms.CharField):
    """An item of the meeting, typed by its number ("3", "8a", "Item 3"); blank: the whole
    meeting at that end. A text box with one list of the numbers for the page, rather than a
    select of every item on every row."""

    def __init__(self, *, blank: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.blank = blank
        self.items: dict[str, AgendaItem] = {}
        self.widget.attrs.update(
            {
                "list": "item-numbers",
                "size": "4",
                "placeholder": blank,
                "autocomplete": "off",
                "class": "form-control form-control-sm",
            }
        )

    def prepare_value(self, value: Any) -> Any:
        return value.number if isinstance(value, AgendaItem) else value

    def clean(self, value: Any) -> AgendaItem | None:
        text = " ".join(str(super().clean(value) or "").split()).lower()
        text = text.removeprefix("item").strip()
        if not text:
            return None
        if text not in self.items:
            numbers = ", ".join(i.number for i in self.items.values()) or "none yet"
            raise ValidationError(
                f"There is no item {text} on this agenda (its items are {numbers}).",
                code="invalid_choice",
            )
        return self.items[text]


class StateField(forms.ChoiceField):
    """A member's attendance, one of the four states. The choices never change, so each row's
    copy of the field shares them instead of deep-copying them (most of a row form's setup)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> StateField:
        return forms.Field.__deepcopy__(self, memo)


class MemberAttendanceForm(forms.Form):
    """One row of the attendance grid per member with an active appointment."""

    state = StateField(choices=MEMBER_STATES, widget=forms.RadioSelect, label="Attendance")
    from_item = ItemNumberField(label="Arrived at item", blank="start")
    to_item = ItemNumberField(label="Left after item", blank="close")

    def __init__(self, *args: Any, items: list[AgendaItem] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if items is not None:
            _item_choices(self.fields, items)

    @classmethod
    def for_items(cls, items: list[AgendaItem]) -> type[MemberAttendanceForm]:
        """The form with the meeting's items, set up once for the whole page rather than once
        for each member's row."""
        form_class = type(cls.__name__, (cls,), {"__module__": cls.__module__})
        form_class.base_fields = copy.deepcopy(cls.base_fields)
        _item_choices(form_class.base_fields, items)
        return form_class


class OtherAttendeeForm(forms.Form):
    """A row of the grid for a substitute or a person in attendance: one already recorded
    (its person fixed), or a blank row for someone new, typed by name."""

    name = forms.CharField(required=False, max_length=200, label="Name")
    role = forms.CharField(required=False, max_length=300, label="Role (for someone new)")
    on_behalf_of = forms.CharField(
        required=False,
        max_length=200,
        label="On behalf of (a member; blank: in attendance)",
    )
    remote = forms.BooleanField(required=False, label="Remote")
    from_item = ItemNumberField(label="Arrived at item", blank="start")
    to_item = ItemNumberField(label="Left after item", blank="close")
    remove = forms.BooleanField(required=False, label="Remove")

    def __init__(
        self,
        *args: Any,
        members: dict[str, Person],
        items: list[AgendaItem],
        record: Attendance | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.record = record
        _item_choices(self.fields, items)
        for name in ("name", "role", "on_behalf_of"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["on_behalf_of"].widget.attrs.update({"list": "member-names", "size": "18"})
        self.fields["name"].widget.attrs.update(
            {"list": "people-names", "autocomplete": "off", "placeholder": "Name"}
        )
        self.fields["role"].widget.attrs.update({"placeholder": "Role"})
        if record is not None:
            del self.fields["name"], self.fields["role"]
        else:
            del self.fields["remove"]

    def clean_on_behalf_of(self) -> Person | None:
        text = " ".join(self.cleaned_data["on_behalf_of"].split())
        if not text:
            return None
        member = self.members.get(text.lower())
        if member is None:
            raise ValidationError(
                f"{text} is not a member on the meeting date: give the name of one of the "
                "members listed above, as it is written there, or leave it blank for someone "
                "in attendance."
            )
        return member

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.record is None and self.has_changed() and not data.get("name"):
            self.add_error("name", "Give the name of the person attending.")
        return data

    def row(self) -> AttendanceChange:
        """What the service records for this row."""
        data = self.cleaned_data
        return AttendanceChange(
            attendance_id=self.record.pk if self.record is not None else None,
            name=data.get("name", ""),
            role=data.get("role", ""),
            on_behalf_of=data["on_behalf_of"],
            remote=data["remote"],
            from_item=data["from_item"],
            to_item=data["to_item"],
            remove=data.get("remove", False),
        )


def _names_as_choices(field: forms.ModelChoiceField) -> None:
    """A select of people, labelled by name (Person.__str__) in the queryset's order, read as
    (pk, name) pairs when it is rendered: building a Person for each of hundreds of options
    cost more than the rest of the form. The queryset still checks what is posted."""
    queryset = field.queryset
    empty = [] if field.empty_label is None else [("", field.empty_label)]

    @functools.cache  # read once for the form however often the widget goes through them
    def choices() -> list[tuple[Any, str]]:
        return [*empty, *queryset.values_list("pk", "name")]

    field.choices = choices


def _item_choices(fields: dict[str, forms.Field], items: list[AgendaItem]) -> None:
    """Arrived at and left after: the meeting's items, by number."""
    numbers = item_numbers(items)
    for name in ("from_item", "to_item"):
        field = fields[name]
        if isinstance(field, ItemNumberField):
            field.items = numbers
            continue
        field.queryset = AgendaItem.objects.filter(pk__in=[i.pk for i in items])
        field.choices = [("", field.empty_label), *[(i.pk, f"Item {i.number}") for i in items]]


class AttendeeForm(forms.ModelForm):
    """A substitute (on behalf of a member) or a person in attendance."""

    new_person_name = forms.CharField(
        required=False,
        max_length=200,
        label="Or a new person: name",
    )
    new_person_role = forms.CharField(required=False, max_length=300, label="Their role")
    version = VersionField()

    class Meta:
        model = Attendance
        fields = ["person", "capacity", "on_behalf_of", "remote", "from_item", "to_item"]
        labels = {"from_item": "Arrived at", "to_item": "Left after"}

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        members: list[Person],
        items: list[AgendaItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["person"].required = False
        self.fields["person"].queryset = Person.objects.order_by("name")
        self.fields["capacity"].choices = [
            (Attendance.Capacity.SUBSTITUTE, "Substitute on behalf of a member"),
            (Attendance.Capacity.IN_ATTENDANCE, "In attendance"),
        ]
        self.fields["on_behalf_of"].queryset = Person.objects.filter(
            pk__in=[m.pk for m in members]
        ).order_by("name")
        for name in ("person", "on_behalf_of"):
            _names_as_choices(self.fields[name])
        self.fields["from_item"].empty_label = "the start"
        self.fields["to_item"].empty_label = "the close"
        _item_choices(self.fields, items)
        if self.instance.pk:
            del self.fields["new_person_name"], self.fields["new_person_role"]
            self.fields["person"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.instance.pk and not data.get("person") and not data.get("new_person_name"):
            self.add_error("person", "Choose a person, or give a new person's name.")
        if data.get("person") and data.get("new_person_name"):
            self.add_error("new_person_name", "Choose a person or give a new name, not both.")
        return data

    def _post_clean(self) -> None:
        if self.cleaned_data.get("person") is None and not self.instance.pk:
            # A new person: the service creates them and validates the record in one go.
            self.instance = construct_instance(self, self.instance, self._meta.fields)
            return
        super()._post_clean()


class ContactOfficerForm(forms.Form):
    """The clerk on the day, named as the contact officer by the minutes and the actions-arising
    report: one of the body's secretaries or of the officers in attendance."""

    contact_officer = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Clerk on the day (the contact officer the minutes name)",
        empty_label="The body's first secretary",
    )
    version = VersionField()

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact_officer"]
        field.queryset = Person.objects.filter(
            Q(user__in=meeting.body.secretaries.all())
            # A subquery, not a join: one meeting's rows through its index, whatever
            # the size of the attendance table.
            | Q(
                pk__in=Attendance.objects.filter(meeting=meeting, capacity="in_attendance").values(
                    "person_id"
                )
            )
            | Q(pk=meeting.contact_officer_id)
        ).order_by("name")
        field.widget.attrs["class"] = "form-select"
        _names_as_choices(field)
