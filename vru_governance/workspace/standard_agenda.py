"""The secretary's workspace: a body's standard agenda (the items a new meeting starts with)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetings.services.agenda import StandardRow, save_standard_agenda, standard_agenda
from members.models import Body
from vru_governance.workspace.base import workspace_view
from vru_governance.workspace.forms.meetings import StandardAgendaFormSet, lead_initial


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


@workspace_view
def standard_agenda_edit(request: HttpRequest, body: Body) -> HttpResponse:
    """Edit the items every new meeting of the body starts with; meetings already created keep
    their own agendas."""
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
    formset = StandardAgendaFormSet(request.POST or None, initial=initial, prefix="items")
    problem = None
    if request.method == "POST" and formset.is_valid():
        try:
            save_standard_agenda(body, _rows(formset))
        except ValidationError as exc:
            problem = exc.messages
        else:
            messages.success(request, "The standard agenda is saved: new meetings start with it.")
            return redirect("workspace:standard_agenda", body=body.slug)
    return render(
        request,
        "workspace/meetings/standard_agenda.html",
        {
            "body": body,
            "formset": formset,
            "problem": problem,
            "own": body.standard_items.exists(),
        },
        status=400 if problem else 200,
    )
