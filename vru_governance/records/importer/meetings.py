"""Importing meetings: agenda items, attendance, minutes, declarations, dissent and actions.

A new meeting's records wait in a batch and are inserted a few INSERTs at a time; an existing
meeting's are compared with the file one by one. Rules that need the whole meeting in place
(quorum, attendance) are deferred until everything is written.
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
from meetings.services import history
from meetings.services.minutes_lifecycle import approving_meetings
from members.models import Body
from vru_governance.records.bulk import Batch, held_relations, is_new
from vru_governance.records.importer.base import _date, _time
from vru_governance.records.importer.papers import PaperSteps
from vru_governance.rules import decisions


class MeetingSteps(PaperSteps):
    """The import steps of a body's meetings and everything recorded at them."""

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
                **history_values(data),
                **agenda_wording_values(data),
                **self.contact_officer_value(data, path),
            },
            path,
            fresh=is_new(body),
        )
        if meeting is None:
            return None
        if data.get("minutes_approved_at"):
            self.approvals.append((meeting, data["minutes_approved_at"], path))
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
                    # A file written before lead-ins leaves the one recorded alone.
                    **(
                        {"presenter_lead": item_data["presenter_lead"]}
                        if "presenter_lead" in item_data
                        else {}
                    ),
                    "minutes_allowed": item_data.get("minutes_allowed"),
                    "kind": item_data.get("kind", "business"),
                    "outcome": item_data.get("outcome", ""),
                    # A file written before decisions leaves those recorded alone.
                    **{k: item_data[k] for k in DECISION_TEXTS if k in item_data},
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
                    if _may_hold_reservations(item, item_data, batch):
                        self.deferred.append(
                            (
                                f"{path}.items[{i}].outcome",
                                functools.partial(_check_reservations, item),
                            )
                        )
            # Judged once everything is in, against one computation of the meeting's quorum.
            quorum = functools.cache(meeting.quorum)
            for item_path, item in needs_quorum:
                self.deferred.append((item_path, functools.partial(_check_quorate, item, quorum)))

        if batch is not None:
            return rest  # once the items have their keys
        rest()
        return None

    def contact_officer_value(self, data: dict[str, Any], path: str) -> dict[str, Any]:
        """The clerk on the day, when the file names one (a file without leaves it alone)."""
        if "contact_officer" not in data:
            return {}
        return {"contact_officer": self.person(data["contact_officer"], f"{path}.contact_officer")}

    def approvals_of(self, body: Body) -> None:
        """Link each meeting whose minutes a later meeting of the body approved to it (and to
        its 'Minutes of last meeting' item, when it has one)."""
        pending = [(m, key, p) for m, key, p in self.approvals if key != "chair"]
        self.approvals = []
        for meeting, key, path in pending:
            later = approving_meetings(meeting).filter(key=key).first()
            if later is None:
                self.error(
                    f"{path}.minutes_approved_at",
                    f"The body has no later meeting '{key}' (after {meeting.date}) to have "
                    "approved these minutes.",
                )
                continue
            item = later.items.filter(kind=AgendaItem.Kind.MINUTES_OF_LAST_MEETING).first()
            if (meeting.minutes_approved_at_meeting_id, meeting.minutes_approved_at_item_id) == (
                later.pk,
                item.pk if item else None,
            ):
                continue
            # Neither field is shown by a locked document: set directly, as the import's
            # other links are.
            Meeting.objects.filter(pk=meeting.pk).update(
                minutes_approved_at_meeting=later,
                minutes_approved_at_item=item,
                minutes_approved_by_chair=False,
            )
            self.summary.count("meetings", False)

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


# The records format's names for what the agenda prints under "Date of next meeting".
NEXT_MEETING = {"records": "", "own": "own", "none": "none"}


def agenda_wording_values(data: dict[str, Any]) -> dict[str, Any]:
    """The agenda's 'In attendance' list and next-meeting line, as far as the file gives them
    (a file without them leaves those of the database alone)."""
    values: dict[str, Any] = {}
    if "agenda_in_attendance" in data:
        values["in_attendance"] = "\n".join(
            line.strip() for line in data["agenda_in_attendance"] if line.strip()
        )
    if "next_meeting" in data:
        values["next_meeting"] = NEXT_MEETING[data["next_meeting"]]
        values["next_meeting_text"] = data.get("next_meeting_text", "")
    elif "next_meeting_text" in data:
        values["next_meeting"] = NEXT_MEETING["own"]
        values["next_meeting_text"] = data["next_meeting_text"]
    return values


# The records format's dates of a meeting recorded as history, and the fields they fill.
HISTORY_DATES = {
    "agenda_published_on": "agenda_published_at",
    "minutes_circulated_on": "minutes_circulated_at",
    "minutes_approved_on": "minutes_approved_at",
    "minutes_published_on": "minutes_published_at",
}


def history_values(data: dict[str, Any]) -> dict[str, Any]:
    """The lifecycle dates a file gives (a file without them leaves those of the database
    alone); a meeting with any of them is recorded as history unless the file says it is not
    (`"recorded_as_history": false`, as a backup of a live meeting says)."""
    values: dict[str, Any] = {
        field: history.stamp(_date(data[key]))
        for key, field in HISTORY_DATES.items()
        if key in data
    }
    if values:
        values["recorded_as_history"] = data.get("recorded_as_history", True)
    if data.get("minutes_approved_at") == "chair":
        values["minutes_approved_by_chair"] = True
    return values


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


# The decision's texts an item may carry (absent from a file: left as recorded).
DECISION_TEXTS = ("recommendation", "approved_wording", "decision_paragraph")
RESERVATION = Dissent.Kind.RESERVATION


def _may_hold_reservations(item: AgendaItem, data: dict[str, Any], batch: Batch | None) -> bool:
    """Whether the decision needs judging: a new item without reservations, a paragraph or
    an outcome that needs them has nothing to judge (no query per item of a decade)."""
    return (
        batch is None
        or item.outcome == decisions.AGREED_WITH_RESERVATIONS
        or bool(data.get("reservations"))
        or "decision_paragraph" in data
    )


def _check_reservations(item: AgendaItem) -> None:
    """The outcome fits the reservations recorded, and the paragraph that states the decision
    is one of the item's (a query or two, once everything is in)."""
    item.check_reservations(item.dissents.filter(kind=RESERVATION).count())
    if item.decision_paragraph is not None:
        item.check_decision_paragraph(item.paragraphs.count())


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
