"""Forms of the secretary's workspace for meetings: agenda, papers, publication, attendance,
minutes and the forward plan."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import construct_instance
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, Dissent, ForwardPlanItem, Meeting
from meetings.services.attendance import MEMBER_STATES
from meetings.services.minutes import DecisionInput
from meetings.services.minutes_lifecycle import approving_meetings
from meetings.services.publication import Check
from members.models import Person
from reports.models import SECTIONS, Paper
from reports.pdf_safety import RefusedPdf, check_paper_pdf
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
                        f"{m.date:%-d %B %Y} at {m.start_time:%H:%M}",
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


class ItemForm(VersionForm):
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
        "action owned by them (or by a role such as Clerk).",
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
