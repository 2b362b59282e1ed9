"""The partners' forms: a status update on an action they own, a proposal for a body's
forward plan, and an entry in their own register of interests."""

from __future__ import annotations

from typing import Any

from django import forms

from actions.models import Status
from meetings.models import ForwardPlanItem, Meeting
from members.models import Body, Interest
from vru_governance.workspace.forms import VersionField


class ActionUpdateForm(forms.Form):
    """A new status and a note, recorded through actions.services.add_update."""

    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        label="Note (public)",
        help_text=(
            "Public: the note is printed in the actions-arising report and published on the "
            'website and in its open data. For example "The letter has been sent."'
        ),
    )
    # The action's version the dashboard was opened with: an update posted after someone else
    # changed the action is refused, not laid over theirs.
    version = VersionField()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") in (Status.COMPLETE, Status.SUPERSEDED) and not data.get("note"):
            self.add_error(
                "note", "Say what was done (or what superseded it) when closing an action."
            )
        return data


class ProposalForm(forms.ModelForm):
    """Title, presenter, notes and when it should come (a meeting or a month)."""

    target_month = forms.DateField(
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        label="Month aimed for",
        help_text="For example 2025-03. Leave empty if you chose a meeting.",
    )

    class Meta:
        model = ForwardPlanItem
        fields = ["title", "presenter", "notes", "target_meeting", "target_month"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"target_meeting": "Meeting aimed for"}
        help_texts = {
            "presenter": "Who would present it, e.g. a name and role.",
            "notes": "Why the board should consider it, and any paper it needs.",
        }

    def __init__(self, *args: Any, body: Body, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.body = body
        field = self.fields["target_meeting"]
        field.queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings])
        field.label_from_instance = lambda m: f"{m.date:%-d %B %Y}"
        field.required = False
        field.empty_label = "No particular meeting"
        # The meetings given, in the queryset's order (one body's: by date and time), rather
        # than read again to print them; the queryset still checks what is posted.
        ordered = sorted(meetings, key=lambda m: (m.date, m.start_time, m.pk))
        field.choices = [
            ("", field.empty_label),
            *((m.pk, field.label_from_instance(m)) for m in ordered),
        ]


class InterestForm(forms.ModelForm):
    """Add or correct a registered interest; set the end date when it no longer applies."""

    # The entry's version the form was opened with (optimistic locking): a secretary may
    # record the end of the same interest meanwhile. Not a model field of the form.
    version = VersionField()

    class Meta:
        model = Interest
        fields = ["category", "description", "registered_on", "ended_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"registered_on": "Registered on", "ended_on": "Ended on"}
        help_texts = {"ended_on": "Leave empty while the interest applies."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class NoteForm(forms.Form):
    """A partner's private note on a paper (reports/notes.py saves it)."""

    text = forms.CharField(
        label="Your note",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text="Only you can read it: not the secretariat, not other partners.",
    )
    # The note's version the page was opened with (0: no note yet): a note changed on another
    # device since is not overwritten.
    version = VersionField()
