"""Django's admin, signed into only through the site's own sign-in (django-axes, then the code
step for users with an authenticator), and refused to sessions that still need that step."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from vru_governance.accounts import second_factor
from vru_governance.accounts.views import safe_next, second_step_redirect


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor.step_needed(request) is None

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """No password form of its own: the admin's own would sign in with the password alone."""
        next_url = safe_next(request, default=reverse("admin:index", current_app=self.name))
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, reverse("login"), REDIRECT_FIELD_NAME)
        step = second_step_redirect(request, next_url)
        if step is not None:
            return step
        if self.has_permission(request):
            return redirect(next_url)
        raise PermissionDenied("This account may not use the admin.")
