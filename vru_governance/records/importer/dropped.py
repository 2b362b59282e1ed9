"""Records a file leaves out of a meeting that is already in the database.

The importer adds and changes what a file lists, and leaves alone what it does not (a file
may carry only part of a body's records). A record that a published document shows is the
exception: leaving it out of a file cannot remove it, and leaving it as it is without a word
would hide that the file and the published record disagree. So each such record left out
(an agenda item, a paper, an action the approved minutes print) is an error at the meeting's
path that names the record and says to record a correction. Minute paragraphs, declarations,
dissent, attendance and an action's owners are lists the file replaces: the importer refuses
their removal where it syncs them (ImporterBase.remove)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from meetings import lifecycle
from members.models import Body
from vru_governance.records.bulk import is_new


def _refuse(errors: list[tuple[str, str]], path: str, obj: models.Model, name: str) -> None:
    try:
        lifecycle.check_delete(obj)
    except ValidationError as exc:
        for message in exc.messages:
            errors.append((path, f"The file leaves out {name}. {message}"))


def dropped_records(body: Body, data: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """(path, message) for each published record of an existing meeting the file leaves out."""
    meeting = body.meetings.filter(key=data["key"]).first()
    if meeting is None or is_new(meeting):
        return []
    errors: list[tuple[str, str]] = []
    listed = {i["number"]: (n, i) for n, i in enumerate(data.get("items", []))}
    action_keys = {a["key"] for i in data.get("items", []) for a in i.get("actions", [])}
    items = list(meeting.items.prefetch_related("papers").order_by("position", "pk"))
    for item in items:
        if item.number not in listed:
            _refuse(errors, f"{path}.items", item, f"item {item.number} '{item.title}'")
            continue
        n, item_data = listed[item.number]
        paper_keys = {p["key"] for p in item_data.get("papers", [])}
        for paper in item.papers.all():
            if paper.key not in paper_keys:
                _refuse(
                    errors,
                    f"{path}.items[{n}].papers",
                    paper,
                    f"the paper '{paper.title}' of item {item.number}",
                )
    for action in meeting.actions.exclude(key__in=action_keys).select_related("item"):
        where = f" of item {action.item.number}" if action.item_id else ""
        _refuse(errors, f"{path}.items", action, f"the action '{action.key}'{where}")
    return errors
