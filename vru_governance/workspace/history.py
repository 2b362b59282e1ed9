"""The change history of records (django-simple-history), as rows for the workspace pages."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import models
from django.utils import timezone

from vru_governance.rules.formats import clock

SKIP = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
    "version",
    "attendance_version",
    "position",
}
VERBS = {"+": "created", "~": "changed", "-": "deleted"}
# A value longer than this, or of more than one line, is shown as a diff of the two texts.
LONG = 80


class Change(NamedTuple):
    """A field's value before and after a change, each whole."""

    name: str
    old: str
    new: str

    @property
    def is_long(self) -> bool:
        return any(len(v) > LONG or "\n" in v for v in (self.old, self.new))

    @property
    def segments(self) -> list[tuple[str, str]]:
        """The two texts as one run of ("same" | "removed" | "added", text), word by word: what
        changed in a long text, which the eye cannot find by comparing two paragraphs."""
        return text_diff(self.old, self.new)


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences of two texts (whitespace kept with the word before it)."""
    a, b = re.findall(r"\S+\s*|\s+", old), re.findall(r"\S+\s*|\s+", new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(b[j1:j2])))
    return out


@dataclass
class Entry:
    """One change: when, by whom, to what, and the fields that changed."""

    when: dt.datetime
    who: str
    what: str
    verb: str
    changes: list[Change] = field(default_factory=list)
    # A change the fields do not show, in words (e.g. "Owners changed from … to …").
    note: str = ""


def _value(record: models.Model, f: models.Field) -> str:
    value = getattr(record, f.attname)
    if value is None:
        return ""
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value)
        return f"{moment:%-d %b %Y}, {clock(moment.time())}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    return str(value)


def _shown(record: models.Model, f: models.Field) -> str:
    """A changed value as the secretary knows it: a related record by name, not by its id."""
    if f.many_to_one:
        related = getattr(record, f.name)  # fetched with the row (select_related)
        return "" if related is None else str(related)
    return _value(record, f)


def _related_fields(history_model: type[models.Model]) -> list[str]:
    return [f.name for f in history_model._meta.fields if f.many_to_one]


def _label(record: models.Model, related: list[str]) -> str:
    """The record as its model names it, from the row and the related rows fetched with it
    (a historical row's own str() adds "as of <timestamp>" and queries each relation)."""
    instance = record.instance
    own = {f.name for f in instance._meta.fields if f.many_to_one}
    for name in related:
        if name in own:
            setattr(instance, name, getattr(record, name))
    return str(instance)


def history_entries(histories: Iterable[models.QuerySet], limit: int = 200) -> list[Entry]:
    """Changes of these historical querysets, newest first, each with its field changes."""
    entries: list[Entry] = []
    for qs in histories:
        related = _related_fields(qs.model)
        rows = list(qs.select_related(*related).order_by("history_date", "history_id"))
        previous: dict[object, models.Model] = {}
        for record in rows:
            fields = [f for f in record._meta.fields if f.name not in SKIP]
            before = previous.get(record.id)
            changes = []
            note = record.history_change_reason or ""
            if before is not None and record.history_type == "~":
                for f in fields:
                    if getattr(before, f.attname) != getattr(record, f.attname):
                        changes.append(
                            Change(str(f.verbose_name), _shown(before, f), _shown(record, f))
                        )
                if not changes and not note:
                    previous[record.id] = record
                    continue  # a save that changed nothing tracked (e.g. only the version)
            previous[record.id] = record
            user = record.history_user
            entries.append(
                Entry(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "the system",
                    what=f"{record.instance_type._meta.verbose_name} “{_label(record, related)}”",
                    verb=VERBS.get(record.history_type, record.history_type),
                    changes=changes,
                    note=note,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
