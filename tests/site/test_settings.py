"""Settings read from the environment: production is secure, bad values fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

from tests.demo import ROOT
from vru_governance.env import env_bool, env_int, env_json_object

STRONG_KEY = "k7#Qp2!vZr9@Lm4$Tx8&Wn3^Hb6*Yc1(Ud5)Fe0-Gj2+Ks7=Ao9_Ri4~Ev8"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "VAR_DIR": "/tmp/vru-settings-test"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="governance.example.org",
        DEBUG="false",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_serve_without_a_secret_key() -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "vru_governance.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import vru_governance.wsgi"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
    assert "SECRET_KEY must be set" in manage("runserver", DEBUG="false").stderr


def test_commands_that_serve_nothing_run_without_a_secret_key() -> None:
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_bad_boolean_is_refused_with_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='perhaps' is not a boolean"):
        env_bool("DEBUG")


def test_a_bad_number_is_refused_with_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONN_MAX_AGE", "forever")
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE='forever' is not a whole"):
        env_int("CONN_MAX_AGE", 60)


def test_storage_options_must_be_a_json_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_OPTIONS", '{"bucket_name": "papers"}')
    assert env_json_object("STORAGE_OPTIONS") == {"bucket_name": "papers"}
    monkeypatch.setenv("STORAGE_OPTIONS", '["papers"]')
    with pytest.raises(ImproperlyConfigured, match="must be a JSON object, not list"):
        env_json_object("STORAGE_OPTIONS")
    monkeypatch.setenv("STORAGE_OPTIONS", "{bucket")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_OPTIONS is not valid JSON"):
        env_json_object("STORAGE_OPTIONS")


def test_another_storage_backend_is_chosen_from_the_environment() -> None:
    script = (
        "import django; django.setup(); "
        "from django.core.files.storage import default_storage as s; "
        "print(type(s._wrapped).__name__ if hasattr(s, '_wrapped') else '', s.location)"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "vru_governance.settings",
        "STORAGE_OPTIONS": '{"location": "/tmp/vru-shared-storage"}',
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "/tmp/vru-shared-storage"


def test_tests_use_the_fast_password_hasher(settings: Settings) -> None:
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_page_carries_a_content_security_policy_without_inline_script(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(
    client: Client,
) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("partner-x", password="right-password-123")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "partner-x", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "partner-x", "password": "right-password-123"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_wrong_password_says_so_and_a_right_one_signs_in(client: Client) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("partner-y", password="right-password-123")
    response = client.post("/accounts/login/", {"username": "partner-y", "password": "nope"})
    assert "did not match" in response.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "partner-y", "password": "right-password-123"}
    )
    assert response.status_code == 302
