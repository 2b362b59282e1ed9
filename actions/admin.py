"""Admin for the action log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from actions import services
from actions.models import Action, ActionOwner, ActionUpdate
from meetings.admin_locks import LockedAdminMixin, LockedInlineMixin
from members.admin_scoping import ScopedAdmin, ScopedInline


class ActionOwnerInline(LockedInlineMixin, ScopedInline, admin.TabularInline):
    model = ActionOwner
    extra = 0
    autocomplete_fields = ["person"]


class ActionUpdateInline(ScopedInline, admin.TabularInline):
    model = ActionUpdate
    extra = 0
    readonly_fields = ["created_at"]


@admin.register(Action)
class ActionAdmin(LockedAdminMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["description", "meeting", "deadline", "ongoing", "status"]
    list_filter = ["status", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["description", "status_note"]
    inlines = [ActionOwnerInline, ActionUpdateInline]

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[Any], change: bool
    ) -> None:
        """Save the owners' rows, then note a change of owners in the action's history, as
        the workspace does (the owners' rows keep no history of their own)."""
        action = form.instance
        before = services.current_owner_names(action) if change else []
        super().save_related(request, form, formsets, change)
        note = services.owners_note(before, services.current_owner_names(action))
        if note:
            services.save_noting(action, note)
