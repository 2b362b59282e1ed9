"""A partner's account: signing in back to the page they were on, signing out onto the site,
a password reset by e-mail, the site's contact address, and the dashboard's refused forms."""

from __future__ import annotations

import re

from django.core import mail
from django.core.cache import cache
from django.test import TestCase, override_settings

from members.models import Interest
from tests.public_world import WorldMixin
from tests.world import PASSWORD

RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


class SignInAndOutTests(WorldMixin, TestCase):
    def sign_in(self, next_url: str | None = None) -> str:
        data = {"username": "partner", "password": PASSWORD}
        if next_url is not None:
            data["next"] = next_url
        response = self.client.post("/accounts/login/", data)
        assert response.status_code == 302
        return response["Location"]

    def test_the_sign_in_link_of_a_public_page_carries_the_page(self) -> None:
        page = self.page("/prg/members/")
        assert 'href="/accounts/login/?next=/prg/members/"' in page

    def test_signing_in_from_a_public_page_returns_to_it(self) -> None:
        assert self.sign_in("/prg/members/") == "/prg/members/"

    def test_signing_in_without_a_page_goes_to_the_partners_dashboard(self) -> None:
        assert self.sign_in() == "/partners/"

    def test_a_secretary_signing_in_without_a_page_goes_to_the_workspace(self) -> None:
        data = {"username": self.world.secretary_a.username, "password": PASSWORD}
        response = self.client.post("/accounts/login/", data)
        assert response["Location"] == "/manage/"

    def test_a_next_page_on_another_site_is_ignored(self) -> None:
        assert self.sign_in("https://evil.example/phish") == "/partners/"

    def test_signing_out_lands_on_the_sites_home_page_with_a_message(self) -> None:
        self.client.force_login(self.world.partner_a)
        response = self.client.post("/accounts/logout/", follow=True)
        assert response.redirect_chain == [("/", 302)]
        page = response.content.decode()
        assert "You are signed out." in page
        assert "Logged out" not in page and 'href="/accounts/login/"' in page


class PasswordResetTests(WorldMixin, TestCase):
    def setUp(self) -> None:
        cache.clear()  # the throttle's counts

    def ask(self, email: str) -> str:
        response = self.client.post("/accounts/password-reset/", {"email": email}, follow=True)
        assert response.redirect_chain == [("/accounts/password-reset/sent/", 302)]
        return response.content.decode()

    def test_a_partner_resets_their_password_through_the_link_in_the_email(self) -> None:
        # The partner's address is on their person record, as the secretariat keeps it.
        page = self.ask("JAKE@example.org")
        assert "Check your e-mail" in page
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["JAKE@example.org"]
        assert "Your username is partner." in mail.outbox[0].body
        link = RESET_LINK.search(mail.outbox[0].body).group(1)
        form_page = self.client.get(link, follow=True)
        assert "Choose a new password" in form_page.content.decode()
        new = "a-much-longer-new-passphrase"
        response = self.client.post(
            form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
        )
        assert response["Location"] == "/accounts/password-reset/done/"
        self.world.partner_a.refresh_from_db()
        assert self.world.partner_a.check_password(new)

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_a_new_password_from_the_email_lifts_a_sign_in_lockout(self) -> None:
        for _ in range(2):
            self.client.post("/accounts/login/", {"username": "partner", "password": "wrong"})
        locked = self.client.post("/accounts/login/", {"username": "partner", "password": PASSWORD})
        assert "Too many failed sign-ins" in locked.content.decode()
        assert 'href="/accounts/password-reset/"' in locked.content.decode()
        self.ask("jake@example.org")
        link = RESET_LINK.search(mail.outbox[0].body).group(1)
        form_url = self.client.get(link, follow=True).redirect_chain[-1][0]
        new = "a-much-longer-new-passphrase"
        self.client.post(form_url, {"new_password1": new, "new_password2": new})
        response = self.client.post("/accounts/login/", {"username": "partner", "password": new})
        assert response.status_code == 302 and response["Location"] == "/partners/"

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self) -> None:
        known = self.ask("jake@example.org")
        unknown = self.ask("nobody-here@example.org")
        assert len(mail.outbox) == 1
        assert known.replace("jake@", "") == unknown.replace("nobody-here@", "")

    @override_settings(PASSWORD_RESET_PER_HOUR=2)
    def test_requests_past_the_hourly_allowance_send_nothing_but_answer_the_same(self) -> None:
        for _ in range(4):
            assert "Check your e-mail" in self.ask("jake@example.org")
        assert len(mail.outbox) == 2

    def test_a_used_or_false_link_says_it_does_not_work(self) -> None:
        page = self.page("/accounts/password-reset/MQ/set-password/")
        assert "This link does not work" in page and "Ask for a new link" in page

    def test_the_sign_in_page_offers_the_reset_and_shows_errors_in_the_title(self) -> None:
        response = self.client.post("/accounts/login/", {"username": "partner", "password": "x"})
        page = response.content.decode()
        assert "<title>Error: Sign in" in page
        assert 'href="/accounts/password-reset/"' in page


class ContactAddressTests(WorldMixin, TestCase):
    @override_settings(CONTACT_EMAIL="governance@vru.example.gov.uk")
    def test_the_accessibility_statement_gives_the_sites_contact_address(self) -> None:
        page = self.page("/accessibility/")
        assert "mailto:governance@vru.example.gov.uk" in page
        assert "governance@localhost" not in page


class DashboardFormTests(WorldMixin, TestCase):
    def setUp(self) -> None:
        self.client.force_login(self.world.partner_a)

    def test_a_refused_interest_is_shown_at_the_dashboards_address_with_a_summary(self) -> None:
        page = self.page("/partners/")
        assert '<form method="post" action="/partners/#interests">' in page
        response = self.client.post(
            "/partners/",
            {
                "form": "interest",
                "interest-category": "other",
                "interest-description": "Trustee of a youth charity",
                "interest-registered_on": "2019-02-30",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert (
            "<title>Error: Partners&#x27; dashboard" in page
            or "<title>Error: Partners' dashboard" in page
        )
        assert 'id="error-summary"' in page and "Registered on: Enter a valid date." in page
        assert not Interest.objects.filter(description="Trustee of a youth charity").exists()

    def test_an_accepted_interest_posted_to_the_dashboard_is_saved(self) -> None:
        response = self.client.post(
            "/partners/",
            {
                "form": "interest",
                "interest-category": "other",
                "interest-description": "Trustee of a youth charity",
                "interest-registered_on": "2019-02-03",
            },
        )
        assert response["Location"] == "/partners/#interests"
        assert Interest.objects.filter(description="Trustee of a youth charity").exists()

    def test_the_action_note_says_before_posting_that_it_is_public(self) -> None:
        page = self.page("/partners/")
        assert "Note (public)" in page
        assert "published on the website and in its open data" in page
