"""URL routes of VRU Governance (see docs/architecture.md for the map)."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from vru_governance import views
from vru_governance.accounts import password_reset
from vru_governance.accounts import views as accounts
from vru_governance.page_cache import public_page
from vru_governance.public import site_files

admin.site.site_header = "VRU Governance"
admin.site.site_title = "VRU Governance"

urlpatterns = [
    path("health/", views.health, name="health"),
    # For crawlers and security researchers (vru_governance/public/site_files.py).
    path("robots.txt", site_files.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": site_files.SITEMAPS},
        name="sitemap",
    ),
    path(".well-known/security.txt", site_files.security_txt, name="security-txt"),
    path("admin/", admin.site.urls),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/login/code/", accounts.sign_in_code, name="login-code"),
    path("accounts/security/", accounts.security, name="account-security"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    # Password reset by e-mail (vru_governance/accounts/password_reset.py).
    path(
        "accounts/password-reset/", password_reset.ResetRequestView.as_view(), name="password-reset"
    ),
    path(
        "accounts/password-reset/sent/",
        password_reset.ResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        password_reset.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        password_reset.ResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("", include("vru_governance.public.urls_documents")),
    path("manage/", include("vru_governance.workspace.urls")),
    # Public routes come last: they start with a body's slug.
    path("", include("vru_governance.public.urls")),
]

# Error pages in the site's chrome, and problem+json for the API (vru_governance/errors.py).
handler400 = "vru_governance.errors.bad_request"
handler404 = "vru_governance.errors.page_not_found"
handler500 = "vru_governance.errors.server_error"
