"""URL routes of VRU Governance."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

admin.site.site_header = "VRU Governance"
admin.site.site_title = "VRU Governance"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
