"""Signing in (password, then a code for users with an authenticator) and the account security
page where a user sets up or removes their authenticator and makes new backup codes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice

from vru_governance.accounts import backup_codes, second_factor
from vru_governance.accounts.forms import CodeOrBackupForm, EnrolForm, PasswordForm

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

    def get_default_redirect_url(self) -> str:
        """Without a `next` page: the workspace for the secretariat, else the partners'
        dashboard (a partner signing in from the home page came to see it)."""
        user = self.request.user if self.request.user.is_authenticated else None
        user = user or getattr(self, "signing_in", None)
        if user is not None and second_factor.is_secretariat(user):
            return reverse("workspace:index")
        return reverse("public:partners")

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        self.signing_in = user
        if second_factor.confirmed_device(user) is None:
            second_factor.drop_pending(self.request)
            return super().form_valid(form)
        second_factor.hold_sign_in(self.request, user)
        return redirect(with_next("login-code", self.get_success_url()))


class SignOutView(LogoutView):
    """Django's sign-out (POST only), landing on the site's home page with a message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # After logout() the session is new and empty: the message is kept for the next page.
        messages.success(request, "You are signed out.")
        return response


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: a current code from the user's authenticator app, or a backup code
    (`backup=1` asks for one; either kind is accepted in both forms)."""
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
    backup = (request.POST if request.method == "POST" else request.GET).get("backup") == "1"
    form = CodeOrBackupForm(request.POST or None, backup=backup)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if pending is None:
                device = second_factor.verify_session(request, code)
            else:
                device = second_factor.complete_sign_in(request, pending[0], pending[1], code)
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            if isinstance(device, StaticDevice):
                report_codes_left(request, user)
            return redirect(next_url)
    switch = {"next": next_url} if backup else {"next": next_url, "backup": "1"}
    context = {
        "form": form,
        "next": next_url,
        "signing_in": user,
        "backup": backup,
        "switch_url": f"{reverse('login-code')}?{urlencode(switch)}",
    }
    return render(request, "registration/login_code.html", context)


def report_codes_left(request: HttpRequest, user: User) -> None:
    """After a backup code: it is spent, how many are left, and a warning when few are."""
    left = backup_codes.remaining(user)
    used = "You signed in with a backup code; it will not work again."
    if left == 0:
        messages.warning(
            request,
            f"{used} It was your last one: make new backup codes on Account security now.",
        )
    elif left <= backup_codes.LOW:
        codes = "backup code is" if left == 1 else "backup codes are"
        messages.warning(
            request, f"{used} Only {left} {codes} left: make new ones on Account security."
        )
    else:
        messages.info(request, f"{used} You have {left} backup codes left.")


def show_codes(request: HttpRequest, codes: list[str], continue_url: str) -> HttpResponse:
    """The new backup codes, in the answer to the form that made them: they are never stored
    in the clear, not even in the session, so this page is the only time they are seen."""
    context = {
        "codes": codes,
        "continue_url": continue_url,
        "base_template": (
            "workspace/base.html"
            if second_factor.is_secretariat(request.user)
            else "public/_layout.html"
        ),
    }
    return render(request, "accounts/backup_codes.html", context)


@login_required
@sensitive_post_parameters("code", "password")
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator (QR code or secret, then a first code), make new backup codes
    (the password again), or remove the authenticator (a code)."""
    user = request.user
    device = second_factor.confirmed_device(user)
    next_url = safe_next(request, default="")
    here = with_next("account-security", next_url) if next_url else reverse("account-security")
    if device is not None and not user.is_verified():
        # A session that never gave a code (signed in before the authenticator was set up)
        # must not take new backup codes: they would stand in for the phone it lacks.
        return redirect(with_next("login-code", here))
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None:
        if action not in ({"remove", "new-codes"} if device else {"confirm", "new-secret"}):
            messages.error(request, OUT_OF_DATE)
            return redirect(here)
        if action == "new-secret":
            second_factor.new_secret(user)
            messages.info(request, "Here is a new secret. Add it to your app again.")
            return redirect(here)
    data = request.POST if action in {"confirm", "remove"} else None
    form = CodeOrBackupForm(data) if device else EnrolForm(data, user=user, request=request)
    form.fields["code"].widget.attrs.pop("autofocus", None)
    codes_form = PasswordForm(
        request.POST if action == "new-codes" else None, user=user, request=request
    )
    if action == "new-codes" and codes_form.is_valid():
        codes = backup_codes.replace(user)
        messages.success(request, "Here are your new backup codes. The old ones no longer work.")
        return show_codes(request, codes, here)
    if data is not None and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if action == "confirm":
                candidate = second_factor.candidate_device(user)
                codes = second_factor.confirm_device(request, candidate, code)
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
                return show_codes(request, codes, next_url or reverse("account-security"))
            messages.success(
                request,
                "Two-step sign-in is off: you sign in with your password alone. "
                "Your backup codes were deleted too.",
            )
            return redirect(here)
    secretariat = second_factor.is_secretariat(user)
    context = {
        "device": device,
        "secret": None if device else second_factor.secret_of(second_factor.candidate_device(user)),
        "form": form,
        "codes_form": codes_form,
        "codes_left": backup_codes.remaining(user) if device else None,
        "codes_low": backup_codes.LOW,
        "next": next_url,
        "required": secretariat and settings.OTP_REQUIRED_FOR_SECRETARIAT,
        "base_template": "workspace/base.html" if secretariat else "public/_layout.html",
    }
    return render(request, "accounts/security.html", context)
