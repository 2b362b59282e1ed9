"""Logs: with DEBUG off an error reaches stderr as one JSON line with its traceback and the
request's id, which the response carries too."""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from tests.world import make_body

pytestmark = pytest.mark.django_db


def _lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.strip()]


def test_an_error_in_a_view_is_one_json_line_on_stderr_with_the_traceback_and_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert settings.DEBUG is False
    body = make_body()[0]
    client = Client(raise_request_exception=False)
    capsys.readouterr()
    with mock.patch(
        "vru_governance.public.meetings.meetings_visible_to",
        side_effect=RuntimeError("the meetings list broke"),
    ):
        response = client.get(f"/{body.slug}/meetings/", HTTP_X_REQUEST_ID="req-4711")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-4711"
    err = capsys.readouterr().err
    errors = [line for line in _lines(err) if line["level"] == "ERROR"]
    assert len(errors) == 1, err
    (line,) = errors
    assert line["request_id"] == "req-4711"
    assert line["logger"] == "django.request"
    assert line["status"] == 500
    assert f"/{body.slug}/meetings/" in line["message"]
    assert line["exc_type"] == "RuntimeError"
    assert line["traceback"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: the meetings list broke" in line["traceback"]
    # The traceback is inside the one line, never spread over several.
    assert len([raw for raw in err.splitlines() if "the meetings list broke" in raw]) == 1


def test_a_request_without_an_id_or_with_a_hostile_one_gets_a_new_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = Client()
    plain = client.get("/health/")
    hostile = client.get("/health/", HTTP_X_REQUEST_ID='x" \n{"level": "forged"}')
    ids = {plain["X-Request-ID"], hostile["X-Request-ID"]}
    assert len(ids) == 2
    assert all(len(rid) == 32 and rid.isalnum() for rid in ids)


def test_log_lines_outside_a_request_are_json_too_and_say_they_have_no_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    logging.getLogger("vru_governance.test").warning("cron %s", "ran")
    (line,) = _lines(capsys.readouterr().err)
    assert line == {**line, "level": "WARNING", "message": "cron ran", "request_id": "-"}
