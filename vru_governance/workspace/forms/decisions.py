"""The form that corrects the recorded decision of an item of approved minutes."""

from __future__ import annotations

from django import forms

from vru_governance.workspace.forms.minutes import ItemMinutesForm


class DecisionCorrectionForm(ItemMinutesForm):
    """The decision as corrected, and the reason (printed with the new versions)."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Reason for the correction"
    )
