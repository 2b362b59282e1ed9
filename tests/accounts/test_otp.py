"""The optional second factor: enrolling an authenticator, the code step at sign-in, the
workspace and the admin refused to unverified sessions, removal, and the required setting."""

from __future__ import annotations

import base64
import time
from base64 import b32encode
from urllib.parse import quote

from django.contrib.auth.models import User
from django.test import Client, TestCase, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import tests.workspace.test_workspace_access as workspace_access
from actions.models import Action
from meetings.models import ForwardPlanItem
from members.models import Appointment
from tests.site.test_settings import manage
from tests.world import DemoWorld
from vru_governance.accounts import second_factor

PASSWORD = "correct-horse-battery-1"
SECURITY = "/accounts/security/"
CODE_STEP = "/accounts/login/code/"


def code(device: TOTPDevice, ahead: int = 0) -> str:
    """The code the user's app shows now (or `ahead` time steps later), from the device's key.

    A device refuses a code at or before the last step it accepted, so a test that needs a
    second code asks for the next step (which the device's tolerance of one step accepts)."""
    device.refresh_from_db()
    token = totp(
        device.bin_key, device.step, device.t0 - ahead * device.step, device.digits, device.drift
    )
    return f"{token:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that no step within the device's tolerance accepts."""
    valid = {code(device, ahead) for ahead in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 7919)) if c not in valid)


class SecondFactorTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        for user in (cls.secretary, cls.partner):
            user.set_password(PASSWORD)
            user.save()
        cls.secretary.is_staff = True  # as the demo secretary, who also uses the admin
        cls.secretary.save()
        # What tests/workspace/test_workspace_access.py needs to list every workspace page.
        cls.action = Action.objects.filter(meeting__key="2019-03-06").first()
        cls.appointment = Appointment.objects.filter(body=cls.body).first()
        cls.plan = ForwardPlanItem.objects.create(body=cls.body, title="Knife crime update")

    def workspace_urls(self) -> list[str]:
        access = workspace_access.WorkspaceAccessTests
        return ["/manage/", "/manage/actions/", *access.body_urls(self)]

    def device_for(self, user: User) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    def sign_in(self, client: Client, user: User, next_url: str = "/manage/prg/") -> str:
        """Username and password; the address the sign-in page sends the browser to."""
        response = client.post(
            "/accounts/login/",
            {"username": user.username, "password": PASSWORD, "next": next_url},
        )
        assert response.status_code == 302, response.content.decode()[:500]
        return response["Location"]

    def assert_signed_out(self, client: Client) -> None:
        assert "_auth_user_id" not in client.session
        response = client.get("/manage/prg/")
        assert response["Location"].startswith("/accounts/login/?next=")

    # Enrolling ----------------------------------------------------------------------------

    def test_a_secretary_enrols_with_a_code_computed_from_the_devices_key(self) -> None:
        client = self.client_for(self.secretary)
        page = client.get(SECURITY).content.decode()
        device = TOTPDevice.objects.get(user=self.secretary)
        assert not device.confirmed
        secret = b32encode(device.bin_key).decode()
        assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
        assert f"otpauth://totp/VRU%20Governance%3Asecretary?secret={secret}" in page
        assert "issuer=VRU%20Governance" in page
        # The QR code is an SVG image in a data: URI (no script, no inline style).
        data_uri = page.split('<img src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
        svg = base64.b64decode(data_uri).decode()
        assert "<svg" in svg and "<path" in svg and "style=" not in svg and "<script" not in svg
        assert "Off." in page

        response = client.post(
            SECURITY, {"action": "confirm", "password": PASSWORD, "code": code(device)}
        )
        # The answer is the page of backup codes, shown once
        # (tests/accounts/test_otp_backup_codes.py).
        assert response.status_code == 200
        page = response.content.decode()
        assert "Two-step sign-in is on." in page and "Your backup codes" in page
        assert f'href="{SECURITY}"' in page
        device.refresh_from_db()
        assert device.confirmed
        page = client.get(SECURITY).content.decode()
        assert "On." in page and "Remove the authenticator" in page
        assert secret not in page  # the secret is shown only while setting up
        # The enrolling session is verified: the workspace opens without a code step.
        assert client.get("/manage/prg/").status_code == 200

    def test_a_wrong_code_is_refused_and_the_device_stays_unconfirmed(self) -> None:
        client = self.client_for(self.secretary)
        client.get(SECURITY)
        device = TOTPDevice.objects.get(user=self.secretary)
        response = client.post(
            SECURITY, {"action": "confirm", "password": PASSWORD, "code": wrong_code(device)}
        )
        assert response.status_code == 200
        assert second_factor.WRONG_CODE in response.content.decode()
        response = client.post(
            SECURITY, {"action": "confirm", "password": PASSWORD, "code": "12ab56"}
        )
        assert "Enter the 6 digits your authenticator app shows" in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert device.throttling_failure_count == 1  # the malformed code never reached it
        # Refused enrolment changes nothing for signing in: the password alone still works.
        client = Client()
        assert self.sign_in(client, self.secretary) == "/manage/prg/"

    def test_enrolling_asks_for_the_password_again(self) -> None:
        client = self.client_for(self.secretary)
        client.get(SECURITY)
        device = TOTPDevice.objects.get(user=self.secretary)
        for password, message in [("", "Enter your password"), ("guess", "not your password")]:
            response = client.post(
                SECURITY, {"action": "confirm", "password": password, "code": code(device)}
            )
            assert response.status_code == 200 and message in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed

    def test_the_same_secret_is_shown_until_confirmed_and_can_be_replaced(self) -> None:
        client = self.client_for(self.secretary)
        client.get(SECURITY)
        first = TOTPDevice.objects.get(user=self.secretary).key
        client.get(SECURITY)
        assert TOTPDevice.objects.get(user=self.secretary).key == first
        response = client.post(SECURITY, {"action": "new-secret"})
        assert response.status_code == 302
        client.get(SECURITY)
        assert TOTPDevice.objects.get(user=self.secretary).key != first

    def test_a_partner_may_enrol_too(self) -> None:
        client = self.client_for(self.partner)
        page = client.get(SECURITY).content.decode()
        assert "Set up an authenticator app" in page
        assert "Partners&#x27; dashboard" in page or "Partners' dashboard" in page
        device = TOTPDevice.objects.get(user=self.partner)
        client.post(SECURITY, {"action": "confirm", "password": PASSWORD, "code": code(device)})
        device.refresh_from_db()
        assert device.confirmed
        # From now on the partner's sign-in asks for the code too.
        assert self.sign_in(Client(), self.partner, "/partners/").startswith(CODE_STEP)

    def test_the_public_is_sent_to_sign_in_for_the_security_page(self) -> None:
        response = Client().get(SECURITY)
        assert response["Location"] == f"/accounts/login/?next={SECURITY}"

    # Signing in ---------------------------------------------------------------------------

    def test_sign_in_asks_for_the_code_before_the_workspace_and_a_right_code_opens_it(
        self,
    ) -> None:
        device = self.device_for(self.secretary)
        client = Client()
        location = self.sign_in(client, self.secretary, "/manage/prg/members/")
        assert location == f"{CODE_STEP}?next=%2Fmanage%2Fprg%2Fmembers%2F"
        # The password alone signs nobody in.
        self.assert_signed_out(client)
        page = client.get(location).content.decode()
        assert "Enter the code from your authenticator app" in page and "(secretary)" in page

        response = client.post(CODE_STEP, {"code": code(device), "next": "/manage/prg/members/"})
        assert response.status_code == 302
        assert response["Location"] == "/manage/prg/members/"
        assert client.session["_auth_user_id"] == str(self.secretary.pk)
        for url in self.workspace_urls():
            assert client.get(url).status_code == 200, url
        assert client.get("/admin/").status_code == 200

    def test_a_wrong_code_at_sign_in_is_refused_with_a_clear_error(self) -> None:
        device = self.device_for(self.secretary)
        client = Client()
        self.sign_in(client, self.secretary)
        response = client.post(CODE_STEP, {"code": wrong_code(device), "next": "/manage/prg/"})
        assert response.status_code == 200
        page = response.content.decode()
        assert second_factor.WRONG_CODE in page and "There is a problem" in page
        response = client.post(CODE_STEP, {"code": "", "next": "/manage/prg/"})
        assert "Enter the 6-digit code your authenticator app shows." in response.content.decode()
        self.assert_signed_out(client)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
    def test_repeated_wrong_codes_are_throttled_and_even_the_right_code_then_waits(self) -> None:
        device = self.device_for(self.secretary)
        client = Client()
        self.sign_in(client, self.secretary)
        client.post(CODE_STEP, {"code": wrong_code(device)})
        response = client.post(CODE_STEP, {"code": code(device)})
        assert response.status_code == 200
        assert "Too many wrong codes. Wait 60 seconds" in response.content.decode()
        self.assert_signed_out(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        assert device.last_t == -1  # the right code was not even checked

    def test_a_user_without_a_device_is_unaffected(self) -> None:
        client = Client()
        assert self.sign_in(client, self.secretary, "/manage/prg/people/") == "/manage/prg/people/"
        assert client.get("/manage/prg/people/").status_code == 200
        # The code step has nothing to ask: it sends the user on.
        response = client.get(f"{CODE_STEP}?next=/manage/prg/")
        assert response["Location"] == "/manage/prg/"
        partner = Client()
        assert self.sign_in(partner, self.partner, "/partners/") == "/partners/"
        assert partner.get("/partners/").status_code == 200

    def test_a_signed_in_but_unverified_session_must_give_a_code_on_every_workspace_page(
        self,
    ) -> None:
        device = self.device_for(self.secretary)
        client = self.client_for(self.secretary)  # signed in without the code step
        for url in self.workspace_urls():
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == f"{CODE_STEP}?next={quote(url, safe='')}", url
        for url in workspace_access.WorkspaceAccessTests.post_urls(self):
            response = client.post(url, {"direction": "up"})
            assert response["Location"].startswith(f"{CODE_STEP}?next="), url
        assert Action.objects.filter(pk=self.action.pk).exists()
        # The admin sends it to the code step too, by way of its sign-in page.
        response = client.get("/admin/", follow=True)
        assert response.redirect_chain[-1][0] == f"{CODE_STEP}?next=%2Fadmin%2F"
        response = client.post(CODE_STEP, {"code": code(device), "next": "/admin/"})
        assert response["Location"] == "/admin/"
        assert client.get("/manage/prg/members/").status_code == 200
        assert client.get("/admin/").status_code == 200

    def test_the_code_step_never_sends_the_browser_to_another_site(self) -> None:
        device = self.device_for(self.secretary)
        client = Client()
        self.sign_in(client, self.secretary)
        response = client.post(CODE_STEP, {"code": code(device), "next": "https://evil.example/"})
        assert response["Location"] == "/"

    def test_a_pending_sign_in_expires(self) -> None:
        device = self.device_for(self.secretary)
        client = Client()
        self.sign_in(client, self.secretary)
        session = client.session
        session[second_factor.PENDING_SESSION_KEY]["at"] = int(time.time()) - 3600
        session.save()
        response = client.post(CODE_STEP, {"code": code(device)}, follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/login/?next=")
        assert second_factor.EXPIRED in response.content.decode()
        self.assert_signed_out(client)

    def test_the_code_step_without_a_password_first_sends_the_browser_to_sign_in(self) -> None:
        self.device_for(self.secretary)
        response = Client().post(CODE_STEP, {"code": "123456"})
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_the_admin_has_no_password_form_of_its_own(self) -> None:
        response = Client().get("/admin/login/?next=/admin/members/")
        assert response["Location"] == "/accounts/login/?next=/admin/members/"
        response = Client().get("/admin/")
        assert response["Location"].startswith("/admin/login/")
        # A signed-in user the admin does not admit is refused, not asked for a password.
        assert self.client_for(self.partner).get("/admin/login/").status_code == 403

    def test_django_axes_still_pauses_sign_in_after_five_wrong_passwords(self) -> None:
        self.device_for(self.secretary)
        client = Client()
        for _ in range(5):
            response = client.post(
                "/accounts/login/", {"username": "secretary", "password": "wrong"}
            )
        response = client.post("/accounts/login/", {"username": "secretary", "password": PASSWORD})
        assert response.status_code == 429
        assert "Too many failed sign-ins" in response.content.decode()
        assert second_factor.PENDING_SESSION_KEY not in client.session

    # Removing ------------------------------------------------------------------------------

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # the wrong code must not delay the right one
    def test_removal_needs_a_current_code_and_then_the_password_alone_signs_in(self) -> None:
        device = self.device_for(self.secretary)
        client = Client()
        self.sign_in(client, self.secretary)
        client.post(CODE_STEP, {"code": code(device)})
        response = client.post(SECURITY, {"action": "remove", "code": wrong_code(device)})
        assert second_factor.WRONG_CODE in response.content.decode()
        assert TOTPDevice.objects.filter(user=self.secretary, confirmed=True).exists()

        response = client.post(SECURITY, {"action": "remove", "code": code(device, ahead=1)})
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=self.secretary).exists()
        assert "Two-step sign-in is off" in client.get(SECURITY).content.decode()
        assert client.get("/manage/prg/").status_code == 200
        assert self.sign_in(Client(), self.secretary) == "/manage/prg/"

    def test_a_form_from_before_a_change_changes_nothing(self) -> None:
        client = self.client_for(self.secretary)
        response = client.post(SECURITY, {"action": "remove", "code": "123456"}, follow=True)
        assert "The page was out of date, so nothing was changed." in response.content.decode()
        assert not TOTPDevice.objects.filter(user=self.secretary, confirmed=True).exists()

    # The required setting -----------------------------------------------------------------

    @override_settings(OTP_REQUIRED_FOR_SECRETARIAT=True)
    def test_the_required_setting_makes_a_secretary_enrol_before_the_workspace(self) -> None:
        client = self.client_for(self.secretary)
        for url in ["/manage/", "/manage/prg/members/", "/manage/actions/"]:
            response = client.get(url)
            assert response["Location"] == f"{SECURITY}?next={quote(url, safe='')}", url
        response = client.get("/admin/", follow=True)
        assert response.redirect_chain[-1][0] == f"{SECURITY}?next=%2Fadmin%2F"
        page = client.get(f"{SECURITY}?next=/manage/prg/members/").content.decode()
        assert "must use two-step sign-in before you can use the workspace" in page
        assert 'name="next" value="/manage/prg/members/"' in page

        device = TOTPDevice.objects.get(user=self.secretary)
        response = client.post(
            SECURITY,
            {
                "action": "confirm",
                "password": PASSWORD,
                "code": code(device),
                "next": "/manage/prg/members/",
            },
        )
        # The backup codes are shown first; their page goes on to where the secretary was going.
        page = response.content.decode()
        assert "Your backup codes" in page and 'href="/manage/prg/members/"' in page
        assert client.get("/manage/prg/members/").status_code == 200

    @override_settings(OTP_REQUIRED_FOR_SECRETARIAT=True)
    def test_the_required_setting_leaves_partners_alone(self) -> None:
        client = self.client_for(self.partner)
        assert client.get("/partners/").status_code == 200
        assert client.get("/manage/prg/").status_code == 403  # refused as before, not enrolled
        assert not second_factor.is_secretariat(self.partner)
        assert second_factor.is_secretariat(self.other_secretary)  # secretary of a body only

    def test_the_required_setting_is_read_from_the_environment(self) -> None:
        script = "from django.conf import settings; print(settings.OTP_REQUIRED_FOR_SECRETARIAT)"
        on = manage("shell", "-c", script, DEBUG="true", OTP_REQUIRED_FOR_SECRETARIAT="true")
        assert on.stdout.splitlines()[-1] == "True", on.stderr
        off = manage("shell", "-c", script, DEBUG="true")
        assert off.stdout.splitlines()[-1] == "False", off.stderr
