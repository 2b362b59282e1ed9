"""Forms of the secretary's workspace for meetings: agenda, papers, publication and the
forward plan (attendance and minutes have their own modules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from meetings.models import PRESENTER_LEADS, AgendaItem, ForwardPlanItem, Meeting
from meetings.services.publication import Check
from members.models import Person
from reports.models import SECTIONS, Paper
from reports.pdf_safety import RefusedPdf, check_paper_pdf
from vru_governance.rules.formats import clock
from vru_governance.workspace.forms import VersionField
from vru_governance.workspace.forms.duplicates import ConfirmDuplicateField, ask_to_confirm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionForm(forms.Form):
    """A form that carries the version of the record it edits (optimistic locking)."""

    version = VersionField()


class IdsField(forms.ModelMultipleChoiceField):
    """Records chosen by id: an id no database column can hold is an invalid choice, not an
    error from the database (Django filters the posted ids with one IN query)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and len(text) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super()._check_values(value)


class NewMeetingForm(forms.Form):
    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME, label="Start time")
    end_time = forms.TimeField(widget=TIME, label="Finish time", required=False)
    place = forms.CharField(max_length=300, required=False)
    planned = IdsField(
        queryset=ForwardPlanItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Items from the forward plan",
    )

    confirm = ConfirmDuplicateField(label="Create another meeting on that date")

    def __init__(self, *args: Any, body: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["planned"].queryset = body.forward_plan.filter(placed_item__isnull=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date = data.get("date")
        same_day = list(self.body.meetings.filter(date=date).order_by("start_time")) if date else []
        # The same date and time is refused by the service whatever is ticked (its message).
        if same_day and data.get("start_time") not in {m.start_time for m in same_day}:
            ask_to_confirm(
                self,
                f"The body already has a meeting on {date:%-d %B %Y}. Is this another one? "
                "Tick the box to create it.",
                [
                    (
                        f"{m.date:%-d %B %Y} at {clock(m.start_time)}",
                        reverse("workspace:meeting", kwargs={"body": self.body.slug, "key": m.key}),
                    )
                    for m in same_day
                ],
            )
        return data


class MeetingDetailsForm(VersionForm):
    date = forms.DateField(widget=DATE)
    start_time = forms.TimeField(widget=TIME, label="Start time")
    end_time = forms.TimeField(widget=TIME, label="Closing time", required=False)
    place = forms.CharField(max_length=300, required=False)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for the correction",
        help_text="Once the agenda is published its details change only as a correction: the "
        "documents are issued again as new versions that print this reason.",
    )


OWN_LEAD = "own"
LEAD_CHOICES = [
    ("", "A report to be presented by (with a paper), else To be presented by"),
    *[(lead, lead) for lead in PRESENTER_LEADS],
    (OWN_LEAD, "Other wording, typed below"),
]


def lead_initial(lead: str) -> dict[str, str]:
    """The wording fields of an item form for a stored lead-in."""
    if not lead or lead in PRESENTER_LEADS:
        return {"lead": lead, "own_lead": ""}
    return {"lead": OWN_LEAD, "own_lead": lead}


class AgendaWordingForm(VersionForm):
    """The agenda's 'In attendance' list and what it prints under 'Date of next meeting'."""

    in_attendance = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label="In attendance (printed on the agenda's cover)",
        help_text="The officers and guests expected, one per line, e.g. 'Lib Peck, Director of "
        "Violence Reduction Unit'. Leave empty to print no list.",
    )
    next_meeting = forms.ChoiceField(
        choices=Meeting.NextMeeting.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Under 'Date of next meeting', print",
    )
    next_meeting_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label="Wording for the date of the next meeting",
        help_text="e.g. 'The next meeting will be held on Wednesday 12 June 2019 at 2:00pm, at "
        "City Hall.'",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for the correction",
        help_text="Once the agenda is published this wording changes only as a correction: the "
        "agenda and packs are issued again as new versions that print this reason.",
    )


class LeadForm(forms.Form):
    """The wording before a presenter: one of the seed's, or typed."""

    lead = forms.ChoiceField(
        choices=LEAD_CHOICES,
        required=False,
        label="Wording before the presenter",
        help_text="As the agenda prints it, e.g. 'An update to be provided by Sophie Linden, "
        "Deputy Mayor for Policing and Crime.'",
    )
    own_lead = forms.CharField(
        max_length=200,
        required=False,
        label="Other wording",
        help_text="Printed before the presenter, e.g. 'A report and PowerPoint to be presented "
        "by'; with no presenter, printed on its own (e.g. 'A verbal update from the Chair').",
    )

    def clean(self) -> dict[str, Any]:
        """The two wording fields become the item's one lead-in (the service's argument)."""
        data = super().clean()
        choice, own = data.pop("lead", ""), data.pop("own_lead", "").strip()
        if choice == OWN_LEAD and not own:
            self.add_error("own_lead", "Type the wording, or choose one from the list.")
        elif choice != OWN_LEAD and own:
            self.add_error("own_lead", "Choose 'Other wording' to print the wording typed here.")
        data["presenter_lead"] = own if choice == OWN_LEAD else choice
        return data


class ItemForm(LeadForm, VersionForm):
    title = forms.CharField(max_length=300)
    presenter = forms.CharField(
        max_length=400,
        required=False,
        help_text="Name and role, e.g. Lib Peck, Director of Violence Reduction Unit.",
    )
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.BUSINESS)
    sub_item = forms.BooleanField(required=False, label="Sub-item of the item above (8a, 8b)")
    minutes_allowed = forms.IntegerField(
        min_value=1,
        max_value=480,
        required=False,
        label="Minutes allowed",
        help_text="Optional: the chair's brief times the items from the start of the meeting.",
    )
    field_order = ["title", "lead", "own_lead", "presenter", "kind", "sub_item"]


class StandardItemForm(LeadForm):
    """A row of a body's standard agenda; a blank row is left out."""

    title = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.BUSINESS)
    presenter = forms.CharField(max_length=400, required=False)
    field_order = ["title", "kind", "lead", "own_lead", "presenter"]


StandardAgendaFormSet = forms.formset_factory(
    StandardItemForm, extra=3, can_delete=True, can_order=True, max_num=30, absolute_max=60
)


class AddItemForm(ItemForm):
    after = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Place after",
        empty_label="Before 'Any other business'",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["after"].queryset = meeting.items.all()
        self.fields["after"].label_from_instance = lambda i: f"Item {i.number}: {i.title}"


# What every paper has, authored or uploaded; "final" is asked last.
PAPER_FIELDS = [
    "title",
    "author",
    "presented_by",
    "cleared_by",
    "classification",
    "exemption_section",
    "exemption_reason",
    "exemption_review_on",
]
PAPER_WIDGETS = {
    "exemption_review_on": DATE,
    "exemption_reason": forms.Textarea(attrs={"rows": 2}),
}


class PaperErrorsMixin:
    """The model's rules name its fields: one this form does not show is said beside the
    upload (the file) or above the form, never an error of the page."""

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            placed: dict[str, list] = {}
            for name, found in errors.error_dict.items():
                if name not in self.fields and name != NON_FIELD_ERRORS:
                    name = "upload" if name == "file" and "upload" in self.fields else None
                placed.setdefault(name or NON_FIELD_ERRORS, []).extend(found)
            errors = ValidationError(placed)
        super()._update_errors(errors)


class PaperForm(PaperErrorsMixin, forms.ModelForm):
    """A paper authored in the browser, section by section."""

    version = VersionField()

    class Meta:
        model = Paper
        fields = [*PAPER_FIELDS, "final", *[key for key, _ in SECTIONS]]
        labels = dict(SECTIONS)
        widgets = {
            **PAPER_WIDGETS,
            **{key: forms.Textarea(attrs={"rows": 4}) for key, _ in SECTIONS},
        }


class PaperReviewForm(PaperErrorsMixin, forms.ModelForm):
    """A paper of a published agenda: only what the lock leaves free, the date an exempt
    paper's exemption is reviewed (meetings/lifecycle.py)."""

    version = VersionField()

    class Meta:
        model = Paper
        fields = ["exemption_review_on"]
        widgets = PAPER_WIDGETS


class PaperUploadForm(PaperErrorsMixin, forms.ModelForm):
    """A paper uploaded as a PDF: only real PDFs up to the size limit are accepted."""

    upload = forms.FileField(label="PDF file", required=False)
    version = VersionField()

    class Meta:
        model = Paper
        fields = [*PAPER_FIELDS, "file_has_equality_comments", "final"]
        widgets = PAPER_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].required = not self.instance.file
        self.fields["upload"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_upload(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        return check_pdf(upload)

    def _post_clean(self) -> None:
        # reports.papers.save_paper attaches the file; until then the model's rules would judge a
        # new upload as an authored paper (and name fields this form does not have).
        if self.instance.file:
            super()._post_clean()
            return
        self.instance.file.name = "pending-upload.pdf"
        try:
            super()._post_clean()
        finally:
            self.instance.file.name = ""


def check_pdf(upload: UploadedFile) -> UploadedFile:
    """Refuse anything but an acceptable paper (reports.pdf_safety.check_paper_pdf)."""
    try:
        check_paper_pdf(upload, size=upload.size)
    except RefusedPdf as exc:
        raise forms.ValidationError(str(exc)) from exc
    return upload


HISTORY_HELP = (
    "Only for a meeting entered after the fact: the date it really happened. Nothing is "
    "e-mailed, and the date (not today's) is what the public pages and the feed show."
)


class PublishForm(forms.Form):
    """A reason field for each failed check: publishing anyway records the reason. A past
    meeting may be recorded as history, with the date its agenda was really published."""

    published_on = forms.DateField(
        widget=DATE,
        required=False,
        label="Record as history: the agenda was published on",
        help_text=HISTORY_HELP,
    )

    def __init__(self, *args: Any, checks: list[Check], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for check in checks:
            if check.blocks:
                self.fields[check.key] = forms.CharField(
                    label=f"Reason for publishing despite: {check.label}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                )
        # The history date last, after the reasons it may make unnecessary.
        self.order_fields([*[k for k in self.fields if k != "published_on"], "published_on"])

    def acknowledgements(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v and k != "published_on"}


class ForwardPlanForm(forms.ModelForm):
    # The item's version the form was opened with (optimistic locking); not a model field of
    # the form, so only the service compares and raises it.
    version = VersionField()

    class Meta:
        model = ForwardPlanItem
        fields = ["title", "presenter", "target_meeting", "target_month", "proposed_by", "notes"]
        labels = {"target_month": "Target month (any day of it)"}
        widgets = {"target_month": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, body: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.body = body
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
        self.fields["target_meeting"].queryset = body.meetings.order_by("date")
        self.fields["proposed_by"].queryset = Person.objects.order_by("name")


class PlaceForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label="Into the agenda of")

    def __init__(self, *args: Any, body: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = body.meetings.filter(
            status__in=[Meeting.Status.DRAFT, Meeting.Status.AGENDA_PUBLISHED]
        ).order_by("date")
