"""The form for a one-time code from an authenticator app (signing in, enrolling, removing)."""

from __future__ import annotations

import re

from django import forms


class CodeForm(forms.Form):
    """Six digits; spaces and dashes that apps show between groups are ignored."""

    code = forms.CharField(
        label="6-digit code",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
        error_messages={"required": "Enter the 6-digit code your authenticator app shows."},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(
                "Enter the 6 digits your authenticator app shows, for example 123456."
            )
        return code


class EnrolForm(CodeForm):
    """A first code, and the password again: a session left open is not enough to enrol a
    phone that would then lock the account's owner out."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm it is you."},
    )
    field_order = ["password", "code"]

    def __init__(self, *args, user, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
