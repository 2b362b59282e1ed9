"""Admin for bodies, terms of reference, people and appointments (rules apply via clean())."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# Backup codes (django-otp's static devices) register their admin from their own module.
from members.models import Appointment, Body, Interest, Person, QuorumGroup, Seat, TermsOfReference


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0


class QuorumGroupInline(admin.TabularInline):
    model = QuorumGroup
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["secretaries"]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "version", "status", "effective_from", "total_seats"]
    list_filter = ["body", "status"]
    inlines = [SeatInline, QuorumGroupInline]

    @admin.display(description="Seats (community computed)")
    def total_seats(self, obj: TermsOfReference) -> str:
        return f"{obj.total_seats()} ({obj.community_seats()} community)"


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "key"]
    search_fields = ["name", "role", "organisation", "key"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "seat_key", "start", "end", "has_exception"]
    list_filter = ["body", "seat_key"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "body"]

    @admin.display(boolean=True, description="Exception recorded")
    def has_exception(self, obj: Appointment) -> bool:
        return bool(obj.exception.strip())


@admin.register(Interest)
class InterestAdmin(SimpleHistoryAdmin):
    list_display = ["person", "category", "registered_on", "ended_on"]
    list_filter = ["category"]
    autocomplete_fields = ["person"]
