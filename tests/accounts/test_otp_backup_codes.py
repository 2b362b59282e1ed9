"""Backup codes for two-step sign-in: shown once at enrolment, each signs in once, new ones
replace the old (with the password again), wrong ones are refused and throttled, and they go
when the authenticator goes."""

from __future__ import annotations

import re
import threading
import time
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

import tests.accounts.test_otp as otp
from tests.world import DemoWorld
from vru_governance.accounts import backup_codes, second_factor

SECURITY = otp.SECURITY
CODE_STEP = otp.CODE_STEP
PASSWORD = otp.PASSWORD
SHOWN = re.compile(r"<code[^>]*>([2-9a-z]{5}-[2-9a-z]{5})</code>")


def codes_on(page: str) -> list[str]:
    """The backup codes a page shows, as the user reads them."""
    return SHOWN.findall(page)


class BackupCodeTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.secretary.set_password(PASSWORD)
        cls.secretary.is_staff = True
        cls.secretary.save()

    def setUp(self) -> None:
        self.device = TOTPDevice.objects.create(
            user=self.secretary, name="Authenticator app", confirmed=True
        )
        self.codes = backup_codes.replace(self.secretary)

    def sign_in(self, client: Client, next_url: str = "/manage/prg/") -> None:
        response = client.post(
            "/accounts/login/",
            {"username": "secretary", "password": PASSWORD, "next": next_url},
        )
        assert response["Location"].startswith(CODE_STEP), response.content.decode()[:300]

    def with_backup_code(self, code: str, next_url: str = "/manage/prg/") -> tuple[Client, str]:
        """A new browser signs in with the password and then this backup code; the client and
        the page it lands on (or the code step again, if the code was refused)."""
        client = Client()
        self.sign_in(client, next_url)
        response = client.post(CODE_STEP, {"code": code, "next": next_url, "backup": "1"})
        if response.status_code == 302:
            assert response["Location"] == next_url
            return client, client.get(next_url).content.decode()
        return client, response.content.decode()

    def assert_signed_out(self, client: Client) -> None:
        assert "_auth_user_id" not in client.session
        assert client.get("/manage/prg/")["Location"].startswith("/accounts/login/?next=")

    def verified_client(self) -> Client:
        client = Client()
        self.sign_in(client)
        assert client.post(CODE_STEP, {"code": otp.code(self.device)}).status_code == 302
        return client

    # Made and shown once --------------------------------------------------------------------

    def test_enrolling_shows_ten_codes_once_and_stores_only_their_digests(self) -> None:
        self.device.delete()
        backup_codes.remove(self.secretary)
        client = self.client_for(self.secretary)
        client.get(SECURITY)
        device = TOTPDevice.objects.get(user=self.secretary)
        data = {"action": "confirm", "password": PASSWORD, "code": otp.code(device)}
        response = client.post(SECURITY, data)
        page = response.content.decode()
        codes = codes_on(page)
        assert len(codes) == len(set(codes)) == 10
        assert "shown only this once" in page and "not with your phone" in page
        assert "<script" not in page and "style=" not in page
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "no-store" in response["Cache-Control"]
        # Stored as digests, never as the codes themselves.
        tokens = set(StaticToken.objects.filter(device__user=self.secretary).values_list("token"))
        assert len(tokens) == 10
        for shown in codes:
            assert (shown,) not in tokens and (backup_codes.normalise(shown),) not in tokens
        # Not shown again: not on the security page, not by sending the form again.
        page = client.get(SECURITY).content.decode()
        assert "You have <strong>10</strong> unused backup codes." in page
        assert not codes_on(page) and not any(shown in page for shown in codes)
        response = client.post(SECURITY, data, follow=True)
        assert "The page was out of date" in response.content.decode()
        assert not codes_on(response.content.decode())
        # One of them signs in.
        _, page = self.with_backup_code(codes[3])
        assert "You have 9 backup codes left." in page

    # Signing in -------------------------------------------------------------------------------

    def test_a_backup_code_signs_in_once_and_then_is_refused(self) -> None:
        page = Client().get(f"{CODE_STEP}?next=/manage/prg/&backup=1")
        assert page.status_code == 302  # no password given yet: sent to sign in
        client = Client()
        self.sign_in(client)
        page = client.get(f"{CODE_STEP}?next=%2Fmanage%2Fprg%2F").content.decode()
        assert 'href="/accounts/login/code/?next=%2Fmanage%2Fprg%2F&amp;backup=1"' in page
        page = client.get(f"{CODE_STEP}?next=%2Fmanage%2Fprg%2F&backup=1").content.decode()
        assert "Enter one of your backup codes" in page and 'inputmode="text"' in page
        assert 'name="backup" value="1"' in page

        response = client.post(
            CODE_STEP, {"code": self.codes[0], "next": "/manage/prg/", "backup": "1"}
        )
        assert response["Location"] == "/manage/prg/"
        page = client.get("/manage/prg/").content.decode()
        assert "You signed in with a backup code; it will not work again." in page
        assert "You have 9 backup codes left." in page
        assert (
            client.session[DEVICE_ID_SESSION_KEY]
            == backup_codes.device_of(self.secretary).persistent_id
        )
        assert client.get("/admin/").status_code == 200
        assert backup_codes.remaining(self.secretary) == 9

        again, page = self.with_backup_code(self.codes[0])
        assert second_factor.WRONG_BACKUP_CODE in page and "There is a problem" in page
        self.assert_signed_out(again)
        assert backup_codes.remaining(self.secretary) == 9

    def test_a_backup_code_is_taken_in_the_app_code_form_however_it_is_typed(self) -> None:
        client = Client()
        self.sign_in(client)
        typed = f"  {self.codes[1].upper().replace('-', ' ')} "
        response = client.post(CODE_STEP, {"code": typed, "next": "/manage/prg/"})
        assert response["Location"] == "/manage/prg/"
        assert backup_codes.remaining(self.secretary) == 9

    def test_few_codes_left_warn_and_the_last_one_says_so(self) -> None:
        device = backup_codes.device_of(self.secretary)
        spent = [backup_codes.digest(device, code) for code in self.codes[2:]]
        StaticToken.objects.filter(device=device, token__in=spent).delete()

        _, page = self.with_backup_code(self.codes[0])
        assert "Only 1 backup code is left: make new ones on Account security." in page
        _, page = self.with_backup_code(self.codes[1])
        assert "It was your last one: make new backup codes on Account security now." in page
        page = self.verified_client().get(SECURITY).content.decode()
        assert "You have no unused backup codes." in page

    def test_a_wrong_or_malformed_backup_code_gives_a_clear_error_and_signs_nobody_in(
        self,
    ) -> None:
        client = Client()
        self.sign_in(client)
        cases = [
            ("", "Enter one of your backup codes."),
            ("abcde-1234", "A backup code has 10 letters and digits, for example abcde-23456."),
            ("abcde-2345o", "A backup code has 10 letters and digits"),  # o is never used
            ("abcde-23456", second_factor.WRONG_BACKUP_CODE),
        ]
        for typed, message in cases:
            response = client.post(CODE_STEP, {"code": typed, "next": "/", "backup": "1"})
            assert response.status_code == 200
            page = response.content.decode()
            assert message in page and "There is a problem" in page, typed
        response = client.post(CODE_STEP, {"code": "abcde-1234", "next": "/"})
        assert "or one of your backup codes" in response.content.decode()
        self.assert_signed_out(client)
        assert backup_codes.remaining(self.secretary) == 10
        # Only the code of the right shape reached the device; the app's device saw none.
        assert backup_codes.device_of(self.secretary).throttling_failure_count == 1
        self.device.refresh_from_db()
        assert self.device.throttling_failure_count == 0

    @override_settings(OTP_STATIC_THROTTLE_FACTOR=60)
    def test_wrong_backup_codes_are_throttled_and_even_a_right_one_then_waits(self) -> None:
        client = Client()
        self.sign_in(client)
        client.post(CODE_STEP, {"code": "abcde-23456", "backup": "1"})
        response = client.post(CODE_STEP, {"code": self.codes[0], "backup": "1"})
        assert "Too many wrong backup codes. Wait 60 seconds, then try again." in (
            response.content.decode()
        )
        self.assert_signed_out(client)
        assert backup_codes.remaining(self.secretary) == 10  # the right code was not spent
        device = backup_codes.device_of(self.secretary)
        assert device.throttling_failure_count == 1
        # Each further miss doubles the wait (django-otp's throttling of the static device).
        StaticDevice.objects.filter(pk=device.pk).update(throttling_failure_count=4)
        response = client.post(CODE_STEP, {"code": self.codes[0], "backup": "1"})
        assert "Wait 8 minutes" in response.content.decode()
        # The phone's codes have their own count: guessing backup codes does not lock it out.
        response = client.post(CODE_STEP, {"code": otp.code(self.device), "next": "/manage/"})
        assert response["Location"] == "/manage/"

    @override_settings(OTP_STATIC_THROTTLE_FACTOR=60)
    def test_the_throttle_counts_misses_from_every_browser(self) -> None:
        _, page = self.with_backup_code("abcde-23456")
        assert second_factor.WRONG_BACKUP_CODE in page
        _, page = self.with_backup_code(self.codes[0])
        assert "Too many wrong backup codes." in page

    def test_backup_codes_left_over_without_an_authenticator_sign_nobody_in(self) -> None:
        # A superuser removed the authenticator in the admin but not the backup codes.
        self.device.delete()
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": "secretary", "password": PASSWORD, "next": "/"}
        )
        assert response["Location"] == "/"  # the password alone, as without two-step sign-in
        with pytest.raises(ValidationError):
            second_factor.check_any_code(self.secretary, self.codes[0])
        assert backup_codes.remaining(self.secretary) == 10

    # New codes ---------------------------------------------------------------------------------

    @override_settings(OTP_STATIC_THROTTLE_FACTOR=0)  # a miss must not delay the next code
    def test_new_codes_need_the_password_and_replace_the_old_ones(self) -> None:
        client, _ = self.with_backup_code(self.codes[0])
        page = client.get(SECURITY).content.decode()
        assert "Make new backup codes" in page and "You have <strong>9</strong>" in page
        for password, message in [("", "Enter your password"), ("guess", "not your password")]:
            response = client.post(SECURITY, {"action": "new-codes", "password": password})
            assert response.status_code == 200 and message in response.content.decode()
            assert not codes_on(response.content.decode())
        assert backup_codes.remaining(self.secretary) == 9

        response = client.post(SECURITY, {"action": "new-codes", "password": PASSWORD})
        page = response.content.decode()
        new = codes_on(page)
        assert len(new) == 10 and not set(new) & set(self.codes)
        assert "Here are your new backup codes. The old ones no longer work." in page
        assert f'href="{SECURITY}"' in page
        # This session was verified with a backup code: it stays verified.
        assert client.get("/manage/prg/").status_code == 200

        _, page = self.with_backup_code(self.codes[1])
        assert second_factor.WRONG_BACKUP_CODE in page
        _, page = self.with_backup_code(new[0])
        assert "You have 9 backup codes left." in page

    def test_guessing_the_password_for_new_codes_locks_the_account_like_sign_in(self) -> None:
        """A session left open must not let someone guess the password without limit."""
        client, _ = self.with_backup_code(self.codes[0])
        for _ in range(5):
            client.post(SECURITY, {"action": "new-codes", "password": "guess"})
        response = client.post(SECURITY, {"action": "new-codes", "password": PASSWORD})
        assert not codes_on(response.content.decode())
        assert backup_codes.remaining(self.secretary) == 9
        response = Client().post(
            "/accounts/login/", {"username": "secretary", "password": PASSWORD}
        )
        assert response.status_code == 429

    def test_an_authenticator_set_up_before_backup_codes_existed_can_get_some(self) -> None:
        backup_codes.remove(self.secretary)
        client = self.verified_client()
        page = client.get(SECURITY).content.decode()
        assert "You have no unused backup codes." in page
        response = client.post(SECURITY, {"action": "new-codes", "password": PASSWORD})
        assert len(codes_on(response.content.decode())) == 10
        assert StaticDevice.objects.filter(user=self.secretary).count() == 1

    def test_a_session_that_never_gave_a_code_cannot_take_new_codes(self) -> None:
        client = self.client_for(self.secretary)  # signed in before the authenticator existed
        before = set(StaticToken.objects.values_list("token", flat=True))
        response = client.post(SECURITY, {"action": "new-codes", "password": PASSWORD})
        assert response["Location"] == f"{CODE_STEP}?next=%2Faccounts%2Fsecurity%2F"
        assert client.get(SECURITY)["Location"].startswith(CODE_STEP)
        assert set(StaticToken.objects.values_list("token", flat=True)) == before

    def test_new_codes_are_offered_only_with_an_authenticator(self) -> None:
        client = self.client_for(self.partner)
        response = client.post(SECURITY, {"action": "new-codes", "password": "x"}, follow=True)
        assert "The page was out of date, so nothing was changed." in response.content.decode()
        assert not StaticDevice.objects.filter(user=self.partner).exists()

    # Turning two-step sign-in off ---------------------------------------------------------------

    @override_settings(OTP_STATIC_THROTTLE_FACTOR=0)  # a miss must not delay the next code
    def test_a_lost_phone_a_backup_code_removes_the_authenticator_and_the_codes_go_too(
        self,
    ) -> None:
        client, _ = self.with_backup_code(self.codes[0])
        response = client.post(SECURITY, {"action": "remove", "code": self.codes[0]})
        assert second_factor.WRONG_BACKUP_CODE in response.content.decode()
        assert TOTPDevice.objects.filter(user=self.secretary).exists()

        response = client.post(SECURITY, {"action": "remove", "code": self.codes[1]}, follow=True)
        assert "Your backup codes were deleted too." in response.content.decode()
        assert not TOTPDevice.objects.filter(user=self.secretary, confirmed=True).exists()
        assert not StaticDevice.objects.filter(user=self.secretary).exists()
        assert not StaticToken.objects.filter(device__user=self.secretary).exists()
        response = Client().post(
            "/accounts/login/", {"username": "secretary", "password": PASSWORD, "next": "/"}
        )
        assert response["Location"] == "/"

    # The required setting -----------------------------------------------------------------------

    @override_settings(OTP_REQUIRED_FOR_SECRETARIAT=True)
    def test_with_the_required_setting_a_backup_code_opens_the_workspace_and_the_admin(
        self,
    ) -> None:
        client, page = self.with_backup_code(self.codes[0], "/manage/prg/members/")
        assert "You have 9 backup codes left." in page
        assert client.get("/manage/prg/members/").status_code == 200
        assert client.get("/admin/").status_code == 200
        client.post(SECURITY, {"action": "remove", "code": self.codes[1]})
        # No authenticator any more: the secretary must set one up before the workspace.
        response = client.get("/manage/prg/members/")
        assert response["Location"] == f"{SECURITY}?next=%2Fmanage%2Fprg%2Fmembers%2F"

    # The admin ----------------------------------------------------------------------------------

    def test_the_admin_lists_backup_codes_left_without_showing_or_taking_codes(self) -> None:
        admin_user = User.objects.create_superuser("root", password=PASSWORD)
        client = self.client_for(admin_user)
        page = client.get("/admin/otp_static/staticdevice/").content.decode()
        assert "secretary" in page and "Backup codes" in page
        assert '<td class="field-codes_left">10</td>' in page
        device = backup_codes.device_of(self.secretary)
        page = client.get(f"/admin/otp_static/staticdevice/{device.pk}/change/").content.decode()
        assert "unused backup codes (stored as digests)" in page.lower()
        assert not any(code in page or code.replace("-", "") in page for code in self.codes)
        assert 'name="token_set-MAX_NUM_FORMS" value="0"' in page  # none can be added
        # The authenticator's secret, unlike the digests, is not shown (a copy makes codes).
        app = TOTPDevice.objects.get(user=self.secretary)
        page = client.get(f"/admin/otp_totp/totpdevice/{app.pk}/change/").content.decode()
        assert client.get(f"/admin/otp_totp/totpdevice/{app.pk}/change/").status_code == 200
        assert app.key not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_with_the_same_backup_code_let_only_one_in() -> None:
    user = User.objects.create_user("racer")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    code = backup_codes.replace(user)[0]
    original = StaticToken.delete

    def slow(token: StaticToken, *args: object, **kwargs: object) -> object:
        time.sleep(0.3)  # between finding the code and spending it: both requests found it
        return original(token, *args, **kwargs)

    barrier = threading.Barrier(2)
    results: list[str] = []

    def attempt() -> None:
        try:
            barrier.wait(timeout=5)
            second_factor.check_backup_code(user, code)
            results.append("in")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    with mock.patch.object(StaticToken, "delete", slow):
        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert sorted(results) == ["in", "refused"]
    assert backup_codes.remaining(user) == 9
