"""The admin obeys the lifecycle policy (meetings/lifecycle.py): a locked record shows
read-only, and an inline offers no row to add or remove where the documents show them.

The guards refuse such a change whatever the admin shows; these mixins keep the admin from
offering it, so a secretary is never sent to a correction by an error page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meetings import lifecycle


def _parent_status(inline: admin.options.InlineModelAdmin, parent: Any) -> str | None:
    """The meeting status that locks an inline's rows: its parent's meeting (an action's, only
    when the minutes print the action)."""
    if parent is None or parent.pk is None:
        return None
    label = parent._meta.label_lower
    if label == "meetings.meeting":
        return type(parent).objects.filter(pk=parent.pk).values_list("status", flat=True).first()
    return lifecycle.status_of(parent)


class LockedAdminMixin:
    """For a ModelAdmin of a model the policy names: locked fields read-only, no removal."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        locks = lifecycle.locks_for(self.model, lifecycle.status_of(obj))  # type: ignore[attr-defined]
        return fields + sorted(locks.fields - set(fields))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        locks = lifecycle.locks_for(self.model, lifecycle.status_of(obj))  # type: ignore[attr-defined]
        if locks.removes:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class LockedInlineMixin:
    """For an inline of such a model: its rows read-only, none added or removed, once the
    parent's meeting has published the documents that show them."""

    def _locks(self, obj: Any) -> lifecycle.Locks:
        return lifecycle.locks_for(self.model, _parent_status(self, obj))  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        # The key to the parent is never a field of an inline's rows.
        parent = {
            f.name
            for f in self.model._meta.concrete_fields  # type: ignore[attr-defined]
            if f.many_to_one and f.related_model is self.parent_model  # type: ignore[attr-defined]
        }
        return fields + sorted(self._locks(obj).fields - set(fields) - parent)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._locks(obj).adds:
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._locks(obj).removes:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]
