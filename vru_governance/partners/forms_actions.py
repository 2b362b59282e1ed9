"""The partner's form for a status update on an action they own."""

from __future__ import annotations

from django import forms

from actions.models import Status


class ActionUpdateForm(forms.Form):
    """A new status and a note, recorded through actions.services.add_update."""

    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text='Printed in the actions-arising report, e.g. "The letter has been sent."',
    )
    # The action's version the dashboard was opened with: an update posted after someone else
    # changed the action is refused, not laid over theirs.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") in (Status.COMPLETE, Status.SUPERSEDED) and not data.get("note"):
            self.add_error(
                "note", "Say what was done (or what superseded it) when closing an action."
            )
        return data
