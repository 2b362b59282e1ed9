"""The secretary's workspace: what every view module shares. The access decorators (signed
in, second factor, secretary of the body), fetching a meeting or item through its body, and
putting a service's error (or an edit conflict) on a form.

View modules import this module, the forms and history, and the data apps; never each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import pretty_name
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from meetings import access, lifecycle
from meetings.models import AgendaItem, Meeting
from members.models import Body
from vru_governance.accounts.views import second_step_redirect
from vru_governance.rules.formats import clock
from vru_governance.rules.versions import NOT_GIVEN, EditConflict

View = Callable[..., HttpResponse]


def secretary_body(request: HttpRequest, slug: str) -> Body:
    """The body, if the user is its secretary: 403 for its partners, 404 for everyone else."""
    body = access.body_by_slug(request.user, slug)
    if body is None:
        raise Http404("No such body.")
    if access.is_secretary(request.user, body):
        return body
    if access.is_partner(request.user, body):
        raise PermissionDenied("Only the body's secretaries work here.")
    raise Http404("No such body.")


def workspace_login_required(view: View) -> View:
    """Signed in, and past the second factor: a code for users with an authenticator, and
    enrolment first where OTP_REQUIRED_FOR_SECRETARIAT asks for it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = second_step_redirect(request)
        if step is not None:
            return step
        return view(request, *args, **kwargs)

    return wrapper


def workspace_view(view: View) -> View:
    """Sign-in (and second factor) required, then the body fetched through the one access
    check."""

    @workspace_login_required
    @wraps(view)
    def wrapper(request: HttpRequest, body: str, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, secretary_body(request, body), *args, **kwargs)

    return wrapper


def workspace_post_view(view: View) -> View:
    """workspace_view for a view that only takes POST (publish, remove, endorse and other
    buttons). The method is checked last: a signed-out reader is sent to sign in whatever
    the method, an outsider is refused as on every workspace page, and only the body's own
    secretaries are told 405 (require_POST on the outside would answer anyone 405 first)."""
    return workspace_view(require_POST(view))


def secretary_bodies(request: HttpRequest) -> list[Body]:
    """The bodies the user is secretary of, by name; 403 for anyone who is secretary of none."""
    candidates = Body.objects.order_by("name")
    if not request.user.is_superuser:
        candidates = candidates.filter(secretaries=request.user)  # not every body, one by one
    bodies = [b for b in candidates if access.is_secretary(request.user, b)]
    if not bodies:
        raise PermissionDenied("You are not the secretary of any body.")
    return bodies


def form_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: beside fields it names, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def refused(form: forms.BaseForm, exc: ValidationError) -> EditConflict | None:
    """Put a service's error on the form, which keeps what was typed. On an edit conflict the
    form also takes the version saved now, so that saving again after reviewing the other
    person's change is accepted; the conflict is returned for the page to show."""
    form_errors(form, exc)
    if not isinstance(exc, EditConflict):
        return None
    if exc.current is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix("version")] = str(exc.current)
        form.data = data
    return exc


@dataclass(frozen=True)
class Beside:
    """One field of a form refused by an edit conflict: the other person's saved value beside
    what this person typed."""

    label: str
    saved: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.saved != self.typed


def _as_text(field: forms.Field, value: Any) -> str:
    """A value as the form shows it (a choice by its label, a date as a date, a tick as yes)."""
    if isinstance(field, forms.BooleanField):
        return "yes" if value in (True, "on", "true", "True", "1") else "no"
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, dt.time):
        return clock(value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(str(value), value))
    return str(value)


def beside(form: forms.BaseForm, saved: dict[str, Any]) -> list[Beside]:
    """The page shown again after an edit conflict (409): for each field named in `saved`, the
    value saved now by the other person beside what this person typed (kept in the form)."""
    rows = []
    for name, value in saved.items():
        field = form.fields[name]
        typed = form[name].value()
        if isinstance(field, (forms.DateField, forms.TimeField)) and isinstance(typed, str):
            try:
                typed = field.clean(typed)
            except ValidationError:
                pass  # shown as typed
        label = str(field.label or pretty_name(name)).rstrip(":")
        rows.append(Beside(label, _as_text(field, value), _as_text(field, typed)))
    return rows


def posted_version(request: HttpRequest) -> int:
    """The version a button's form was rendered with; NOT_GIVEN when it sent none (or not a
    number), which check_version refuses as out of date rather than skipping the check."""
    version = request.POST.get("version", "")
    # isdigit() alone lets "²" through, which int() refuses.
    ok = version.isascii() and version.isdigit() and len(version) < 10
    return int(version) if ok else NOT_GIVEN


def conflict_status(conflict: ValidationError | None) -> int:
    """409 Conflict for a page shown again because someone else saved first."""
    return 409 if conflict is not None else 200


def agenda_locked(meeting: Meeting) -> bool:
    """Whether the meeting's published agenda is locked (meetings/lifecycle.py): its pages show
    it as published, with links to the corrections, instead of forms the lock refuses."""
    return bool(lifecycle.locks_for(AgendaItem, meeting.status).fields)


def meeting_of(body: Body, key: str) -> Meeting:
    """A meeting fetched through its body (already checked by workspace_view)."""
    # No join of the body (it is the one given) nor the default ordering (by body): a key
    # names one meeting of a body.
    meeting = body.meetings.filter(key=key).order_by("pk").first()
    if meeting is None:
        raise Http404("No such meeting.")
    meeting.body = body
    return meeting


def item_of(meeting: Meeting, number: str) -> AgendaItem:
    """An agenda item fetched through its meeting, by its number."""
    # The URL's number is any text: one with a NUL character (PostgreSQL refuses it) is no item.
    item = None if "\x00" in number else meeting.items.filter(number=number).first()
    if item is None:
        raise Http404("No such item.")
    item.meeting = meeting
    return item
