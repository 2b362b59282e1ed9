"""Admin for papers."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import Paper


@admin.register(Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "classification", "final", "supplement"]
    list_filter = ["classification", "final", "item__meeting__body"]
    list_select_related = ["item__meeting__body"]
    search_fields = ["title", "author"]
