"""The admin scoped like the workspace: a secretary sees and changes only their own bodies'
records (a superuser sees all).

Every admin of the record apps inherits ScopedAdmin (its inlines ScopedInline), which
- lists, opens, changes, deletes and shows the history of a record only when it belongs to
  one of the user's bodies (anything else is "doesn't exist", or 403 for its history);
- offers in every choice (foreign keys, many-to-many, filters) only the user's bodies and
  their records; people by name, as the workspace's pickers do (a person is shared);
- shows a record's lifecycle fields (`lifecycle_fields`, such as a meeting's status)
  read-only to everyone: they change through the workspace's services, which check and
  freeze what they publish;
- shows `superuser_fields` (a body's secretaries, a person's account) read-only to others.

A record belongs to a body through its foreign keys (`body_path`, found by following them
to members.Body); people and their interests through members/people.py.
"""

from __future__ import annotations

from collections import deque
from functools import cache
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from members import people
from members.models import Body, Interest, Person


@cache
def body_path(model: type[models.Model]) -> str | None:
    """The shortest chain of foreign keys from the model to its body ("meeting__body"), "pk"
    for Body itself, None when there is none (people and users belong to no one body)."""
    if model is Body:
        return "pk"
    # Shared records (people, accounts) and empty keys lead to no body of the record's own.
    shared = (Person, get_user_model())
    queue: deque[tuple[type[models.Model], str]] = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one) or field.null:
                continue
            target = field.related_model
            step = f"{path}__{field.name}" if path else field.name
            if target is Body:
                return step
            if target not in seen and target not in shared and step.count("__") < 3:
                seen.add(target)
                queue.append((target, step))
    return None


def scoped(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """The rows of the queryset the user may see in the admin."""
    user = request.user
    if user.is_superuser:
        return queryset
    model = queryset.model
    if model is Person:
        return queryset.filter(pk__in=people.people_seen_by(user))
    if model is Interest:
        return queryset.filter(person__in=people.people_seen_by(user))
    if model is get_user_model():
        # Colleagues: the secretaries of the user's bodies (who wrote an update, say).
        served = people.bodies_served_by(user)
        return queryset.filter(Q(secretary_of__in=served) | Q(pk=user.pk)).distinct()
    path = body_path(model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": people.bodies_served_by(user)})


def choices(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """What a choice of this model offers: people by name, as the workspace's pickers do
    (appointing another body's partner to your own board is allowed); else what the user
    sees."""
    if queryset.model is Person:
        return queryset
    return scoped(request, queryset)


def in_scope(request: HttpRequest, obj: models.Model) -> bool:
    """Whether the record (as stored now) is one the user sees. A record known only from its
    history (deleted since) is a superuser's to see."""
    if request.user.is_superuser:
        return True
    manager = type(obj)._base_manager
    return obj.pk is not None and scoped(request, manager.filter(pk=obj.pk)).exists()


class ScopedFields:
    """Choices limited to the user's records (shared by model admins and inlines)."""

    def get_field_queryset(
        self, db: str | None, db_field: models.Field, request: HttpRequest
    ) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return choices(request, queryset)


class ScopedInline(ScopedFields):
    """Mixin (first) for the inlines of a ScopedAdmin: the parent is in scope already."""


class ScopedAdmin(ScopedFields):
    """Mixin (first) for a ModelAdmin of the record apps; see the module's docstring."""

    lifecycle_fields: tuple[str, ...] = ()
    superuser_fields: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scoped(request, super().get_queryset(request))  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or in_scope(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or in_scope(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or in_scope(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        fields += [name for name in self.lifecycle_fields if name not in fields]
        if not request.user.is_superuser:
            fields += [name for name in self.superuser_fields if name not in fields]
        return fields

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        """Relations filter by the values of the records listed, not every body's."""
        filters = []
        for entry in super().get_list_filter(request):  # type: ignore[misc]
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters
