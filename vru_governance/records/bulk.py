"""Inserting an import's new records kind by kind: one INSERT each, and one for their history.

A decade of records is about 90,000 rows; saved one at a time (an INSERT, a history INSERT and
the signals of each) they took minutes. Records are still validated one by one, before they
are held back here, by the importer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

# Marks a record this import created: nothing in the database can be its child yet.
NEW = "_created_by_import"
BATCH_SIZE = 1000


def is_new(obj: models.Model) -> bool:
    return getattr(obj, NEW, False)


def held_relations(obj: models.Model) -> list[str]:
    """Foreign keys set to a saved record held in memory.

    full_clean() would ask the database whether each exists, one query per key per row; a
    record the import read or saved in its own transaction does (and the database's foreign
    key constraint guards it regardless).
    """
    held = []
    for f in obj._meta.concrete_fields:
        if f.many_to_one and f.is_cached(obj):
            related = getattr(obj, f.name)
            if related is not None and related.pk is not None:
                held.append(f.name)
    return held


def refresh_relations(obj: models.Model) -> None:
    """Take the ids of related records saved since they were assigned (unsaved then)."""
    for f in obj._meta.concrete_fields:
        if f.many_to_one and f.is_cached(obj) and getattr(obj, f.attname) is None:
            related = getattr(obj, f.name)
            if related is not None and related.pk is not None:
                setattr(obj, f.name, related)


def insert_all(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert new records of one model, with their history rows; each gets its primary key.

    post_save is not sent for them (the page cache hears of the import through the meeting or
    body saved before them).
    """
    for obj in objs:
        refresh_relations(obj)
    if not connection.features.can_return_rows_from_bulk_insert:
        for obj in objs:  # no primary keys from a bulk insert: one at a time
            obj.save()
        return
    try:
        get_history_manager_for_model(model)
    except NotHistoricalModelError:
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    bulk_create_with_history(objs, model, batch_size=BATCH_SIZE)


class Batch:
    """New, validated records held back to be inserted together, in the order first added.

    `after` runs a function once the records so far are in (their children need their keys);
    it may add more, which the same flush inserts in turn.
    """

    def __init__(self, count: Callable[[str, int], None]) -> None:
        self._count = count
        self._rows: dict[type[models.Model], tuple[str, list[models.Model]]] = {}
        self._after: list[Callable[[], None]] = []

    def add(self, kind: str, obj: models.Model) -> None:
        self._rows.setdefault(type(obj), (kind, []))[1].append(obj)

    def after(self, then: Callable[[], None]) -> None:
        self._after.append(then)

    def flush(self) -> None:
        while self._rows or self._after:
            rows, self._rows = self._rows, {}
            for model, (kind, objs) in rows.items():
                insert_all(model, objs)
                for obj in objs:
                    setattr(obj, NEW, True)
                self._count(kind, len(objs))
            after, self._after = self._after, []
            for then in after:
                then()
