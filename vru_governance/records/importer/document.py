"""The importer of a whole document: bodies, terms of reference, people and memberships.

`Importer` walks the document body by body, hands each body's meetings to the meeting steps,
then runs the checks that need the whole document in place.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from meetings.services.agenda import StandardRow, save_standard_agenda, standard_agenda
from meetings.services.attendance import named
from members.models import Appointment, Body, Person, QuorumGroup, Seat, TermsOfReference
from vru_governance.records.importer.base import _date, _messages
from vru_governance.records.importer.declarations import DeclarationSteps
from vru_governance.records.importer.dropped import dropped_records
from vru_governance.records.importer.meetings import MeetingSteps
from vru_governance.rules.quorum import QuorumError


class Importer(MeetingSteps, DeclarationSteps):
    """Applies a schema-valid document to the database, collecting every error with its path."""

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

    def standard_agenda(self, body: Body, rows: list[dict[str, Any]], path: str) -> None:
        """The body's standard agenda, replaced only when the file's differs (the service's
        rules: at most one item of each standard kind)."""
        wanted = [
            StandardRow(r["title"], r["kind"], r.get("presenter", ""), r.get("presenter_lead", ""))
            for r in rows
        ]
        if not body.standard_items.exists() or wanted != standard_agenda(body):
            try:
                save_standard_agenda(body, wanted)
            except ValidationError as exc:
                for message in _messages(exc):
                    self.error(path, message)

    def body(self, data: dict[str, Any], path: str) -> None:
        body = self.upsert(
            "bodies",
            Body,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "description": data.get("description", ""),
                # Absent (a file written before the field): what the database holds stays.
                **({"publisher_line": data["publisher_line"]} if "publisher_line" in data else {}),
            },
            path,
            exclude=["secretaries"],
        )
        if body is None:
            return
        if "standard_agenda" in data:
            self.standard_agenda(body, data["standard_agenda"], f"{path}.standard_agenda")
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
        if "declaration_rounds" in data:
            self.declaration_rounds(body, data["declaration_rounds"], f"{path}.declaration_rounds")
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
        self.approvals_of(body)
        # A published record of a meeting already here, left out of the file: an error.
        for m, meeting in enumerate(data.get("meetings", [])):
            for error in dropped_records(body, meeting, f"{path}.meetings[{m}]"):
                self.error(*error)

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
                "honorific": data.get("honorific", ""),
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
            "honorific": data.get("honorific", ""),
            "role": data.get("role", ""),
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


def _decimal(text: str):
    from decimal import Decimal

    return Decimal(text)
