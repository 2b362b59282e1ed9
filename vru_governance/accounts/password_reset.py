"""Password reset by e-mail: Django's views with the site's templates, throttled per client
address and per e-mail address. The answer is the same whether or not the address belongs to
an account, so the form cannot be used to find out who has one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy

from vru_governance import throttle


def allowed(*, client: str, email: str) -> bool:
    """Whether another reset e-mail may go out for this client address and e-mail address."""
    allowance = settings.PASSWORD_RESET_PER_HOUR
    by_client = throttle.spend(f"password-reset:ip:{client}", allowance)
    by_email = throttle.spend(f"password-reset:email:{throttle.address_key(email)}", allowance)
    return by_client and by_email


class ResetForm(PasswordResetForm):
    """Django's form, also finding a partner by the address on their person record (where
    the secretariat keeps partners' addresses), and writing to the address typed, which is
    theirs."""

    def get_users(self, email: str) -> Iterator[User]:
        address = Q(email__iexact=email) | Q(person__email__iexact=email)
        for user in User.objects.filter(address, is_active=True).distinct():
            if user.has_usable_password():
                yield user

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        subject, body, context, from_email, _to, *rest = args
        super().send_mail(
            subject, body, context, from_email, self.cleaned_data["email"], *rest, **kwargs
        )


class ResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link. Past the hourly allowance no e-mail is sent, but the answer is
    the same "check your e-mail" page, so a flood learns nothing and sends nothing."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = ResetForm
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = throttle.client_of(self.request)
        if not allowed(client=client, email=form.cleaned_data["email"]):
            return redirect(self.success_url)
        return super().form_valid(form)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "contact_email": settings.CONTACT_EMAIL}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # A partner who forgot their password has often used up their sign-in attempts: the
        # new password, chosen through their own mailbox, works at once.
        axes_reset(username=form.user.get_username())
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
