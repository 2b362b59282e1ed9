"""The partner's form for an entry in their own register of interests."""

from __future__ import annotations

from django import forms

from members.models import Interest


class InterestForm(forms.ModelForm):
    """Add or correct a registered interest; set the end date when it no longer applies."""

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
