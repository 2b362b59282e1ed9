"""The workspace's forms, by area; and the hidden version field every editing form carries."""

from __future__ import annotations

from typing import Any

from django import forms

from vru_governance.rules.versions import NOT_GIVEN


class VersionField(forms.IntegerField):
    """The version of the record the form was opened with (optimistic locking). A POST that
    leaves it out is out of date (NOT_GIVEN), never a save that skips the check."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int:
        cleaned = super().clean(value)
        return NOT_GIVEN if cleaned is None else cleaned
