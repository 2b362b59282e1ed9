"""Public site, partners' portal and open-data API routes (namespace "public").

Fixed prefixes come first: everything after them starts with a body's slug, so no body
may be called search, partners, api, accessibility, alerts, privacy, admin, accounts or
manage.
"""

from __future__ import annotations

from django.urls import include, path

from vru_governance.page_cache import public_page
from vru_governance.public import annual, decisions, feeds, registers
from vru_governance.public import meetings as meetings_public
from vru_governance.public import members as members_public
from vru_governance.public.api import annual as annual_api
from vru_governance.public.api import bodies as members_api
from vru_governance.public.api import decisions as decisions_api
from vru_governance.public.api import declarations as declarations_api
from vru_governance.public.api import meetings as meetings_api

app_name = "public"

# The pages anyone may read are served from the shared page cache to readers who are not
# signed in (vru_governance/page_cache.py); the partners' pages never are.

urlpatterns = [
    path("", public_page(members_public.home), name="home"),
    path("accessibility/", public_page(members_public.accessibility), name="accessibility"),
    path("search/", public_page(meetings_public.search), name="search"),
    # E-mail alerts and the privacy notice: vru_governance/public/urls_alerts.py.
    path("", include("vru_governance.public.urls_alerts")),
    # Partners' portal (signed in): vru_governance/partners/urls.py.
    path("partners/", include("vru_governance.partners.urls")),
    # Open data.
    path("api/", public_page(meetings_api.index), name="api"),
    path("api/openapi.json", public_page(meetings_api.openapi), name="api-openapi"),
    path("api/bodies/", public_page(members_api.bodies), name="api-bodies"),
    path("api/bodies/<slug:body_slug>/", public_page(members_api.body), name="api-body"),
    path(
        "api/bodies/<slug:body_slug>/meetings/",
        public_page(meetings_api.meetings),
        name="api-meetings",
    ),
    path(
        "api/bodies/<slug:body_slug>/decisions/",
        public_page(decisions_api.decisions),
        name="api-decisions",
    ),
    path(
        "api/bodies/<slug:body_slug>/declaration-rounds/",
        public_page(declarations_api.declaration_rounds),
        name="api-declaration-rounds",
    ),
    path(
        "api/bodies/<slug:body_slug>/annual/<int:year>/",
        public_page(annual_api.annual),
        name="api-annual",
    ),
    path(
        "api/bodies/<slug:body_slug>/meetings/<slug:key>/",
        public_page(meetings_api.meeting),
        name="api-meeting",
    ),
    # A body's pages.
    path("<slug:body_slug>/", public_page(members_public.body_home), name="body"),
    path("<slug:body_slug>/meetings/", public_page(meetings_public.meeting_list), name="meetings"),
    path("<slug:body_slug>/decisions/", public_page(decisions.decisions_page), name="decisions"),
    path(
        "<slug:body_slug>/decisions.atom",
        public_page(decisions.DecisionsFeed()),
        name="decisions-atom",
    ),
    path("<slug:body_slug>/annual/<int:year>/", public_page(annual.annual_page), name="annual"),
    path("<slug:body_slug>/attendance/", public_page(registers.attendance), name="attendance"),
    path("<slug:body_slug>/interests/", public_page(registers.interests), name="interests"),
    path("<slug:body_slug>/forward-plan/", public_page(registers.plan), name="forward-plan"),
    path("<slug:body_slug>/actions/", public_page(registers.actions), name="actions"),
    path("<slug:body_slug>/contact/", public_page(registers.contact), name="contact"),
    path(
        "<slug:body_slug>/annual/<int:year>/annual-report.pdf",
        annual.annual_pdf,
        name="annual-pdf",
    ),
    path("<slug:body_slug>/meetings.ics", public_page(feeds.ical), name="ical"),
    path("<slug:body_slug>/feed.atom", public_page(feeds.DocumentsFeed()), name="atom"),
    path(
        "<slug:body_slug>/meetings/<slug:key>/",
        public_page(meetings_public.meeting_detail),
        name="meeting",
    ),
    path(
        "<slug:body_slug>/meetings/<slug:key>/meeting.ics",
        public_page(feeds.meeting_ical),
        name="meeting-ical",
    ),
    path("<slug:body_slug>/members/", public_page(members_public.member_list), name="members"),
    path(
        "<slug:body_slug>/members/<slug:person_key>/",
        public_page(members_public.member_detail),
        name="member",
    ),
    path("<slug:body_slug>/terms/", public_page(members_public.terms_list), name="terms"),
    path(
        "<slug:body_slug>/terms/<slug:version>/",
        public_page(members_public.terms_detail),
        name="terms-version",
    ),
]
