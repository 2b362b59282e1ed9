"""Creating a record like one that exists (a second meeting on a date, a person with the
name of another): the form asks to confirm and shows the existing ones. The tick box is hidden
until the warning appears with it."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join


class ConfirmDuplicateField(forms.BooleanField):
    """Ticked to create the record anyway; a hidden input until a duplicate is found."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Create it anyway")
        super().__init__(**kwargs)


def ask_to_confirm(
    form: forms.BaseForm, warning: str, existing: list[tuple[str, str]], name: str = "confirm"
) -> None:
    """Unless `name` is ticked: refuse the form with the warning, show the tick box, and list
    the existing records as (text, url) pairs (no link where the url is empty)."""
    if form.cleaned_data.get(name):
        return
    field = form.fields[name]
    field.widget = forms.CheckboxInput()
    # The bound field was made while cleaning: it keeps its own copy of the help text.
    field.help_text = form[name].help_text = format_html(
        "Already recorded: {}.",
        format_html_join(
            "; ",
            "{}",
            (
                (format_html('<a href="{}">{}</a>', url, text) if url else text,)
                for text, url in existing
            ),
        ),
    )
    form.add_error(name, warning)
