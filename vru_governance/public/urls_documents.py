"""Documents of a meeting: /<body>/meetings/<key>/agenda.pdf and friends, and the HTML minutes."""

from __future__ import annotations

from django.urls import path

from vru_governance.public import documents as views

app_name = "reports"

MEETING = "<slug:body_slug>/meetings/<slug:key>/"

urlpatterns = [
    path(MEETING + "agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path(MEETING + "pack.pdf", views.pack_pdf, name="pack_pdf"),
    path(MEETING + "partners-pack.pdf", views.partners_pack_pdf, name="partners_pack_pdf"),
    path(MEETING + "partners-agenda.pdf", views.partners_agenda_pdf, name="partners_agenda_pdf"),
    path(MEETING + "chairs-brief.pdf", views.chair_brief_pdf, name="chair_brief_pdf"),
    path(MEETING + "minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(MEETING + "actions-arising.pdf", views.actions_arising_pdf, name="actions_arising_pdf"),
    path(MEETING + "minutes/", views.minutes_page, name="minutes_page"),
    path(MEETING + "papers/<slug:paper_key>.pdf", views.paper_pdf, name="paper_pdf"),
    path(MEETING + "papers/<slug:paper_key>/", views.paper_page, name="paper_page"),
    path(
        MEETING + "documents/<int:version>/<slug:kind>.pdf",
        views.stored_document,
        name="stored_document",
    ),
]
