"""Admin for meetings, their items, attendance, minutes, declarations and dissent, scoped to
the user's bodies (members/admin_scoping.py); what a published document shows is read-only
(meetings/admin_locks.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from meetings.admin_locks import LockedAdminMixin, LockedInlineMixin
from meetings.models import (
    AgendaItem,
    AlertSubscription,
    Attendance,
    Declaration,
    Dissent,
    ForwardPlanItem,
    Meeting,
    MinuteParagraph,
)
from members.admin_scoping import ScopedAdmin, ScopedInline


class AgendaItemInline(LockedInlineMixin, ScopedInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "number", "title", "kind", "presenter", "outcome"]


class AttendanceInline(LockedInlineMixin, ScopedInline, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "on_behalf_of"]
    fields = ["person", "capacity", "on_behalf_of", "remote", "from_item", "to_item"]


@admin.register(Meeting)
class MeetingAdmin(LockedAdminMixin, ScopedAdmin, SimpleHistoryAdmin):
    # A meeting moves through its stages only by the workspace's services, which run the
    # checklist and freeze the documents they publish.
    lifecycle_fields = (
        "status",
        "agenda_published_at",
        "minutes_circulated_at",
        "minutes_approved_at",
        "minutes_approved_at_item",
        "minutes_approved_by_chair",
        "minutes_approved_at_meeting",
        "minutes_published_at",
        "recorded_as_history",
    )
    list_display = ["__str__", "date", "status"]
    list_filter = ["body", "status"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline, AttendanceInline]


class MinuteParagraphInline(LockedInlineMixin, ScopedInline, admin.TabularInline):
    model = MinuteParagraph
    extra = 0


class DeclarationInline(LockedInlineMixin, ScopedInline, admin.TabularInline):
    model = Declaration
    extra = 0
    autocomplete_fields = ["person"]


class DissentInline(LockedInlineMixin, ScopedInline, admin.TabularInline):
    model = Dissent
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(AgendaItem)
class AgendaItemAdmin(LockedAdminMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["number", "title", "meeting", "kind", "outcome"]
    list_filter = ["meeting__body", "kind"]
    list_select_related = ["meeting__body"]
    inlines = [MinuteParagraphInline, DeclarationInline, DissentInline]


@admin.register(Attendance)
class AttendanceAdmin(LockedAdminMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["person", "meeting", "capacity", "on_behalf_of", "remote"]
    list_filter = ["capacity", "meeting__body"]
    list_select_related = ["person", "meeting__body", "on_behalf_of"]
    autocomplete_fields = ["person", "on_behalf_of"]


@admin.register(ForwardPlanItem)
class ForwardPlanItemAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "body", "target_meeting", "target_month", "proposed_by"]
    list_filter = ["body"]


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(ScopedAdmin, admin.ModelAdmin):
    """Readers' e-mail alerts, to see and to remove at a reader's request; never added or
    changed here, since an address is subscribed only from its own mailbox (double opt-in)."""

    list_display = ["email", "body", "kind", "query", "confirmed_at"]
    list_filter = ["body", "kind"]
    search_fields = ["email", "query"]
    readonly_fields = [
        "email",
        "body",
        "kind",
        "query",
        "created_at",
        "requested_at",
        "confirmed_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
