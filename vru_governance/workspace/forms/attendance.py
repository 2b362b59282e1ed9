"""Forms of the secretary's workspace for a meeting's attendance."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django import forms
from django.forms.models import construct_instance

from meetings.models import AgendaItem, Attendance, Meeting
from meetings.services.attendance import MEMBER_STATES
from members.models import Person
from vru_governance.workspace.forms import VersionField


class MemberAttendanceForm(forms.Form):
    """One row of the attendance page per member with an active appointment."""

    state = forms.ChoiceField(choices=MEMBER_STATES, widget=forms.RadioSelect, label="Attendance")
    from_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Arrived at",
        empty_label="the start",
    )
    to_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Left after",
        empty_label="the close",
    )

    def __init__(self, *args: Any, items: list[AgendaItem] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if items is not None:
            _item_choices(self.fields, items)

    @classmethod
    def for_items(cls, items: list[AgendaItem]) -> type[MemberAttendanceForm]:
        """The form with the meeting's items as its choices, set up once for the whole page
        rather than once for each member's row."""
        form_class = type(cls.__name__, (cls,), {"__module__": cls.__module__})
        form_class.base_fields = copy.deepcopy(cls.base_fields)
        _item_choices(form_class.base_fields, items)
        return form_class


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
    queryset = AgendaItem.objects.filter(pk__in=[i.pk for i in items])
    labels = [(i.pk, f"Item {i.number}") for i in items]
    for name in ("from_item", "to_item"):
        field = fields[name]
        field.queryset = queryset
        field.choices = [("", field.empty_label), *labels]


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
