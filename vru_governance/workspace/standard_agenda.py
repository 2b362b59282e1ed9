"""The secretary's workspace: a body's standard agenda (the items a new meeting starts with)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetings.models import AgendaItem
from meetings.services.agenda import StandardRow, save_standard_agenda, standard_agenda
from members.models import Body
from vru_governance.workspace.base import Beside, conflict_status, refused, workspace_view
from vru_governance.workspace.forms.meetings import (
    StandardAgendaFormSet,
    VersionForm,
    lead_initial,
)


def _rows(formset: StandardAgendaFormSet) -> list[StandardRow]:
    """The rows kept, in the order typed (rows without an order keep their place)."""
    kept = [
        (form.cleaned_data.get("ORDER"), index, form.cleaned_data)
        for index, form in enumerate(formset.forms)
        if form.cleaned_data.get("title", "").strip() and not form.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda row: (row[0] if row[0] is not None else row[1] + 1, row[1]))
    return [
        StandardRow(
            title=data["title"],
            kind=data["kind"],
            presenter=data.get("presenter", ""),
            presenter_lead=data.get("presenter_lead", ""),
        )
        for _, _, data in kept
    ]


def _as_text(row: StandardRow) -> str:
    """An item as the conflict table shows it: title, kind and presenter line."""
    kind = AgendaItem.Kind(row.kind).label if row.kind in AgendaItem.Kind.values else row.kind
    presenter = " ".join(p for p in (row.presenter_lead, row.presenter) if p.strip())
    return f"{row.title.strip()} ({kind}){f' — {presenter}' if presenter else ''}"


def _beside(saved: list[StandardRow], typed: list[StandardRow]) -> list[Beside]:
    """After an edit conflict: the standard agenda saved now by the other person, item by
    item, beside the one typed (kept in the form)."""
    return [
        Beside(
            f"Item {n}",
            _as_text(saved[n - 1]) if n <= len(saved) else "",
            _as_text(typed[n - 1]) if n <= len(typed) else "",
        )
        for n in range(1, max(len(saved), len(typed)) + 1)
    ]


@workspace_view
def standard_agenda_edit(request: HttpRequest, body: Body) -> HttpResponse:
    """Edit the items every new meeting of the body starts with; meetings already created keep
    their own agendas. A page opened before someone else saved is refused (409) with their
    standard agenda beside what was typed."""
    current = standard_agenda(body)
    initial = [
        {
            "title": row.title,
            "kind": row.kind,
            "presenter": row.presenter,
            **lead_initial(row.presenter_lead),
            "ORDER": position,
        }
        for position, row in enumerate(current, start=1)
    ]
    data = request.POST or None
    formset = StandardAgendaFormSet(data, initial=initial, prefix="items")
    version = VersionForm(data, initial={"version": body.standard_agenda_version})
    problem = None
    conflict = None
    beside_rows: list[Beside] = []
    if request.method == "POST" and formset.is_valid() and version.is_valid():
        typed = _rows(formset)
        try:
            save_standard_agenda(body, typed, version=version.cleaned_data["version"])
        except ValidationError as exc:
            conflict = refused(version, exc)
            if conflict is None:
                problem = exc.messages
            else:
                beside_rows = _beside(standard_agenda(body), typed)
        else:
            messages.success(request, "The standard agenda is saved: new meetings start with it.")
            return redirect("workspace:standard_agenda", body=body.slug)
    return render(
        request,
        "workspace/meetings/standard_agenda.html",
        {
            "body": body,
            "formset": formset,
            "version": version,
            "problem": problem,
            "conflict": conflict,
            "beside_rows": beside_rows,
            "own": body.standard_items.exists(),
        },
        status=400 if problem else conflict_status(conflict),
    )
