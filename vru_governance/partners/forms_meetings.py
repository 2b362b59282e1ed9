"""The partner's form to propose an item for a body's forward plan."""

from __future__ import annotations

from django import forms

from meetings.models import ForwardPlanItem, Meeting
from members.models import Body


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

    def __init__(self, *args: object, body: Body, meetings: list[Meeting], **kwargs: object):
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
