"""Admin for bodies, terms of reference, people and appointments (rules apply via clean()),
scoped to the user's bodies (members/admin_scoping.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

# Backup codes (django-otp's static devices) register their admin from their own module.
from members import people
from members.admin_scoping import ScopedAdmin, ScopedInline
from members.models import Appointment, Body, Interest, Person, QuorumGroup, Seat, TermsOfReference


def _endorsed(terms: TermsOfReference | None) -> bool:
    """An endorsed (or superseded) version changes only by a new version (meetings/lifecycle.py
    refuses it on every path; the admin shows it read-only)."""
    return terms is not None and terms.pk is not None and terms.status != "draft"


class TermsPartInline(ScopedInline, admin.TabularInline):
    """Seats and quorum groups: read-only, none added or removed, once the terms are endorsed."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _endorsed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _endorsed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _endorsed(obj) and super().has_delete_permission(request, obj)


class SeatInline(TermsPartInline):
    model = Seat


class QuorumGroupInline(TermsPartInline):
    model = QuorumGroup


@admin.register(Body)
class BodyAdmin(ScopedAdmin, admin.ModelAdmin):
    """A secretary sees and edits their own bodies; only a superuser adds or removes a body
    or changes who its secretaries are."""

    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["secretaries"]
    superuser_fields = ("secretaries",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(ScopedAdmin, SimpleHistoryAdmin):
    # Endorsement goes through the workspace (members.services.endorse_terms).
    lifecycle_fields = ("status",)
    list_display = ["title", "body", "version", "status", "effective_from", "total_seats"]
    list_filter = ["body", "status"]
    inlines = [SeatInline, QuorumGroupInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _endorsed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _endorsed(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="Seats (community computed)")
    def total_seats(self, obj: TermsOfReference) -> str:
        return f"{obj.total_seats()} ({obj.community_seats()} community)"


class PersonChanges:
    """Contact details and interests change only as members/people.py allows: the record is
    shown read-only, with the reason, to a secretary who may not change it."""

    def person_of(self, obj: Any) -> Person:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or people.may_change(request.user, self.person_of(obj)))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or people.may_change(request.user, self.person_of(obj)))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and request.method == "GET":
            reason = people.refusal(request.user, self.person_of(obj))
            if reason is not None:
                self.message_user(request, reason, messages.WARNING)  # type: ignore[attr-defined]
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]


@admin.register(Person)
class PersonAdmin(PersonChanges, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "key"]
    search_fields = ["name", "role", "organisation", "key"]
    prepopulated_fields = {"key": ["name"]}
    # The account a partner signs in with is the superuser's to link.
    superuser_fields = ("user",)

    def person_of(self, obj: Person) -> Person:
        return obj

    def get_queryset(self, request: HttpRequest) -> Any:
        # The pickers of people (an appointment's person, say) offer everyone by name, as
        # the workspace's do; the autocomplete answers with names only.
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            return SimpleHistoryAdmin.get_queryset(self, request)
        return super().get_queryset(request)


@admin.register(Appointment)
class AppointmentAdmin(ScopedAdmin, SimpleHistoryAdmin):
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        # The lifecycle guard (meetings/lifecycle.py) refuses, when saved or deleted, an
        # appointment that would change who was a member at locked minutes: shown as the
        # reason, not an error page, with nothing saved.
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc, request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc, request.path.replace("/delete/", "/change/"))

    def _refused(self, request: HttpRequest, exc: ValidationError, url: str) -> HttpResponse:
        for message in exc.messages:
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(url)

    list_display = ["person", "body", "seat_key", "start", "end", "has_exception"]
    list_filter = ["body", "seat_key"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "body"]

    @admin.display(boolean=True, description="Exception recorded")
    def has_exception(self, obj: Appointment) -> bool:
        return bool(obj.exception.strip())


class InterestAdminForm(forms.ModelForm):
    """Refuses an entry for a person whose register the user may not change."""

    request: HttpRequest

    def clean_person(self) -> Person:
        person = self.cleaned_data["person"]
        people.check_may_change(person, by=self.request.user)
        return person


@admin.register(Interest)
class InterestAdmin(PersonChanges, ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["person", "category", "registered_on", "ended_on"]
    list_filter = ["category"]
    autocomplete_fields = ["person"]
    form = InterestAdminForm

    def person_of(self, obj: Interest) -> Person:
        return obj.person

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})
