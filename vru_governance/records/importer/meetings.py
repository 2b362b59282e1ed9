"""Importing meetings: the meeting, its agenda items and the links between meetings; what
was recorded under them is vru_governance/records/importer/minutes.py.

A new meeting's records wait in a batch and are inserted a few INSERTs at a time; an existing
meeting's are compared with the file one by one. Rules that need the whole meeting in place
(quorum, attendance) are deferred until everything is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from meetings.models import AgendaItem, Meeting
from meetings.services import history
from meetings.services.minutes_lifecycle import approving_meetings
from members.models import Body
from vru_governance.records.bulk import Batch, is_new
from vru_governance.records.importer.base import _date, _time
from vru_governance.records.importer.minutes import RESERVATION, RecordSteps
from vru_governance.rules import decisions


class MeetingSteps(RecordSteps):
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
