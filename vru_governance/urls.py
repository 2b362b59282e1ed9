"""URL routes of VRU Governance (see docs/architecture.md for the map)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "VRU Governance"
admin.site.site_title = "VRU Governance"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("reports.urls")),
    path("manage/", include("vru_governance.urls_workspace")),
    # Public routes come last: they start with a body's slug.
    path("", include("vru_governance.urls_public")),
]
