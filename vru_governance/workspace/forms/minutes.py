"""Forms of the secretary's workspace for the minutes: items, paragraphs, declarations,
dissent, the lifecycle steps and corrections."""

from __future__ import annotations

from typing import Any

from django import forms

from meetings.models import AgendaItem, Dissent, Meeting
from meetings.services.minutes import DecisionInput
from meetings.services.minutes_lifecycle import approving_meetings
from members.models import Person
from vru_governance.workspace.forms.meetings import DATE, HISTORY_HELP, TIME, VersionForm


class ItemMinutesForm(VersionForm):
    """An item's minutes and its decision: the recommendation as put, the outcome and the
    wording approved (reservations and dissent are recorded below the form)."""

    recommendation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Recommendation as put",
        help_text="Markdown. As the paper or the Chair put it to the board.",
    )
    outcome = forms.ChoiceField(
        choices=[("", "No outcome")] + AgendaItem.Outcome.choices,
        required=False,
        help_text="'Agreed with reservations' needs each reservation recorded first (below).",
    )
    approved_wording = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Wording approved",
        help_text="Markdown. The wording the board approved, where it was minuted.",
    )
    decision_paragraph = forms.IntegerField(
        min_value=1,
        required=False,
        label="Stated in paragraph",
        help_text="Where a paragraph above already states the decision ('Partners noted …'): "
        "its place (1 for the first). The minutes then print no separate outcome line.",
    )

    DECISION_FIELDS = ("recommendation", "outcome", "approved_wording", "decision_paragraph")

    def decision(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            recommendation=data["recommendation"],
            approved_wording=data["approved_wording"],
            paragraph=data["decision_paragraph"],
        )

    @classmethod
    def initial_for(cls, item: AgendaItem) -> dict[str, Any]:
        """The form's initial values: the item's decision as recorded and its version."""
        return {name: getattr(item, name) for name in cls.DECISION_FIELDS} | {
            "version": item.version
        }


class ParagraphForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Paragraph",
        help_text="Markdown. A line 'Action: Name and Name' under the paragraph creates an "
        "action owned by them (or by a role such as Clerk); 'Action: Name — what to do' gives "
        "the action its own words, printed so in the minutes (otherwise it takes the "
        "paragraph's, and the minutes print 'Action: Name').",
    )


ParagraphFormSet = forms.formset_factory(ParagraphForm, extra=1, can_delete=True)


class DeclarationForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    interest = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    withdrew = forms.BooleanField(required=False, label="Withdrew for this item")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class DissentForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    kind = forms.TypedChoiceField(
        choices=Dissent.Kind.choices,
        initial=Dissent.Kind.DISSENT,
        required=False,
        empty_value=Dissent.Kind.DISSENT,  # a form posted before reservations: dissent
        label="Recorded as",
        help_text="A reservation is held by a member who joined the agreement; dissent, by one "
        "who did not.",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Reason (as the minutes print it)"
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ClosingTimeForm(VersionForm):
    end_time = forms.TimeField(widget=TIME, label="The meeting closed at", required=False)


class StepDateForm(forms.Form):
    """The date of a minutes step recorded as history (circulated or published)."""

    on = forms.DateField(widget=DATE, required=False, help_text=HISTORY_HELP)

    def __init__(self, *args: Any, label: str, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.fields["on"].required = required


class ApproveForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="Approved at the meeting of",
        empty_label="—",
    )
    by_chair = forms.BooleanField(required=False, label="Approved by the Chair")
    approved_on = forms.DateField(
        widget=DATE,
        required=False,
        label="Date of the approval",
        help_text="For an approval by the Chair, or one recorded as history; an approval at a "
        "meeting is dated that meeting's day.",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        later = list(approving_meetings(meeting).prefetch_related("items"))
        field = self.fields["at_meeting"]
        field.queryset = approving_meetings(meeting)
        field.choices = [("", "—")] + [(m.pk, _approving_label(m)) for m in later]


def _approving_label(meeting: Meeting) -> str:
    item = next(
        (i for i in meeting.items.all() if i.kind == AgendaItem.Kind.MINUTES_OF_LAST_MEETING),
        None,
    )
    where = f", item {item.number}" if item is not None else ""
    return f"{meeting.date:%-d %B %Y}{where}"


class CorrectionForm(VersionForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Corrected text")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Reason for the correction"
    )
