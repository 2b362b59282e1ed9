"""The forms of two-step sign-in: a code from an authenticator app (enrolling), a code or a
backup code (signing in, removing), and the password again (enrolling, new backup codes)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.http import HttpRequest

from vru_governance.accounts import backup_codes

APP_CODE = re.compile(r"\d{6}")


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
        if not APP_CODE.fullmatch(code):
            raise forms.ValidationError(
                "Enter the 6 digits your authenticator app shows, for example 123456."
            )
        return code


class CodeOrBackupForm(CodeForm):
    """A code from the app or one of the user's backup codes. With `backup`, the field asks
    for a backup code (a text keyboard on phones, not a number pad); either kind is taken."""

    def __init__(self, *args: Any, backup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backup = backup
        field = self.fields["code"]
        if backup:
            field.label = "Backup code"
            field.widget.attrs.update(
                {"inputmode": "text", "autocomplete": "off", "spellcheck": "false", "size": 14}
            )
            field.error_messages["required"] = "Enter one of your backup codes."
        else:
            field.label = "6-digit code (or a backup code)"

    def clean_code(self) -> str:
        raw = self.cleaned_data["code"]
        code = backup_codes.normalise(raw)
        if APP_CODE.fullmatch(code) or backup_codes.looks_like_code(code):
            return code
        if self.backup:
            raise forms.ValidationError(
                "A backup code has 10 letters and digits, for example abcde-23456. "
                "Type it as it was shown to you."
            )
        raise forms.ValidationError(
            "Enter the 6 digits your authenticator app shows, for example 123456, "
            "or one of your backup codes."
        )


class PasswordForm(forms.Form):
    """The password again: a session left open is not enough to change the second factor
    (enrol a phone that would lock the owner out, or take a new set of backup codes)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm it is you."},
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        """Checked through authenticate(), so that django-axes counts the failures as at sign
        in: a session someone left open cannot be used to guess the password without limit."""
        password = self.cleaned_data["password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                "That is not your password. After five wrong passwords the account is locked "
                "for an hour."
            )
        return password


class EnrolForm(PasswordForm, CodeForm):
    """The password, and a first code from the app."""

    field_order = ["password", "code"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)
