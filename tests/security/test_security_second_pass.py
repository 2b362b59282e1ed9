"""The second security pass (issue 17): the second factor on every page that shows more than
the public sees, and the sessions it ends; exempt papers that a 403 would confirm; typed HTML
that swallowed text; search marks that stored text could forge; small leaks (caching, the
API's status, a draft meeting's date, a save without a version); robots.txt, sitemap.xml and
security.txt. The hostile PDFs are tests/security/test_hostile_pdfs.py; the column "signed in,
second factor not given" of the permission matrix is tests/security/permissions_rows.py."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.test import Client, TestCase, override_settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import ActionUpdate
from meetings.models import ForwardPlanItem
from reports.markdown import render_markdown
from tests.accounts.test_otp import code
from tests.public_world import (
    CIRCULATED_MINUTES,
    PASSWORD,
    SECRET_DRAFT_AGENDA,
    UPCOMING_EXEMPT,
    WorldMixin,
)
from vru_governance.public.search.hits import markers
from vru_governance.public.search.query import parse
from vru_governance.public.search.ranking import RankedSearch

CODE_STEP = "/accounts/login/code/"
SECURITY = "/accounts/security/"
M = "/prg/meetings"


class SecondPassTests(WorldMixin, TestCase):
    def enrol(self, user: object) -> TOTPDevice:
        """An authenticator set up elsewhere: this test's sessions never gave its code."""
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    def signed_in(self, user: object) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def verified(self, user: object, device: TOTPDevice, ahead: int = 0) -> Client:
        client = self.signed_in(user)
        response = client.post(CODE_STEP, {"code": code(device, ahead)})
        assert response.status_code == 302, response.content.decode()[:300]
        return client

    def assert_signed_out(self, client: Client) -> None:
        response = client.get("/partners/")
        assert response["Location"].startswith("/accounts/login/?next=")
        assert "_auth_user_id" not in client.session

    # 1. The second factor on every page that shows more than the public sees --------------

    def test_a_session_signed_in_before_enrolling_sees_only_what_the_public_sees(self) -> None:
        w = self.world
        client = self.signed_in(w.partner_a)
        assert UPCOMING_EXEMPT in client.get(f"{M}/{w.upcoming.key}/").content.decode()
        self.enrol(w.partner_a)

        page = client.get(f"{M}/{w.upcoming.key}/").content.decode()
        assert UPCOMING_EXEMPT not in page
        for url in (
            f"{M}/{w.upcoming.key}/papers/commissioning.pdf",
            f"{M}/{w.upcoming.key}/partners-pack.pdf",
            f"{M}/{w.circulated.key}/minutes/",
            f"{M}/{w.circulated.key}/minutes.pdf",
        ):
            assert client.get(url).status_code == 404, url
        response = client.get("/partners/")
        assert response.status_code == 302
        assert response["Location"].startswith(f"{CODE_STEP}?next=")

    def test_the_code_step_gives_the_session_back_what_the_partner_may_see(self) -> None:
        w = self.world
        client = self.verified(w.partner_a, self.enrol(w.partner_a))
        assert UPCOMING_EXEMPT in client.get(f"{M}/{w.upcoming.key}/").content.decode()
        assert CIRCULATED_MINUTES in client.get(f"{M}/{w.circulated.key}/minutes/").content.decode()
        assert client.get("/partners/").status_code == 200

    @override_settings(OTP_REQUIRED_FOR_SECRETARIAT=True)
    def test_a_password_only_secretary_sees_only_the_public_site_when_a_code_is_required(
        self,
    ) -> None:
        w = self.world
        client = self.signed_in(w.secretary_a)
        assert client.get(f"{M}/{w.draft.key}/").status_code == 404
        assert client.get(f"{M}/{w.draft.key}/agenda.pdf").status_code == 404
        assert SECRET_DRAFT_AGENDA not in client.get(f"{M}/").content.decode()
        response = client.get("/manage/prg/")
        assert response["Location"].startswith(f"{SECURITY}?next=")

    def test_enrolling_ends_the_users_other_sessions_and_keeps_this_one(self) -> None:
        partner = self.world.partner_a
        elsewhere = self.signed_in(partner)
        here = self.signed_in(partner)
        old_key = here.session.session_key
        here.get(SECURITY)  # the secret to add to the app
        device = TOTPDevice.objects.get(user=partner)
        response = here.post(
            SECURITY, {"action": "confirm", "password": PASSWORD, "code": code(device)}
        )
        assert "Two-step sign-in is on." in response.content.decode()
        self.assert_signed_out(elsewhere)
        assert here.session.session_key != old_key  # a new key for the enrolled session
        assert here.get("/partners/").status_code == 200

    def test_removing_the_authenticator_ends_the_users_other_sessions(self) -> None:
        partner = self.world.partner_a
        device = self.enrol(partner)
        elsewhere = self.signed_in(partner)
        session = elsewhere.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # verified there too
        session.save()
        assert elsewhere.get("/partners/").status_code == 200
        here = self.verified(partner, device)
        response = here.post(SECURITY, {"action": "remove", "code": code(device, ahead=1)})
        assert response.status_code == 302
        self.assert_signed_out(elsewhere)
        assert here.get("/partners/").status_code == 200

    def test_changing_the_password_ends_the_users_other_sessions(self) -> None:
        partner = self.world.partner_a
        elsewhere = self.signed_in(partner)
        partner.set_password("a new password for the second pass")
        partner.save()
        self.assert_signed_out(elsewhere)

    # 3. An exempt paper answers as a missing one ------------------------------------------

    def test_a_signed_in_reader_cannot_tell_an_exempt_paper_from_a_missing_one(self) -> None:
        w = self.world
        client = self.signed_in(w.partner_b)  # a partner of another board
        exempt = client.get(f"{M}/{w.upcoming.key}/papers/commissioning.pdf")
        missing = client.get(f"{M}/{w.upcoming.key}/papers/no-such-paper.pdf")
        assert exempt.status_code == missing.status_code == 404

        # The same page (but for the CSP nonce and the CSRF token, new on every answer).
        def page(response: object) -> str:
            text = re.sub(r'nonce="[^"]*"', "", response.content.decode())
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

        assert page(exempt) == page(missing)
        assert UPCOMING_EXEMPT not in page(exempt)

    # 4. Typed HTML is shown as text, and nothing after it is lost -------------------------

    def test_text_after_a_literal_style_or_script_tag_is_kept_as_text(self) -> None:
        for tag in ("style", "script"):
            html = render_markdown(f"Use the <{tag}> guide.\n\nThen **this** stays.")
            assert f"&lt;{tag}&gt; guide." in html, tag
            assert "<strong>this</strong> stays." in html, tag
            assert f"<{tag}" not in html, tag

    def test_raw_text_tags_leave_no_literal_closing_paragraph(self) -> None:
        for tag in ("textarea", "xmp", "noscript", "iframe", "plaintext", "title"):
            html = render_markdown(f"Before <{tag}> after.\n\nNext paragraph.")
            assert "&lt;/p&gt;" not in html, tag
            assert html == (f"<p>Before &lt;{tag}&gt; after.</p>\n<p>Next paragraph.</p>"), tag

    # 5. Search marks that stored text cannot forge ----------------------------------------

    def test_private_use_characters_in_stored_text_never_become_marks(self) -> None:
        search = RankedSearch(parse("crime"))
        headline = f"\ue001Knife \ue000{search.start}crime{search.stop}\ue001 fell\ue000"
        snippet = search.snippet(headline)
        assert snippet.count("<mark>") == snippet.count("</mark>") == 1
        assert "<mark>crime</mark>" in snippet

    def test_each_search_has_markers_of_its_own(self) -> None:
        first, second = markers(), markers()
        assert first != second and first[0] != first[1]
        assert all(re.fullmatch(r"[a-z0-9]+", m) for m in (*first, *second))

    # 6. Small leaks -----------------------------------------------------------------------

    def test_pages_made_for_a_signed_in_reader_are_private(self) -> None:
        w = self.world
        client = self.signed_in(w.partner_a)
        page = client.get(f"{M}/{w.upcoming.key}/")
        assert UPCOMING_EXEMPT in page.content.decode()
        assert "private" in page["Cache-Control"]
        assert "private" in client.get("/partners/")["Cache-Control"]
        # The public's copy of the same page may be kept by any cache.
        assert "private" not in Client().get(f"{M}/{w.upcoming.key}/").get("Cache-Control", "")

    def test_the_api_says_held_until_the_minutes_are_published(self) -> None:
        w = self.world
        for meeting in (w.held, w.circulated, w.approved):
            url = f"/api/bodies/prg/meetings/{meeting.key}/"
            data = json.loads(Client().get(url).content)
            assert data["meeting"]["status"] == "held", meeting.status
        listed = json.loads(Client().get("/api/bodies/prg/meetings/").content)
        statuses = {m["status"] for m in listed["meetings"]}
        assert statuses <= {"agenda_published", "held", "minutes_published"}
        assert "minutes_published" in statuses

    def test_a_partners_dashboard_never_dates_a_draft_meeting_of_their_proposal(self) -> None:
        w = self.world
        draft_item = w.draft.items.get(number="8")
        ForwardPlanItem.objects.create(
            body=w.body_a, title="Placed proposal", proposed_by=w.person_a, placed_item=draft_item
        )
        ForwardPlanItem.objects.create(
            body=w.body_a, title="Targeted proposal", proposed_by=w.person_a, target_meeting=w.draft
        )
        page = self.signed_in(w.partner_a).get("/partners/").content.decode()
        assert "Placed proposal — placed on a coming agenda" in page
        assert "Targeted proposal — proposed" in page
        assert date_format(w.draft.date, "j F Y") not in page

    def test_a_post_without_a_version_is_refused_as_out_of_date(self) -> None:
        w = self.world
        action = w.circulated_action
        prefix = f"action-{action.pk}"
        url = f"/partners/prg/actions/{w.circulated.key}/{action.key}/"
        client = self.signed_in(w.partner_a)
        data = {f"{prefix}-status": "complete", f"{prefix}-note": "Done."}
        response = client.post(url, data)
        assert response.status_code == 409
        assert "Someone else" in response.content.decode()
        assert not ActionUpdate.objects.filter(action=action).exists()
        response = client.post(url, {**data, f"{prefix}-version": str(action.version)})
        assert response.status_code == 302
        assert ActionUpdate.objects.filter(action=action).count() == 1

    # 7. robots.txt, sitemap.xml, security.txt ---------------------------------------------

    def test_robots_txt_keeps_crawlers_to_the_public_site_and_lists_the_sitemap(self) -> None:
        text = Client().get("/robots.txt").content.decode()
        for path in ("/manage/", "/partners/", "/admin/", "/accounts/"):
            assert f"Disallow: {path}\n" in text
        assert "Sitemap: http://testserver/sitemap.xml" in text

    def test_the_sitemap_lists_public_pages_only(self) -> None:
        w = self.world
        response = Client().get("/sitemap.xml")
        assert response.status_code == 200
        xml = response.content.decode()
        assert f"<loc>http://testserver{M}/{w.published.key}/</loc>" in xml
        assert f"<loc>http://testserver{M}/2019-03-06/minutes/</loc>" in xml
        assert "<loc>http://testserver/prg/terms/</loc>" in xml
        assert f"{M}/{w.draft.key}/" not in xml
        assert f"{M}/{w.circulated.key}/minutes/" not in xml
        for path in ("/manage/", "/partners/", "/admin/", "/accounts/"):
            assert path not in xml

    @override_settings(SECURITY_CONTACT="security@example.org")
    def test_security_txt_gives_the_contact_from_settings_and_an_expiry_within_a_year(
        self,
    ) -> None:
        response = Client().get("/.well-known/security.txt")
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        fields = dict(
            line.split(": ", 1) for line in response.content.decode().splitlines() if line
        )
        assert fields["Contact"] == "mailto:security@example.org"
        expires = dt.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.UTC
        )
        assert timezone.now() < expires < timezone.now() + dt.timedelta(days=365)
        assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
