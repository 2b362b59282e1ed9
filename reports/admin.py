"""Admin for papers and stored documents, scoped to the user's bodies (members/admin_scoping.py)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from meetings.admin_locks import LockedAdminMixin
from members.admin_scoping import ScopedAdmin
from reports.models import Paper, StoredDocument


@admin.register(Paper)
class PaperAdmin(LockedAdminMixin, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "item", "classification", "final", "supplement"]
    list_filter = ["classification", "final", "item__meeting__body"]
    list_select_related = ["item__meeting__body"]
    search_fields = ["title", "author"]


@admin.register(StoredDocument)
class StoredDocumentAdmin(ScopedAdmin, admin.ModelAdmin):
    """Stored documents are evidence of what was published: read-only, never deleted here."""

    list_display = [
        "meeting",
        "kind",
        "paper",
        "audience",
        "version",
        "pages",
        "size",
        "is_correction",
        "created_at",
    ]
    list_filter = ["kind", "is_correction", "meeting__body"]
    list_select_related = ["meeting__body", "paper"]
    readonly_fields = [
        "meeting",
        "kind",
        "paper",
        "audience",
        "version",
        "file",
        "sha256",
        "size",
        "pages",
        "is_correction",
        "correction_note",
        "created_at",
        "created_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
