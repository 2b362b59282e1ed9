"""The secretary's workspace: terms of reference versions (read, draft, edit, endorse)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from members import services
from members.models import Body, TermsOfReference
from vru_governance.workspace.base import form_errors, workspace_post_view, workspace_view
from vru_governance.workspace.forms.members import (
    BLANK_SEAT_ROWS,
    MORE_SEAT_ROWS,
    GroupFormSet,
    SeatFormSet,
    StartFromForm,
    TermsForm,
    lines_of,
)
from vru_governance.workspace.history import history_entries


@workspace_view
def terms_detail(request: HttpRequest, body: Body, version: str) -> HttpResponse:
    terms = get_object_or_404(
        body.terms.prefetch_related("seats", "quorum_groups"), version=version
    )
    seats = [(s, terms.seat_capacity(s)) for s in terms.seat_list()]
    history = history_entries([TermsOfReference.history.filter(id=terms.pk)])
    return render(
        request,
        "workspace/members/terms_detail.html",
        {
            "body": body,
            "terms": terms,
            "seats": seats,
            "history": history,
            "in_force": body.terms_in_force(dt.date.today()),
        },
    )


@workspace_view
def terms_edit(request: HttpRequest, body: Body, version: str | None = None) -> HttpResponse:
    """Draft a new ToR version (from any version, by default the one in force, or from nothing)
    or edit a draft."""
    start_from = None
    if version:
        terms = get_object_or_404(body.terms, version=version)
        if terms.status != TermsOfReference.Status.DRAFT:
            messages.error(request, "Only a draft can be edited; draft a new version instead.")
            return redirect("workspace:terms", body=body.slug, version=version)
        source = terms
    else:
        in_force = body.terms_in_force(dt.date.today())
        chosen = "start_from" in request.GET
        start_from = StartFromForm(
            request.GET if chosen else None,
            body=body,
            initial={"start_from": in_force.version if in_force else ""},
        )
        source = start_from.source(in_force)
        terms = TermsOfReference(body=body)
        if source is not None:
            for name in services.COPIED_TERMS_FIELDS:
                setattr(terms, name, getattr(source, name))
    seat_lines, group_lines = services.next_version_from(source)
    # Initial rows only for a new page: a posted row is compared with nothing, so every
    # typed row counts (blank extra rows are ignored, ticked rows removed).
    bound = request.method == "POST"
    # Bound on every POST, even an empty one (whose form would otherwise have no cleaned_data).
    data = request.POST if bound else None
    if bound and "more_rows" in request.POST:
        data = _with_more_seat_rows(request.POST)
    form = TermsForm(data, instance=terms)
    seats = SeatFormSet(
        data,
        prefix="seats",
        initial=None if bound else [s.__dict__ for s in seat_lines],
    )
    if not bound and not seat_lines:
        seats.extra = BLANK_SEAT_ROWS  # a blank draft: room for a whole seat plan at once
    groups = GroupFormSet(
        data,
        prefix="groups",
        initial=None
        if bound
        else [{**g.__dict__, "any_of": ", ".join(g.any_of)} for g in group_lines],
    )
    if not bound and not group_lines:
        groups.extra = 2
    computed = None
    if bound:
        valid = form.is_valid()  # cleans every field, so the share is there even if not valid
        share = form.cleaned_data.get("community_min_share")
        # The count is of the typed plan, whatever else is still missing (never the old one's).
        if seats.is_valid() and share is not None:
            computed = services.computed_community_seats(lines_of(seats), share)
        if "save" not in request.POST:
            _not_yet_required(form)
        elif valid and seats.is_valid() and groups.is_valid():
            try:
                saved = services.save_draft_terms(
                    form.save(commit=False), seats=lines_of(seats), groups=lines_of(groups)
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"Draft {saved.title} saved.")
                return redirect("workspace:terms", body=body.slug, version=saved.version)
    elif source is not None:
        computed = (source.community_seats(), source.total_seats())
    return render(
        request,
        "workspace/members/terms_edit.html",
        {
            "body": body,
            "terms": terms,
            "form": form,
            "seats": seats,
            "groups": groups,
            "computed": computed,
            "start_from": start_from,
        },
    )


def _not_yet_required(form: TermsForm) -> None:
    """Computing the seats or adding rows judges what is typed, not what is still to come:
    an empty field's "required" is said when the draft is saved, not before."""
    for name in list(form.errors):
        if name in form.fields and not str(form.data.get(name, "")).strip():
            del form.errors[name]


def _with_more_seat_rows(posted: QueryDict) -> QueryDict:
    """The posted draft with more blank seat rows (the rows typed so far kept as typed)."""
    data = posted.copy()
    try:
        total = int(data.get("seats-TOTAL_FORMS", ""))
    except ValueError:
        return data  # the formset reports the broken management form
    data["seats-TOTAL_FORMS"] = str(total + MORE_SEAT_ROWS)
    return data


@workspace_post_view
def terms_endorse(request: HttpRequest, body: Body, version: str) -> HttpResponse:
    terms = get_object_or_404(body.terms, version=version)
    try:
        services.endorse_terms(terms)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"{terms.title} endorsed: in force from {terms.effective_from:%-d %B %Y}."
        )
    return redirect("workspace:terms", body=body.slug, version=version)
