"""The partner's form for an entry in their own register of interests."""

from __future__ import annotations

from typing import Any

from django import forms

from members.models import Interest


class InterestForm(forms.ModelForm):
    """Add or correct a registered interest; set the end date when it no longer applies."""

    # The entry's version the form was opened with (optimistic locking): a secretary may
    # record the end of the same interest meanwhile. Not a model field of the form.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
