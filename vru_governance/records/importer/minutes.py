"""Importing what was recorded at a meeting: attendance, minute paragraphs, declarations,
dissent and reservations, papers and actions.

A new meeting's records wait in a batch (`batch`); an existing meeting's are compared with the
file one by one. Rules that need the whole meeting in place are deferred until everything is
written. The meeting and its agenda items are vru_governance/records/importer/meetings.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from actions.models import Action, ActionOwner, ActionUpdate
from meetings.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Dissent,
    Meeting,
    MinuteParagraph,
    check_no_double_count,
)
from vru_governance.records.bulk import Batch, held_relations
from vru_governance.records.importer.base import _date
from vru_governance.records.importer.papers import PaperSteps

RESERVATION = Dissent.Kind.RESERVATION


class RecordSteps(PaperSteps):
    """The import steps of what a meeting recorded, item by item."""

    def attendance(
        self,
        meeting: Meeting,
        rows: list[dict[str, Any]],
        items: dict[str, AgendaItem],
        path: str,
        batch: Batch | None = None,
    ) -> None:
        seen: set[str] = set()
        records = []
        for a, row in enumerate(rows):
            row_path = f"{path}.attendance[{a}]"
            if row["person"] in seen:
                self.error(row_path, f"'{row['person']}' is listed twice in the attendance.")
                continue
            seen.add(row["person"])
            person = self.person(row["person"], f"{row_path}.person")
            behalf = (
                self.person(row["on_behalf_of"], f"{row_path}.on_behalf_of")
                if row.get("on_behalf_of")
                else None
            )
            span = {}
            for key in ("from_item", "to_item"):
                number = row.get(key)
                span[key] = items.get(number) if number else None
                if number and span[key] is None:
                    self.error(f"{row_path}.{key}", f"The meeting has no item {number}.")
            if person is None:
                continue
            obj = (
                None
                if batch is not None
                else Attendance.objects.filter(meeting=meeting, person=person).first()
            )
            values = {
                "capacity": row["capacity"],
                "on_behalf_of": behalf,
                "remote": row.get("remote", False),
                "from_item": span["from_item"],
                "to_item": span["to_item"],
                "position": a,
            }
            created = obj is None
            if created:
                obj = Attendance(meeting=meeting, person=person, **values)
            elif all(getattr(obj, k) == v for k, v in values.items()):
                records.append((row_path, obj))
                continue
            else:
                for k, v in values.items():
                    setattr(obj, k, v)
            if created and batch is not None:
                batch.add("attendance", obj)
            else:
                obj.save()
                self.summary.count("attendance", created)
            records.append((row_path, obj))
        if batch is None:
            listed = {obj.pk for _, obj in records}
            for stale in meeting.attendance.exclude(pk__in=listed):
                if self.remove(f"{path}.attendance", stale):
                    self.summary.count("attendance", False)
        # Judged once everything is in: each row, with the meeting's members asked for once,
        # then the whole attendance for a member and their substitute both counting.
        members = functools.cache(meeting.member_ids)
        for row_path, obj in records:
            self.deferred.append((row_path, functools.partial(_check_attendance, obj, members)))
        counting = [
            obj
            for _, obj in records
            if obj.capacity in (Attendance.Capacity.MEMBER, Attendance.Capacity.SUBSTITUTE)
        ]
        if counting:
            self.deferred.append(
                (f"{path}.attendance", functools.partial(check_no_double_count, meeting, counting))
            )

    def item_records(
        self,
        meeting: Meeting,
        item: AgendaItem,
        data: dict[str, Any],
        path: str,
        batch: Batch | None = None,
    ) -> None:
        paragraphs = self.sync_children(
            "minute paragraphs",
            _existing(lambda: item.paragraphs.order_by("position", "pk"), batch),
            [{"text": text, "position": p} for p, text in enumerate(data.get("minutes", []))],
            lambda v: MinuteParagraph(item=item, **v),
            ["text", "position"],
            lambda p: f"{path}.minutes[{p}]",
            batch,
        )
        declarations = []
        declared: set[str] = set()
        for d, row in enumerate(data.get("declarations", [])):
            if row["person"] in declared:
                self.error(
                    f"{path}.declarations[{d}]",
                    f"'{row['person']}' already declared an interest on this item.",
                )
                continue
            declared.add(row["person"])
            person = self.person(row["person"], f"{path}.declarations[{d}].person")
            if person is not None:
                declarations.append(
                    {
                        "person": person,
                        "interest": row["interest"],
                        "withdrew": row.get("withdrew", False),
                    }
                )
        self.sync_children(
            "declarations",
            _existing(lambda: item.declarations.order_by("pk"), batch),
            declarations,
            lambda v: Declaration(item=item, **v),
            ["person", "interest", "withdrew"],
            lambda d: f"{path}.declarations[{d}]",
            batch,
        )
        for key, kind in (("dissent", Dissent.Kind.DISSENT), ("reservations", RESERVATION)):
            if kind == RESERVATION and key not in data:
                continue  # a file written before reservations leaves those recorded alone
            self.dissents(item, data.get(key, []), kind, f"{path}.{key}", batch)
        for p, paper in enumerate(data.get("papers", [])):
            self.paper(item, paper, p, f"{path}.papers[{p}]", batch)
        for a, action in enumerate(data.get("actions", [])):
            self.action(meeting, item, action, a, f"{path}.actions[{a}]", batch, paragraphs)

    def dissents(
        self,
        item: AgendaItem,
        rows: list[dict[str, Any]],
        kind: str,
        path: str,
        batch: Batch | None,
    ) -> None:
        """An item's dissent, or its reservations: each a person and their reason."""
        wanted = []
        for d, row in enumerate(rows):
            person = self.person(row["person"], f"{path}[{d}].person")
            if person is not None:
                wanted.append({"person": person, "text": row["text"], "kind": kind})
        self.sync_children(
            "dissent" if kind == Dissent.Kind.DISSENT else "reservations",
            _existing(lambda: item.dissents.filter(kind=kind).order_by("pk"), batch),
            wanted,
            lambda v: Dissent(item=item, **v),
            ["person", "text", "kind"],
            lambda d: f"{path}[{d}]",
            batch,
        )

    def action(
        self,
        meeting: Meeting,
        item: AgendaItem,
        data: dict[str, Any],
        position: int,
        path: str,
        batch: Batch | None = None,
        paragraphs: list[MinuteParagraph] | None = None,
    ) -> None:
        deadline = data.get("deadline")
        # The paragraph its "Action:" line follows (1-based), as the minutes print it.
        paragraph = None
        number = data.get("paragraph")
        if number is not None:
            if not paragraphs or not 1 <= number <= len(paragraphs):
                self.error(
                    f"{path}.paragraph",
                    f"The item has no minute paragraph {number} for this action to follow.",
                )
                return
            paragraph = paragraphs[number - 1]
        own_words = {"minutes_text": data["minutes_text"]} if "minutes_text" in data else {}
        if own_words and meeting.pk and meeting.minutes_locked:
            printed = meeting.actions.filter(key=data["key"]).values_list("minutes_text", flat=True)
            if printed and printed[0] != data["minutes_text"]:
                self.error(
                    f"{path}.minutes_text",
                    "The approved minutes print this action's words; change them by a "
                    "correction in the workspace.",
                )
                return
        action = self.upsert(
            "actions",
            Action,
            {"meeting": meeting, "key": data["key"]},
            {
                "item": item,
                "position": position,
                "description": data["description"],
                "deadline": None if deadline in (None, "ongoing") else _date(deadline),
                "ongoing": deadline == "ongoing",
                "status": data["status"],
                "status_note": data.get("status_note", ""),
                **own_words,
                # In a batch the paragraph has no key yet: it is set once inserted (below).
                **({"paragraph": paragraph} if batch is None else {}),
            },
            path,
            batch=batch,
        )
        if action is None:
            return
        owners = []
        for o, key in enumerate(data["owners"]):
            person = self.owner_person(key)
            owners.append({"person": person, "role": "" if person else key, "position": o})
        updates = [
            {"date": _date(u["date"]), "status": u["status"], "note": u.get("note", "")}
            for u in data.get("updates", [])
        ]

        def children() -> None:
            if batch is not None and paragraph is not None:
                action.paragraph = paragraph
                action.save(update_fields=["paragraph"])
            self.sync_children(
                "action owners",
                _existing(lambda: action.owners.order_by("position", "pk"), batch),
                owners,
                lambda v: ActionOwner(action=action, **v),
                ["person", "role", "position"],
                lambda o: f"{path}.owners[{o}]",
                batch,
            )
            self.sync_children(
                "action updates",
                _existing(lambda: action.updates.order_by("date", "pk"), batch),
                updates,
                lambda v: ActionUpdate(action=action, **v),
                ["date", "status", "note"],
                lambda u: f"{path}.updates[{u}]",
                batch,
            )

        if batch is not None:
            batch.after(children)  # once the action has its key
        else:
            children()


def _existing(children: Callable[[], models.QuerySet], batch: Batch | None) -> list[models.Model]:
    """A record's children in the database: none for a record new in this import (batch)."""
    return [] if batch is not None else list(children())


def _check_attendance(obj: Attendance, members: Callable[[], set[int]]) -> None:
    """full_clean() of one attendance row, but for what concerns the whole meeting."""
    errors: dict[str, list] = {}
    for check in (
        lambda: obj.clean_fields(exclude=held_relations(obj)),
        lambda: obj.clean_record(members()),
    ):
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
