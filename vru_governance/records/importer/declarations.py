"""The importer's step for a body's annual declaration rounds (docs/records-format-additions.md):
each round by its due date, each confirmation by its person, under the models' own rules
(`DeclarationRound.clean`, `DeclarationConfirmation.clean`). A round or confirmation the file
leaves out is left as the database holds it: confirmations are part of the history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from members.models import Body, DeclarationConfirmation, DeclarationRound
from vru_governance.records.importer.base import ImporterBase, _date


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class DeclarationSteps(ImporterBase):
    """Declaration rounds and their confirmations."""

    def declaration_rounds(self, body: Body, rows: list[dict[str, Any]], path: str) -> None:
        seen: set[str] = set()
        for r, row in enumerate(rows):
            if row["due_on"] in seen:
                self.error(f"{path}[{r}].due_on", f"Two rounds are due on {row['due_on']}.")
                continue
            seen.add(row["due_on"])
            self.declaration_round(body, row, f"{path}[{r}]")

    def declaration_round(self, body: Body, data: dict[str, Any], path: str) -> None:
        try:
            started_at = _moment(data["started_at"])
            asked_at = _moment(data.get("asked_at"))
        except ValueError:
            self.error(path, "started_at and asked_at must be dates and times (ISO 8601).")
            return
        values = {
            "started_at": started_at,
            "asked_at": asked_at,
            "reminded_on": _date(data.get("reminded_on")),
        }
        round = self.upsert(
            "declaration rounds",
            DeclarationRound,
            {"body": body, "due_on": _date(data["due_on"])},
            values,
            path,
            exclude=["started_by"],
        )
        if round is None:
            return
        if round.started_at != started_at:  # auto_now_add set the moment of saving
            DeclarationRound.objects.filter(pk=round.pk).update(started_at=started_at)
            round.started_at = started_at
        people: set[str] = set()
        for c, row in enumerate(data.get("confirmations", [])):
            here = f"{path}.confirmations[{c}]"
            if row["person"] in people:
                self.error(here, f"'{row['person']}' confirmed twice in this round.")
                continue
            people.add(row["person"])
            person = self.person(row["person"], f"{here}.person")
            if person is None:
                continue
            try:
                confirmed_at = _moment(row["confirmed_at"])
            except ValueError:
                self.error(here, "confirmed_at must be a date and time (ISO 8601).")
                continue
            confirmation = self.upsert(
                "declaration confirmations",
                DeclarationConfirmation,
                {"round": round, "person": person},
                {
                    "confirmed_at": confirmed_at,
                    "updated": row.get("updated", False),
                    "note": row.get("note", ""),
                },
                here,
            )
            if confirmation is not None and confirmation.confirmed_at != confirmed_at:
                DeclarationConfirmation.objects.filter(pk=confirmation.pk).update(
                    confirmed_at=confirmed_at
                )
                confirmation.confirmed_at = confirmed_at
