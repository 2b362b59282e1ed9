"""Import a records document: all or nothing, idempotent on natural keys, every rule applied."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, models, transaction

from actions.models import Action, ActionOwner, ActionUpdate
from meetings.attendance_services import named
from meetings.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Dissent,
    Meeting,
    MinuteParagraph,
    check_no_double_count,
)
from meetings.quorum import QuorumError
from members.models import Appointment, Body, Person, QuorumGroup, Seat, TermsOfReference
from members.records import FORMAT
from members.records.bulk import NEW, Batch, held_relations, is_new, refresh_relations
from members.records.schema import schema_errors
from reports.models import SECTION_KEYS, Paper
from reports.pdf_safety import UnreadablePdf, active_content


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


class Importer:
    """Applies a schema-valid document to the database, collecting every error with its path."""

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

    # helpers --------------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def validate(self, path: str, obj: models.Model, exclude: list[str] | None = None) -> bool:
        refresh_relations(obj)
        exclude = [*(exclude or []), *held_relations(obj)]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for message in _messages(exc):
                self.error(path, message)
            return False
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
        for obj in existing[len(wanted) :]:
            obj.delete()
            self.summary.count(kind, False)
        return kept

    # the document -----------------------------------------------------------------------

    def run(self, data: dict[str, Any]) -> None:
        for b, body_data in enumerate(data["bodies"]):
            self.body(body_data, f"bodies[{b}]")
        if self.errors:
            return
        for path, check in self.deferred:
            try:
                check()
            except ValidationError as exc:
                for message in _messages(exc):
                    self.error(path, message)
            except QuorumError as exc:  # attendance that quorum cannot be computed from
                self.error(path, named(exc))

    def body(self, data: dict[str, Any], path: str) -> None:
        body = self.upsert(
            "bodies",
            Body,
            {"slug": data["slug"]},
            {"name": data["name"], "description": data.get("description", "")},
            path,
            exclude=["secretaries"],
        )
        if body is None:
            return
        for t, tor in enumerate(data.get("terms_of_reference", [])):
            self.terms(body, tor, f"{path}.terms_of_reference[{t}]")
        for p, person in enumerate(data.get("people", [])):
            self.person_record(person, f"{path}.people[{p}]")
        appointments = []
        for m, membership in enumerate(data.get("memberships", [])):
            appt = self.membership(body, membership, f"{path}.memberships[{m}]")
            if appt is not None:
                appointments.append((f"{path}.memberships[{m}]", appt))
        # The rules between appointments are judged once every appointment of the file is in
        # place, so that a board's first roster is judged as a whole.
        for appt_path, appt in appointments:
            self.deferred.append((appt_path, appt.clean))
        # New meetings are written in two rounds of a few INSERTs for the whole body: their
        # agenda items, then everything that refers to an item.
        batch = self.batch()
        rest = []
        for m, meeting in enumerate(data.get("meetings", [])):
            rest.append(self.meeting(body, meeting, f"{path}.meetings[{m}]", batch))
        batch.flush()
        for then in rest:
            if then is not None:
                then()
        batch.flush()

    def terms(self, body: Body, data: dict[str, Any], path: str) -> None:
        quorum = data.get("quorum", {})
        interval = data.get("meeting_interval_days") or [None, None]
        values = {
            "title": data["title"],
            "status": data["status"],
            "effective_from": _date(data["effective_from"]),
            "text": data.get("text", ""),
            "community_min_share": _decimal(data.get("community_min_share", "0.30")),
            "quorum_fraction": quorum.get("fraction", "1/2"),
            "substitutes_count": quorum.get("substitutes_count", True),
            "remote_counts": quorum.get("remote_counts", True),
            "meeting_interval_min_days": interval[0],
            "meeting_interval_max_days": interval[1],
            "agenda_notice_days": data.get("agenda_notice_days", 5),
        }
        terms = self.upsert(
            "terms of reference",
            TermsOfReference,
            {"body": body, "version": data["version"]},
            values,
            path,
        )
        if terms is None:
            return
        seats = [
            {
                "key": s["key"],
                "label": s["label"],
                "sector": s["sector"],
                "count": None if s["count"] == "share" else s["count"],
                "position": i,
            }
            for i, s in enumerate(data.get("seats", []))
        ]
        keys = [s["key"] for s in seats]
        for dup in sorted({k for k in keys if keys.count(k) > 1}):
            self.error(f"{path}.seats", f"The seat key '{dup}' is used twice.")
        self.sync_children(
            "seats",
            list(terms.seats.order_by("position", "pk")),
            seats,
            lambda v: Seat(terms=terms, **v),
            ["key", "label", "sector", "count", "position"],
            lambda i: f"{path}.seats[{i}]",
        )
        groups = [
            {
                "label": g["label"],
                "any_of": list(g["any_of"]),
                "representative_allowed": g.get("representative_allowed", False),
                "position": i,
            }
            for i, g in enumerate(quorum.get("required", []))
        ]
        self.sync_children(
            "quorum groups",
            list(terms.quorum_groups.order_by("position", "pk")),
            groups,
            lambda v: QuorumGroup(terms=terms, **v),
            ["label", "any_of", "representative_allowed", "position"],
            lambda i: f"{path}.quorum.required[{i}]",
        )

    def person_record(self, data: dict[str, Any], path: str) -> None:
        person = self.upsert(
            "people",
            Person,
            {"key": data["key"]},
            {
                "name": data["name"],
                "role": data.get("role", ""),
                "organisation": data.get("organisation", ""),
                "email": data.get("email", ""),
            },
            path,
            exclude=["user"],
        )
        if person is not None:
            self.people[person.key] = person

    def membership(self, body: Body, data: dict[str, Any], path: str) -> Appointment | None:
        person = self.person(data["person"], f"{path}.person")
        if person is None:
            return None
        values = {
            "seat_key": data["seat"],
            "end": _date(data.get("end")),
            "exception": data.get("exception", ""),
        }
        obj = Appointment.objects.filter(
            body=body, person=person, start=_date(data["start"])
        ).first()
        created = obj is None
        if created:
            obj = Appointment(body=body, person=person, start=_date(data["start"]), **values)
        elif all(getattr(obj, k) == v for k, v in values.items()):
            return obj
        else:
            for k, v in values.items():
                setattr(obj, k, v)
        try:
            obj.clean_fields()
        except ValidationError as exc:
            for message in _messages(exc):
                self.error(path, message)
            return None
        if obj.end is not None and obj.end < obj.start:
            self.error(path, f"The appointment ends ({obj.end}) before it starts ({obj.start}).")
            return None
        obj.save()
        self.summary.count("appointments", created)
        return obj

    # meetings ---------------------------------------------------------------------------

    def meeting(
        self, body: Body, data: dict[str, Any], path: str, batch: Batch
    ) -> Callable[[], None] | None:
        """The meeting and its items; what refers to the items comes in the function returned
        (to run once the batch's items are in), or at once for a meeting already there."""
        meeting = self.upsert(
            "meetings",
            Meeting,
            {"body": body, "key": data["key"]},
            {
                "date": _date(data["date"]),
                "start_time": _time(data["start"]),
                "end_time": _time(data.get("end")),
                "place": data.get("place", ""),
                "status": data["status"],
            },
            path,
            fresh=is_new(body),
        )
        if meeting is None:
            return None
        items: dict[str, AgendaItem] = {}
        numbers = [i["number"] for i in data.get("items", [])]
        for dup in sorted({n for n in numbers if numbers.count(n) > 1}):
            self.error(f"{path}.items", f"Item number {dup} is used twice.")
        # A new meeting's records wait in the batch; an existing meeting's are compared one by
        # one. A file that repeats a natural key within the meeting takes the one-by-one way,
        # which reports it.
        if not is_new(meeting) or _repeats_keys(data):
            batch = None
        for i, item_data in enumerate(data.get("items", [])):
            item = self.upsert(
                "agenda items",
                AgendaItem,
                {"meeting": meeting, "number": item_data["number"]},
                {
                    "position": i,
                    "title": item_data["title"],
                    "presenter": item_data.get("presenter", ""),
                    "kind": item_data.get("kind", "business"),
                    "outcome": item_data.get("outcome", ""),
                },
                f"{path}.items[{i}]",
                exclude=["outcome"],  # judged once attendance and declarations are in
                batch=batch,
            )
            if item is not None:
                items[item.number] = item

        def rest() -> None:
            self.attendance(meeting, data.get("attendance", []), items, path, batch)
            needs_quorum = []
            for i, item_data in enumerate(data.get("items", [])):
                item = items.get(item_data["number"])
                if item is not None:
                    self.item_records(meeting, item, item_data, f"{path}.items[{i}]", batch)
                    if item.outcome in AgendaItem.NEEDS_QUORUM:
                        needs_quorum.append((f"{path}.items[{i}].outcome", item))
            # Judged once everything is in, against one computation of the meeting's quorum.
            quorum = functools.cache(meeting.quorum)
            for item_path, item in needs_quorum:
                self.deferred.append((item_path, functools.partial(_check_quorate, item, quorum)))

        if batch is not None:
            return rest  # once the items have their keys
        rest()
        return None

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
                stale.delete()
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
        self.sync_children(
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
        dissents = []
        for d, row in enumerate(data.get("dissent", [])):
            person = self.person(row["person"], f"{path}.dissent[{d}].person")
            if person is not None:
                dissents.append({"person": person, "text": row["text"]})
        self.sync_children(
            "dissent",
            _existing(lambda: item.dissents.order_by("pk"), batch),
            dissents,
            lambda v: Dissent(item=item, **v),
            ["person", "text"],
            lambda d: f"{path}.dissent[{d}]",
            batch,
        )
        for p, paper in enumerate(data.get("papers", [])):
            self.paper(item, paper, p, f"{path}.papers[{p}]", batch)
        for a, action in enumerate(data.get("actions", [])):
            self.action(meeting, item, action, a, f"{path}.actions[{a}]", batch)

    def paper(
        self,
        item: AgendaItem,
        data: dict[str, Any],
        position: int,
        path: str,
        batch: Batch | None = None,
    ) -> None:
        exemption = data.get("exemption") or {}
        sections = data.get("sections") or {}
        values: dict[str, Any] = {
            "position": position,
            "title": data["title"],
            "author": data.get("author", ""),
            "presented_by": data.get("presented_by", ""),
            "cleared_by": data.get("cleared_by", ""),
            "classification": data["classification"],
            "exemption_section": exemption.get("section", ""),
            "exemption_reason": exemption.get("reason", ""),
            "exemption_review_on": _date(exemption.get("review_on")),
            "final": data.get("final", True),
            "supplement": data.get("supplement", False),
            "file_has_equality_comments": data.get("file_has_equality_comments", False),
        }
        for key in SECTION_KEYS:
            values[key] = sections.get(key, "")
        content = None
        if data.get("file"):
            content = self.read_pdf(data["file"], f"{path}.file")
            if content is None:
                return
        paper = None
        if batch is None:
            paper = Paper.objects.filter(item=item, key=data["key"]).first()
        created = paper is None
        if created:
            paper = Paper(item=item, key=data["key"], **values)
        changed = created or any(getattr(paper, k) != v for k, v in values.items())
        for k, v in values.items():
            setattr(paper, k, v)
        if content is not None:
            if not paper.file or _sha256_of(paper.file) != hashlib.sha256(content).hexdigest():
                paper.file.save(f"{paper.key}.pdf", ContentFile(content), save=False)
                self.saved_files.append(paper.file.name)
                changed = True
        elif paper.file:
            paper.file = None
            changed = True
        if not changed:
            return
        if not self.validate(path, paper):
            return
        if created and batch is not None:
            batch.add("papers", paper)
        else:
            paper.save()
            self.summary.count("papers", created)

    def read_pdf(self, name: str, path: str) -> bytes | None:
        if self.base_dir is None:
            self.error(path, "A paper file can only be read when importing from a file.")
            return None
        base = self.base_dir.resolve()
        target = (base / name).resolve()
        if base not in target.parents:
            self.error(path, f"'{name}' is outside the folder of the records file.")
            return None
        if not target.is_file():
            self.error(path, f"No file '{name}' beside the records file.")
            return None
        content = target.read_bytes()
        if not content.startswith(b"%PDF-"):
            self.error(path, f"'{name}' is not a PDF.")
            return None
        try:
            found = active_content(content)
        except UnreadablePdf as exc:
            self.error(path, f"'{name}': {exc}")
            return None
        if found:
            self.error(path, f"'{name}' contains {' and '.join(found)}; papers must be plain PDFs.")
            return None
        return content

    def action(
        self,
        meeting: Meeting,
        item: AgendaItem,
        data: dict[str, Any],
        position: int,
        path: str,
        batch: Batch | None = None,
    ) -> None:
        deadline = data.get("deadline")
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


def _repeats_keys(meeting: dict[str, Any]) -> bool:
    """Whether a natural key repeats within the meeting (one INSERT for all would refuse it)."""
    items = meeting.get("items", [])
    groups = [
        [i["number"] for i in items],
        [row["person"] for row in meeting.get("attendance", [])],
        [a["key"] for i in items for a in i.get("actions", [])],
        *([p["key"] for p in i.get("papers", [])] for i in items),
        *([d["person"] for d in i.get("declarations", [])] for i in items),
    ]
    return any(len(set(keys)) != len(keys) for keys in groups)


def _check_quorate(item: AgendaItem, quorum: Callable[[], Any]) -> None:
    item.check_quorate(quorum())


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


def _decimal(text: str):
    from decimal import Decimal

    return Decimal(text)


def _sha256_of(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_records(data: Any, base_dir: Path | None = None) -> Summary:
    """Apply a document in one transaction; on any error raise RecordsError, writing nothing."""
    if not isinstance(data, dict):
        raise RecordsError([("(document)", "The document must be a JSON object.")])
    errors = schema_errors(data)
    if errors:
        raise RecordsError(errors)
    if data.get("format") != FORMAT:
        raise RecordsError([("format", f"Expected '{FORMAT}'.")])
    importer = Importer(base_dir)
    try:
        with transaction.atomic():
            importer.run(data)
            if importer.errors:
                raise RecordsError(importer.errors)
    except (IntegrityError, DataError) as exc:
        # A rule only the database checks (a record given twice, a number out of range):
        # the transaction is rolled back, and the document refused like any other.
        for name in importer.saved_files:
            default_storage.delete(name)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RecordsError(
            [("(document)", f"The database refused the records ({first}).")]
        ) from exc
    except Exception:
        for name in importer.saved_files:
            default_storage.delete(name)
        raise
    importer.summary.saved_files = list(importer.saved_files)
    return importer.summary
