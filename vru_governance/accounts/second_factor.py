"""The optional second factor: a one-time code from an authenticator app (TOTP, django-otp).

A user with a confirmed device signs in in two steps: the password (through django-axes,
as before), then a current code. Until the code is given the user is not signed in at all;
a session signed in but not verified (one from before the user enrolled, or a password-only
secretary's when OTP_REQUIRED_FOR_SECRETARIAT) sees exactly what the public sees
(meetings/access.py decides), and the workspace, the partners' portal and the admin send it
to the code step. With OTP_REQUIRED_FOR_SECRETARIAT, secretaries without a device must enrol
first. Enrolling or removing a device ends the user's other sessions.
Wherever a code from the app is asked for after enrolment, one of the user's single-use
backup codes (vru_governance/accounts/backup_codes.py) will do instead.
"""

from __future__ import annotations

import io
import math
import time
from base64 import b32encode, b64encode
from dataclasses import dataclass
from importlib import import_module

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings import access
from vru_governance.accounts import backup_codes

PENDING_SESSION_KEY = "second_factor_pending"
# How long the code step waits after the password was accepted.
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "Authenticator app"

WRONG_CODE = "That code is not right. Enter the 6-digit code your app shows now."
EXPIRED = "The sign-in took too long. Enter your username and password again."
WRONG_BACKUP_CODE = (
    "That backup code is not right, or it has been used already: each code works once. "
    "Check it, or try another of your codes."
)


def confirmed_device(user: User | AnonymousUser) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have enrolled one."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_secretariat(user: User) -> bool:
    """Superusers, the Secretariat group and every body's secretaries."""
    return access.is_secretariat(user)


def step_needed(request: HttpRequest) -> str | None:
    """What a signed-in user must do before any page that shows more than the public sees:
    "code" (give a code for the device they have), "enrol" (set one up, when the setting
    requires it) or None. The rule is meetings/access.py's, which every page obeys."""
    return access.second_factor_step(request.user)


# Signing in ---------------------------------------------------------------------------------


def hold_sign_in(request: HttpRequest, user: User) -> None:
    """The password was right: remember who is signing in until they give a code."""
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
    }


def pending_user(request: HttpRequest) -> tuple[User, str] | None:
    """The user (and the backend that accepted their password) waiting for the code step."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        del request.session[PENDING_SESSION_KEY]
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        del request.session[PENDING_SESSION_KEY]
        return None
    return user, pending["backend"]


def drop_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def complete_sign_in(request: HttpRequest, user: User, backend: str, code: str) -> Device:
    """Check the code (from the app, or a backup code), then sign the user in with a verified
    session. Returns the device that accepted it: a StaticDevice for a backup code.

    Raises ValidationError for a wrong code, a throttled device or a device removed meanwhile.
    """
    device = check_any_code(user, code)
    drop_pending(request)
    auth_login(request, user, backend=backend)
    otp_login(request, device)
    return device


def verify_session(request: HttpRequest, code: str) -> Device:
    """A signed-in user whose session is not verified gives a code (ValidationError if wrong)."""
    device = check_any_code(request.user, code)
    otp_login(request, device)
    return device


def check_any_code(user: User, code: str) -> Device:
    """A code from the user's app or one of their backup codes, told apart by its shape."""
    if backup_codes.looks_like_code(backup_codes.normalise(code)):
        if confirmed_device(user) is None:
            # Backup codes stand in for the app; without one there is nothing to stand in for.
            raise ValidationError(WRONG_BACKUP_CODE)
        return check_backup_code(user, code)
    return check_code(confirmed_device(user), code)


def check_code(device: TOTPDevice | None, code: str) -> TOTPDevice:
    """The device, if the code is current and the device is not throttled after wrong codes."""
    if device is None:
        raise ValidationError(EXPIRED)
    allowed, why = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(throttled_message(why or {}))
    verified = verify_token(device.user, device.persistent_id, code)
    if verified is None:
        raise ValidationError(WRONG_CODE)
    return verified


def check_backup_code(user: User, code: str) -> StaticDevice:
    """The user's backup codes, if the code is one of them; the code is then used up.

    The check is django-otp's own (`verify_token`): it locks the device row, so two requests
    with the same code cannot both succeed, deletes the matching token, and counts a miss
    for the device's throttling (OTP_STATIC_THROTTLE_FACTOR, separate from the app's).
    """
    device = backup_codes.device_of(user)
    if device is None:
        raise ValidationError(WRONG_BACKUP_CODE)
    allowed, why = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(throttled_message(why or {}, backup=True))
    verified = verify_token(user, device.persistent_id, backup_codes.digest(device, code))
    if verified is None:
        raise ValidationError(WRONG_BACKUP_CODE)
    return verified


def throttled_message(why: dict, *, backup: bool = False) -> str:
    until = why.get("locked_until")
    if until is None:
        return "Codes cannot be checked just now. Try again later."
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if seconds < 120:
        wait = "1 second" if seconds == 1 else f"{seconds} seconds"
    else:
        wait = f"{math.ceil(seconds / 60)} minutes"
    if backup:
        return f"Too many wrong backup codes. Wait {wait}, then try again."
    return f"Too many wrong codes. Wait {wait}, then enter the code your app shows."


# Enrolling and removing ---------------------------------------------------------------------


def candidate_device(user: User) -> TOTPDevice:
    """The unconfirmed device the user is setting up (a new secret the first time)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def new_secret(user: User) -> None:
    """Forget the unconfirmed secret, so that the page shows a new one."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()


def confirm_device(request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """The first code from the app confirms the device and verifies this session. Returns
    the user's new backup codes, to be shown once."""
    # Checked outside the transaction below: a refused code must still count for throttling.
    device = check_code(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator per user: a confirmed device replaces any other.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = backup_codes.replace(device.user)
    otp_login(request, device)
    end_other_sessions(request)
    return codes


def remove_device(request: HttpRequest, code: str) -> None:
    """A current code (or a backup code, the phone being lost) removes the device and the
    backup codes: sign-in is back to the password alone."""
    check_any_code(request.user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        backup_codes.remove(request.user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.user.otp_device = None
    end_other_sessions(request)


def end_other_sessions(request: HttpRequest) -> int:
    """Sign the user out of every other session (after enrolling or removing a device), and
    give this one a new key. Returns how many were ended.

    Sessions that started before the change (a stolen password's, one that never gave a
    code) must not outlive it. Django keeps no index of a user's sessions, so the unexpired
    ones are read; enrolment is rare and a board's users are few.
    """
    user_pk = str(request.user.pk)
    request.session.cycle_key()
    current = request.session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # not stored in the database: nothing to read
        return 0
    ended = []
    for session in store.get_model_class().objects.filter(expire_date__gt=timezone.now()):
        if session.session_key == current:
            continue
        data = session.get_decoded()
        pending = data.get(PENDING_SESSION_KEY)
        pending_pk = str(pending.get("user")) if isinstance(pending, dict) else None
        if user_pk in (data.get(SESSION_KEY), pending_pk):
            ended.append(session.session_key)
    for key in ended:
        store(session_key=key).delete()  # through the store: a cached_db copy goes too
    return len(ended)


@dataclass(frozen=True)
class Secret:
    """What the enrolment page shows: the otpauth URI as a QR code and as text."""

    uri: str
    base32: str
    qr_data_uri: str

    @property
    def base32_groups(self) -> str:
        return " ".join(self.base32[i : i + 4] for i in range(0, len(self.base32), 4))


def secret_of(device: TOTPDevice) -> Secret:
    uri = device.config_url
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    # An <img> with a data: URI: allowed by the CSP's img-src, no script, no inline style.
    data_uri = "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode("ascii")
    return Secret(uri=uri, base32=b32encode(device.bin_key).decode("ascii"), qr_data_uri=data_uri)
