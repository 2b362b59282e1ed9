"""Admin for the action log."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, ActionOwner, ActionUpdate


class ActionOwnerInline(admin.TabularInline):
    model = ActionOwner
    extra = 0
    autocomplete_fields = ["person"]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    readonly_fields = ["created_at"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "meeting", "deadline", "ongoing", "status"]
    list_filter = ["status", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["description", "status_note"]
    inlines = [ActionOwnerInline, ActionUpdateInline]
