"""Backup codes for two-step sign-in: ten single-use codes for the day the phone is lost.

They live in django-otp's static plugin (one StaticDevice per user, one StaticToken per
unused code) so that django-otp's throttling and its locked check of a device guard them.
A token holds a digest of the code, never the code itself: the codes are shown once, when
they are made, and a copy of the database (a backup, the admin) does not give them away.
Checking a code is the business of vru_governance/accounts/second_factor.py; this module
makes and stores them.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

COUNT = 10
LENGTH = 10
# Lower-case letters and digits without the look-alikes 0/o and 1/l/i: about 49 bits a code.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# At or below this many unused codes, the user is told to make new ones.
LOW = 3
DEVICE_NAME = "Backup codes"
# PBKDF2 rounds of a digest. Changing this (or the salt below) invalidates every code given
# out: only a user's own new codes would work.
ITERATIONS = 10_000
# StaticToken.token holds 16 characters: 64 bits of the digest, in hex.
DIGEST_CHARS = 16

_SHAPE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def normalise(raw: str) -> str:
    """What the user typed, without the spaces and dashes shown between groups, lower case."""
    return re.sub(r"[\s-]", "", raw).lower()


def looks_like_code(code: str) -> bool:
    """Whether a normalised entry has the shape of a backup code (not whether it is one)."""
    return _SHAPE.fullmatch(code) is not None


def readable(code: str) -> str:
    """A code as shown to the user: two groups of five, like abcde-23456."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def digest(device: StaticDevice, code: str) -> str:
    """What a StaticToken stores for a code. A slow hash salted with the device, so that a
    leaked table costs years of guessing per account rather than a lookup."""
    salt = f"vru-governance-backup-code:{device.pk}".encode()
    key = hashlib.pbkdf2_hmac("sha256", normalise(code).encode(), salt, ITERATIONS)
    return key.hex()[:DIGEST_CHARS]


def device_of(user: User) -> StaticDevice | None:
    """The user's backup codes (a StaticDevice), if they were ever made."""
    return StaticDevice.objects.filter(user=user).order_by("pk").first()


def remaining(user: User) -> int:
    """How many of the user's backup codes are still unused."""
    return StaticToken.objects.filter(device__user=user).count()


def replace(user: User) -> list[str]:
    """A new set of codes; the old ones stop working. Returns them as shown, to show once.

    The device itself is kept, so a session verified with an earlier code stays verified.
    """
    codes: set[str] = set()
    while len(codes) < COUNT:
        codes.add("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))
    with transaction.atomic():
        # The user's row locked first: two requests making codes at once take turns, so the
        # second replaces the first's device rather than adding another beside it.
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = device_of(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=DEVICE_NAME)
        else:
            # Locked, so that a code being checked at this moment is checked against the
            # old set or the new one, not half of each.
            device = StaticDevice.objects.select_for_update().get(pk=device.pk)
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=digest(device, code)) for code in codes
        )
        device.throttle_reset()
    return [readable(code) for code in sorted(codes)]


def remove(user: User) -> None:
    """Forget the user's backup codes (two-step sign-in was turned off)."""
    StaticDevice.objects.filter(user=user).delete()
