"""E-mail alerts for the public (meetings/alerts.py does the work): the form to ask for one,
the page that says to check your e-mail, the confirmation link's page, the unsubscribe link's
page and its one-click POST (RFC 8058), and the privacy notice that says what is kept.

None of these pages is served from the public page cache: they carry forms, and links whose
tokens are one reader's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from meetings import alerts
from meetings.models import AlertSubscription
from members.models import Body
from vru_governance import throttle
from vru_governance.public import search as search_backend


class AlertForm(forms.Form):
    """What a reader gives to ask for an alert: their address, the board, and a search (or
    none, for every new agenda and minutes)."""

    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    body = forms.ModelChoiceField(
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        empty_label=None,
        label="Board",
    )
    q = forms.CharField(
        label="Only records matching this search (optional)",
        required=False,
        max_length=200,
        help_text="Leave it empty to hear of every new agenda and minutes. With words, you hear "
        "only of newly published agenda items, papers and minutes that the search finds.",
    )

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].replace("\x00", "").split())
        problem = search_backend.notice(query)
        if problem:
            raise forms.ValidationError(problem)
        return query


def subscribe(request: HttpRequest) -> HttpResponse:
    """GET: the form (?body= and ?q= fill it in, from a board's page or a search). POST: ask
    for the alert and answer "check your e-mail" whether or not the address already has it,
    and whether or not this hour's allowance is used up (then nothing is sent)."""
    if request.method == "POST":
        form = AlertForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            allowance = settings.ALERT_REQUESTS_PER_HOUR
            by_client = throttle.spend(f"alerts:ip:{throttle.client_of(request)}", allowance)
            by_email = throttle.spend(f"alerts:email:{throttle.address_key(email)}", allowance)
            if by_client and by_email:
                alerts.request_alert(
                    email=email,
                    body=form.cleaned_data["body"],
                    query=form.cleaned_data["q"],
                    base_url=request.build_absolute_uri("/"),
                )
            return redirect("public:alert-sent")
        status = 200  # the form again, with what was typed and what is wrong
    else:
        form = AlertForm(initial={"body": request.GET.get("body"), "q": request.GET.get("q", "")})
        status = 200
    bodies = list(form.fields["body"].queryset)
    if len(bodies) == 1:
        form.fields["body"].widget = forms.HiddenInput()
        form.initial["body"] = bodies[0].slug
    chosen = next((b for b in bodies if b.slug == form["body"].value()), None)
    context = {"form": form, "body": chosen or (bodies[0] if len(bodies) == 1 else None)}
    return render(request, "public/alerts/subscribe.html", context, status=status)


def sent(request: HttpRequest) -> HttpResponse:
    """The same answer to every request: what happens next, and that nothing is sent before
    the reader confirms."""
    return render(request, "public/alerts/sent.html", {"days": alerts.CONFIRM_DAYS})


def _link_does_not_work(request: HttpRequest, what: str) -> HttpResponse:
    return render(
        request,
        "public/alerts/link_does_not_work.html",
        {"what": what, "days": alerts.CONFIRM_DAYS},
        status=404,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a Confirm button (a link opened by a mail scanner confirms nothing).
    POST: the alert starts."""
    subscription = alerts.confirmable(token)
    if subscription is None:
        return _link_does_not_work(request, "confirm")
    if request.method == "POST":
        alerts.confirm(subscription)
        unsubscribe_path = alerts.unsubscribe_url(subscription, "")
        context = {"subscription": subscription, "unsubscribe_path": unsubscribe_path}
        return render(request, "public/alerts/confirmed.html", context)
    return render(request, "public/alerts/confirm.html", {"subscription": subscription})


@csrf_exempt  # the signed token is the authority; a mail client's one-click POST has no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with an Unsubscribe button. POST: the alert and every e-mail kept for it
    are removed at once; a mail client's one-click POST (List-Unsubscribe=One-Click) gets a
    plain answer, the page's button the page that says so. Asked twice, the answer is the same."""
    key = alerts.unsubscribe_key(token)
    if key is None:
        return _link_does_not_work(request, "unsubscribe")
    if request.method == "POST":
        removed = alerts.unsubscribe(key)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
        return render(request, "public/alerts/unsubscribed.html", {"removed": removed})
    subscription = AlertSubscription.objects.select_related("body").filter(key=key).first()
    return render(request, "public/alerts/unsubscribe.html", {"subscription": subscription})


def privacy(request: HttpRequest) -> HttpResponse:
    """What the site keeps about the people who use it, why, for how long, and who sees it."""
    context = {
        "contact_email": settings.CONTACT_EMAIL,
        "days": alerts.CONFIRM_DAYS,
        "per_hour": settings.ALERT_REQUESTS_PER_HOUR,
    }
    return render(request, "public/privacy.html", context)
