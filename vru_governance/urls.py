"""URL routes of VRU Governance."""

from django.contrib import admin
from django.urls import path

admin.site.site_header = "VRU Governance"
admin.site.site_title = "VRU Governance"

urlpatterns = [
    path("admin/", admin.site.urls),
]
