"""The tamper matrix's tools: what the locked records hold, and a page's forms as a browser
would post them back."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from actions.models import Action, ActionOwner
from meetings.models import AgendaItem, Attendance, Declaration, Dissent, Meeting, MinuteParagraph
from members.models import Appointment, QuorumGroup, Seat, TermsOfReference
from reports.models import Paper
from tests.lifecycle.test_published_record_lock import content

# The records a published document shows, every stored field but bookkeeping and what lives
# on after publication (an action's status, an exempt paper's review date).
FINGERPRINTED = [
    Meeting,
    AgendaItem,
    MinuteParagraph,
    Attendance,
    Declaration,
    Dissent,
    Action,
    ActionOwner,
    Paper,
    TermsOfReference,
    Seat,
    QuorumGroup,
    Appointment,
]
LIVES_ON = {"version", "attendance_version", "status_note", "exemption_review_on"}


def fingerprint() -> dict[str, list[tuple]]:
    prints = {}
    for model in FINGERPRINTED:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in LIVES_ON
            # An action's wording, deadline and status live on in the action log.
            and not (
                model is Action
                and f.name in ("status", "completed_on", "updated_at", "description", "deadline")
            )
        ]
        prints[model.__name__] = list(model._base_manager.order_by("pk").values_list(*fields))
    return prints


class _Forms(HTMLParser):
    """The forms of a page as a browser would post them back: {action: {name: value}}."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}))
            return
        if not self.forms or "name" not in a:
            if tag == "option" and self._select and ("selected" in a):
                self.forms[-1][1][self._select] = a.get("value", "")
            return
        data = self.forms[-1][1]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                data.setdefault(a["name"], None)  # present, unchecked
                return
            if kind == "submit":
                self._press(a)
            elif kind not in ("button", "file", "reset"):
                data[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._press(a)
        elif tag == "textarea":
            self._textarea = a["name"]
            data[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            data.setdefault(a["name"], "")

    def _press(self, a: dict[str, str]) -> None:
        """The form's first named submit button, as a click on it posts it."""
        data = self.forms[-1][1]
        if not any(k.startswith("\0") for k in data):
            data["\0" + a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea] += data


def form_with(page: str, field: str) -> tuple[dict[str, str], str] | None:
    """The data of the first form on the page with this field, or a field whose name ends
    with it (a formset's row), and that field's full name (None: no such form)."""
    parser = _Forms()
    parser.feed(page)
    for _action, data in parser.forms:
        name = field if field in data else next((k for k in data if k.endswith(field)), None)
        if name is not None:
            return {k.lstrip("\0"): v for k, v in data.items() if v is not None}, name
    return None


def form_to(page: str, action: str) -> dict[str, str] | None:
    """The data of the page's form that posts to this URL (None: the page offers none)."""
    parser = _Forms()
    parser.feed(page)
    for target, data in parser.forms:
        if target == action:
            return {k.lstrip("\0"): v for k, v in data.items() if v is not None}
    return None


def public_hashes(client: Client, urls: list[str]) -> dict[str, str]:
    """Each public page's and PDF's bytes, hashed, asserting it answered 200."""
    hashes = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        hashes[url] = hashlib.sha256(content(response)).hexdigest()
    return hashes


# The records in an export (vru_governance/records/exporter.py), to change before importing.


def march_doc(document: dict) -> dict:
    return next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-03-06")


def item_doc(document: dict) -> dict:
    return next(i for i in march_doc(document)["items"] if i["number"] == "4")


def may_paper(document: dict) -> dict:
    meeting = next(m for m in document["bodies"][0]["meetings"] if m["key"] == "2019-05-01")
    return next(p for i in meeting["items"] for p in i.get("papers", ()))


def terms_doc(document: dict) -> dict:
    return next(
        t for t in document["bodies"][0]["terms_of_reference"] if t["version"] == "2019-interim"
    )


def membership_doc(document: dict) -> dict:
    return next(
        m
        for m in document["bodies"][0]["memberships"]
        if m["start"] <= "2019-03-06" and not m.get("end")
    )


def set_item(document: dict, field: str, value: Any) -> None:
    item_doc(document)[field] = value
