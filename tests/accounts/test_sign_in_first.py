"""Signing in comes before the method: every URL of the workspace (/manage/) and of the
partners' portal (/partners/) sends a signed-out reader to sign in, whatever the method, and
only then does a POST-only endpoint answer 405 to a GET (vru_governance.workspace.base
.workspace_post_view; the partners' views put login_required outside require_POST).

The walk covers every URL pattern, so a view added later with require_POST outside the sign-in
check fails here. Its POSTs carry the CSRF token the site's pages give a browser, as a
signed-out browser's would (a session that lapsed while a form was open).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.models import ForwardPlanItem
from tests.world import DemoWorld

METHODS = ("get", "head", "options", "post", "put", "patch", "delete")
PREFIXES = ("manage/", "partners/")
# A value of each converter's kind; the sign-in check comes before any record is looked up.
VALUES = {"int": "1", "slug": "no-such-thing", "str": "no-such-thing", "path": "no/such"}
PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def routes(patterns: list, prefix: str = "") -> Iterator[str]:
    """Every URL pattern's full route ("manage/<slug:body>/forward-plan/<int:pk>/place/")."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def signed_in_only_urls() -> dict[str, str]:
    """The URL to request for each route under /manage/ and /partners/."""
    return {
        route: "/" + PLACEHOLDER.sub(lambda m: VALUES[m["converter"] or "str"], route)
        for route in routes(get_resolver().url_patterns)
        if route.startswith(PREFIXES)
    }


class SignedOutTests(TestCase):
    def test_the_walk_finds_the_workspace_and_the_portal_with_their_post_only_endpoints(
        self,
    ) -> None:
        found = signed_in_only_urls()
        names = {resolve(url).view_name for url in found.values()}
        assert len(found) >= 50 and len(names) == len(found)  # each URL reaches its own view
        assert {n for n in names if not n.startswith("workspace:")} == {
            "public:partners",
            "public:partner-propose",
            "public:partner-action-update",
            "public:partner-interest-add",
            "public:partner-interest-edit",
            "public:partner-register-confirm",
            "public:partner-notes",
            "public:partner-notes-export",
            "public:partner-notes-delete-all",
            "public:partner-note",
            "public:partner-note-delete",
        }
        for route in (
            "manage/",
            "manage/<slug:body>/forward-plan/<int:pk>/place/",
            "manage/<slug:body>/meetings/<slug:key>/minutes/<str:step>/",
            "manage/<slug:body>/terms/<slug:version>/endorse/",
            "partners/",
            "partners/<slug:body_slug>/propose/",
            "partners/interests/<int:pk>/",
            "partners/notes/delete-all/",
            "partners/<slug:body_slug>/declaration-round/<int:pk>/confirm/",
            "manage/<slug:body>/meetings/<slug:key>/publish/mail/try-again/",
            "manage/<slug:body>/meetings/<slug:key>/minutes/items/<str:number>/decision/correct/",
        ):
            assert route in found, route

    def test_every_method_on_every_url_sends_a_signed_out_reader_to_sign_in(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.get("/accounts/login/")  # the page sets the CSRF cookie, as for a browser
        token = client.cookies["csrftoken"].value
        wrong = []
        for route, url in signed_in_only_urls().items():
            for method in METHODS:
                send = getattr(client, method)
                if method in ("get", "head", "options"):
                    response = send(url)
                else:
                    response = send(url, {"csrfmiddlewaretoken": token}, HTTP_X_CSRFTOKEN=token)
                location = response.get("Location", "")
                if response.status_code != 302 or not location.startswith("/accounts/login/?"):
                    wrong.append(f"{method.upper()} {url} ({route}): {response.status_code}")
        assert wrong == []


class SignedInTests(DemoWorld, TestCase):
    """Past sign-in, the method is checked after the second factor and the access check."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.plan = ForwardPlanItem.objects.create(body=cls.body, title="Knife crime update")

    def place_url(self) -> str:
        return f"/manage/prg/forward-plan/{self.plan.pk}/place/"

    def test_a_get_of_a_post_only_endpoint_is_405_for_the_secretary_only(self) -> None:
        assert self.client_for(self.secretary).get(self.place_url()).status_code == 405
        assert self.client_for(self.partner).get(self.place_url()).status_code == 403
        assert self.client_for(self.other_secretary).get(self.place_url()).status_code == 404
        # The partners' portal: signed in, any reader gets 405 for a GET of a POST-only URL.
        assert self.client_for(self.partner).get("/partners/prg/propose/").status_code == 405

    def test_a_session_without_its_code_is_sent_to_the_code_step_before_the_method(
        self,
    ) -> None:
        secretary: User = self.secretary
        TOTPDevice.objects.create(user=secretary, name="Authenticator app", confirmed=True)
        response = self.client_for(secretary).get(self.place_url())
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/code/")
