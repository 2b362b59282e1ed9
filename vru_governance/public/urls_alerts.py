"""E-mail alerts for the public and the privacy notice (vru_governance/public/alerts.py),
included in the public site's namespace ("public")."""

from __future__ import annotations

from django.urls import path

from vru_governance.page_cache import public_page
from vru_governance.public import alerts

urlpatterns = [
    path("alerts/", alerts.subscribe, name="alerts"),
    path("alerts/sent/", alerts.sent, name="alert-sent"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert-unsubscribe"),
    path("privacy/", public_page(alerts.privacy), name="privacy"),
]
