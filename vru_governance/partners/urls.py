"""The partners' portal routes, under /partners/ in the public site's namespace ("public").

Included by vru_governance/public/urls.py by name, so that the public site never imports the
portal; the URL names (public:partners, public:partner-propose, …) are unchanged.
"""

from __future__ import annotations

from django.urls import path

from vru_governance.partners import notes, views

urlpatterns = [
    path("", views.dashboard, name="partners"),
    path("<slug:body_slug>/propose/", views.propose_item, name="partner-propose"),
    path(
        "<slug:body_slug>/actions/<slug:meeting_key>/<slug:action_key>/",
        views.update_action,
        name="partner-action-update",
    ),
    path("interests/", views.add_interest, name="partner-interest-add"),
    path(
        "<slug:body_slug>/declaration-round/<int:pk>/confirm/",
        views.confirm_register,
        name="partner-register-confirm",
    ),
    path("interests/<int:pk>/", views.edit_interest, name="partner-interest-edit"),
    path("notes/", notes.my_notes, name="partner-notes"),
    path("notes/export.<str:fmt>", notes.export_notes, name="partner-notes-export"),
    path("notes/delete-all/", notes.delete_all_notes, name="partner-notes-delete-all"),
    path(
        "<slug:body_slug>/notes/<slug:meeting_key>/<str:item>/<slug:key>/",
        notes.edit_note,
        name="partner-note",
    ),
    path(
        "<slug:body_slug>/notes/<slug:meeting_key>/<str:item>/<slug:key>/delete/",
        notes.delete_note,
        name="partner-note-delete",
    ),
]
