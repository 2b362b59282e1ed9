"""The two groups of signed-in users and what each may do."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from meetings.access import SECRETARIAT

PARTNERS = "Partners"
SECRETARIAT_APPS = ["members", "meetings", "actions", "reports"]


def ensure_groups() -> tuple[Group, Group]:
    """Create the Secretariat and Partners groups; the Secretariat may change every record."""
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    partners, _ = Group.objects.get_or_create(name=PARTNERS)
    secretariat.permissions.set(
        Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
    )
    return secretariat, partners
