"""Signing in (password, then a code for users with an authenticator) and the account security
page where a user sets up or removes their authenticator."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from members import second_factor
from members.forms_accounts import CodeForm, EnrolForm

ENROL_FIRST = (
    "Your account needs two-step sign-in before you can use the workspace. "
    "Set up an authenticator app below."
)
OUT_OF_DATE = "The page was out of date, so nothing was changed. Please try again."


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` address if it is on this site, else the default (the home page)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL) if default is None else default


def with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def second_step_redirect(request: HttpRequest, next_url: str | None = None) -> HttpResponse | None:
    """Send a signed-in user to the code step or to enrolment if the workspace (or the admin)
    needs it first; None when they may go on."""
    step = second_factor.step_needed(request)
    if step is None:
        return None
    next_url = next_url or request.get_full_path()
    if step == "enrol":
        messages.info(request, ENROL_FIRST)
        return redirect(with_next("account-security", next_url))
    return redirect(with_next("login-code", next_url))


class SignInView(LoginView):
    """Django's sign-in, the password checked through django-axes; a user with an
    authenticator is not signed in until the code step."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if second_factor.confirmed_device(user) is None:
            second_factor.drop_pending(self.request)
            return super().form_valid(form)
        second_factor.hold_sign_in(self.request, user)
        return redirect(with_next("login-code", self.get_success_url()))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: a current code from the user's authenticator app."""
    next_url = safe_next(request)
    had_pending = second_factor.PENDING_SESSION_KEY in request.session
    pending = second_factor.pending_user(request)
    if pending is None:
        if not request.user.is_authenticated:
            if had_pending:
                messages.error(request, second_factor.EXPIRED)
            return redirect_to_login(next_url)
        if second_factor.step_needed(request) != "code":
            return redirect(next_url)
        user = request.user
    else:
        user = pending[0]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if pending is None:
                second_factor.verify_session(request, code)
            else:
                second_factor.complete_sign_in(request, pending[0], pending[1], code)
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            return redirect(next_url)
    context = {"form": form, "next": next_url, "signing_in": user}
    return render(request, "registration/login_code.html", context)


@login_required
@sensitive_post_parameters("code")
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator (QR code or secret, then a first code), or remove it."""
    user = request.user
    device = second_factor.confirmed_device(user)
    next_url = safe_next(request, default="")
    here = with_next("account-security", next_url) if next_url else reverse("account-security")
    data = request.POST if request.method == "POST" else None
    form = CodeForm(data) if device else EnrolForm(data, user=user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "new-secret" and device is None:
            second_factor.new_secret(user)
            messages.info(request, "Here is a new secret. Add it to your app again.")
            return redirect(here)
        if action not in {"confirm", "remove"} or (action == "remove") != (device is not None):
            messages.error(request, OUT_OF_DATE)
            return redirect(here)
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                if action == "confirm":
                    candidate = second_factor.candidate_device(user)
                    second_factor.confirm_device(request, candidate, code)
                else:
                    second_factor.remove_device(request, code)
            except ValidationError as exc:
                form.add_error("code", exc)
            else:
                if action == "confirm":
                    messages.success(
                        request,
                        "Two-step sign-in is on. From now on you will give a code from your app "
                        "after your password.",
                    )
                    return redirect(next_url or reverse("account-security"))
                messages.success(
                    request, "Two-step sign-in is off: you sign in with your password alone."
                )
                return redirect(here)
    secretariat = second_factor.is_secretariat(user)
    context = {
        "device": device,
        "secret": None if device else second_factor.secret_of(second_factor.candidate_device(user)),
        "form": form,
        "next": next_url,
        "required": secretariat and settings.OTP_REQUIRED_FOR_SECRETARIAT,
        "base_template": "workspace/base.html" if secretariat else "public/_layout.html",
    }
    return render(request, "accounts/security.html", context)
