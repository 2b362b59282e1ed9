"""The importer's shared parts: the refusal and the summary, and the steps every record takes.

`ImporterBase` holds what all record kinds need (errors with their JSON path, validation,
create-or-update by natural key, ordered child lists); the per-kind steps build on it in
`papers`, `meetings` and `document`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from meetings import lifecycle, lock_scope
from members.models import Person
from vru_governance.records.bulk import NEW, Batch, held_relations, refresh_relations


class RecordsError(Exception):
    """The document was refused; nothing was written. Carries (JSON path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class Summary:
    """What an import changed, by kind of record."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    # Paper files written to storage: a caller whose own transaction then fails deletes them.
    saved_files: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool, n: int = 1) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def describe(self) -> str:
        if not self.changed:
            return "No changes: the database already holds these records."
        parts = [f"created {n} {k}" for k, n in sorted(self.created.items())]
        parts += [f"updated {n} {k}" for k, n in sorted(self.updated.items())]
        return "; ".join(parts) + "."


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, errs in exc.error_dict.items():
            for err in errs:
                for message in err.messages:
                    out.append(message if name == "__all__" else f"{name}: {message}")
        return out
    return list(exc.messages)


class ImporterBase:
    """What every import step needs: the errors with their paths, the summary, the people."""

    def __init__(self, base_dir: Path | None) -> None:
        self.base_dir = base_dir
        self.errors: list[tuple[str, str]] = []
        self.summary = Summary()
        self.people: dict[str, Person] = {}
        # Action owners that are role names ("Clerk"), not people: asked of the database once.
        self.not_people: set[str] = set()
        # Checks that need the whole document in place, run after everything is written.
        self.deferred: list[tuple[str, Callable[[], None]]] = []
        # Files written to storage; a refused import deletes them again.
        self.saved_files: list[str] = []
        # (meeting, key of the later meeting that approved its minutes, path): resolved once
        # every meeting of the body is in.
        self.approvals: list[tuple[Any, str, str]] = []

    # helpers --------------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def validate(self, path: str, obj: models.Model, exclude: list[str] | None = None) -> bool:
        refresh_relations(obj)
        exclude = [*(exclude or []), *held_relations(obj)]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            # What a published document shows changes only by a correction, never by import.
            lifecycle.check_save(obj)
        except ValidationError as exc:
            for message in _messages(exc):
                self.error(path, message)
            return False
        return True

    def remove(self, path: str, obj: models.Model) -> bool:
        """Delete a record the file no longer lists, unless a published document shows it:
        then an error at its path, reported with every other error of the file."""
        try:
            lifecycle.check_delete(obj)
        except ValidationError as exc:
            for message in _messages(exc):
                self.error(path, message)
            return False
        obj.delete()
        return True

    def upsert(
        self,
        kind: str,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        path: str,
        clean: bool = True,
        exclude: list[str] | None = None,
        *,
        fresh: bool = False,
        batch: Batch | None = None,
    ) -> models.Model | None:
        """Create or update one record by its natural key; save only what changed.

        `fresh`: its parent is new in this import, so no record can match. `batch`: its parent
        is new too, and a new record waits in the batch (without its primary key) to be
        inserted with others of its kind.
        """
        fresh = fresh or batch is not None
        obj = None if fresh else model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **values)
        else:
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            if not changed:
                return obj
            for k in changed:
                setattr(obj, k, values[k])
        if clean and not self.validate(path, obj, exclude=exclude):
            return None
        if created and batch is not None:
            batch.add(kind, obj)
            return obj
        obj.save()
        if created:
            setattr(obj, NEW, True)
            lock_scope.mark_new(obj)
        self.summary.count(kind, created)
        return obj

    def batch(self) -> Batch:
        return Batch(lambda kind, n: self.summary.count(kind, True, n))

    def owner_person(self, key: str) -> Person | None:
        """The person an action owner's key names, or None for a role name such as 'Clerk'."""
        if key not in self.people and key not in self.not_people:
            found = Person.objects.filter(key=key).first()
            if found is None:
                self.not_people.add(key)
            else:
                self.people[key] = found
        return self.people.get(key)

    def person(self, key: str, path: str) -> Person | None:
        if key not in self.people:
            found = Person.objects.filter(key=key).first()
            if found is None:
                self.error(path, f"No person with key '{key}' in the file or the database.")
                return None
            self.people[key] = found
        return self.people[key]

    def sync_children(
        self,
        kind: str,
        existing: list[models.Model],
        wanted: list[dict[str, Any]],
        make: Callable[[dict[str, Any]], models.Model],
        fields: list[str],
        path: Callable[[int], str],
        batch: Batch | None = None,
    ) -> list[models.Model]:
        """Make an ordered list of child records equal to the file's, touching only differences.

        With a batch (the parent is new: `existing` is empty), new records wait in it.
        """
        kept = []
        for index, values in enumerate(wanted):
            if index < len(existing):
                obj = existing[index]
                changed = [f for f in fields if getattr(obj, f) != values[f]]
                if changed:
                    for f in changed:
                        setattr(obj, f, values[f])
                    if self.validate(path(index), obj):
                        obj.save()
                        self.summary.count(kind, False)
            else:
                obj = make(values)
                if not self.validate(path(index), obj):
                    pass
                elif batch is not None:
                    batch.add(kind, obj)
                else:
                    obj.save()
                    self.summary.count(kind, True)
            kept.append(obj)
        for index, obj in enumerate(existing[len(wanted) :], start=len(wanted)):
            if self.remove(path(index), obj):
                self.summary.count(kind, False)
        return kept
