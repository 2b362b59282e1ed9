"""A partner keeps their own register of interests up to date."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from members import services
from members.models import Interest
from vru_governance.partners.base import Partner, dashboard_context, not_a_partner, partner_for
from vru_governance.partners.forms_members import InterestForm
from vru_governance.workspace.meetings import refused


def interest_for(partner: Partner, pk: int) -> Interest:
    """An entry of the partner's own register, fetched through their person; 404 otherwise."""
    interest = partner.person.interests.filter(pk=pk).first()
    if interest is None:
        raise Http404("No such interest in your register.")
    return interest


@login_required
@require_POST
def add_interest(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    form = InterestForm(request.POST, prefix="interest")
    form.instance.person = partner.person
    if form.is_valid():
        form.save()
        messages.success(request, "The interest is added to your register.")
        return redirect(reverse("public:partners") + "#interests")
    context = dashboard_context(request, partner, interest_form=form)
    return render(request, "partners/dashboard.html", context, status=400)


@login_required
def edit_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an entry, or record the date it ended."""
    partner = partner_for(request)
    if partner is None:
        return not_a_partner(request)
    interest = interest_for(partner, pk)
    form = InterestForm(request.POST or None, instance=interest, prefix="interest")
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_interest(
                interest,
                category=data["category"],
                description=data["description"],
                registered_on=data["registered_on"],
                ended_on=data["ended_on"],
                version=data["version"],
            )
        except ValidationError as exc:
            conflict = refused(form, exc)
        else:
            messages.success(request, "Your register of interests is updated.")
            return redirect(reverse("public:partners") + "#interests")
    status = 200
    if request.method == "POST":
        status = 409 if conflict is not None else 400
    if conflict is not None:
        interest = interest_for(partner, pk)  # as saved now, beside what was typed
    context = {"form": form, "interest": interest, "partner": partner, "conflict": conflict}
    return render(request, "partners/interest_form.html", context, status=status)
