"""Forms of the secretary's workspace for the action log."""

from __future__ import annotations

from typing import Any

from django import forms

from actions.models import Status
from vru_governance.workspace.forms import VersionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    """An action's wording, deadline and owners (people by name, or roles such as Clerk)."""

    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Action")
    deadline = forms.DateField(widget=DATE, required=False)
    ongoing = forms.BooleanField(required=False, label="Ongoing (no fixed deadline)")
    owners = forms.CharField(
        max_length=500,
        help_text="Names or roles, e.g. 'Lib Peck and Jake Ferguson' or 'Clerk'.",
    )
    # The action's version the form was opened with (optimistic locking).
    version = VersionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("ongoing") and data.get("deadline"):
            self.add_error("deadline", "An ongoing action has no deadline; clear one or the other.")
        return data


class UpdateForm(forms.Form):
    """A status update: kept with who made it and when."""

    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="E.g. 'The letter has been sent.'",
    )
    date = forms.DateField(widget=DATE, required=False, help_text="Today if empty.")
    version = VersionField()


class FilterForm(forms.Form):
    """The filters and sort of the action log (a GET form)."""

    body = forms.ChoiceField(required=False)
    meeting = forms.ChoiceField(required=False)
    owner = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    overdue = forms.BooleanField(required=False, label="Overdue only")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-meeting", "Newest meeting first"),
            ("meeting", "Oldest meeting first"),
            ("deadline", "Deadline, soonest first"),
            ("-deadline", "Deadline, latest first"),
            ("status", "Status"),
        ],
    )

    def __init__(
        self, *args: Any, bodies: list, meetings: list, owners: list, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "Any body")] + [(b.pk, b.name) for b in bodies]
        self.fields["meeting"].choices = [("", "Any meeting")] + [
            (m.pk, f"{m.body.slug}: {m.date:%-d %B %Y}") for m in meetings
        ]
        self.fields["owner"].choices = [("", "Any owner")] + owners
        if len(bodies) <= 1:
            self.fields["body"].widget = forms.HiddenInput()

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "body": int(d["body"]) if d.get("body") else None,
            "meeting": int(d["meeting"]) if d.get("meeting") else None,
            "owner": d.get("owner") or "",
            "status": d.get("status") or "",
            "overdue": bool(d.get("overdue")),
            "sort": d.get("sort") or "-meeting",
        }
