"""/health/: "ok" for load balancers and the benchmark's floor, without the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings


@pytest.mark.django_db
def test_health_answers_ok_as_plain_text_without_a_query() -> None:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert len(queries) == 0


@pytest.mark.django_db
def test_health_is_never_cached_and_takes_no_posts() -> None:
    client = Client()
    response = client.get("/health/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


def test_health_is_exempt_from_the_https_redirect(settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/health/")
    assert response.status_code == 200
    assert Client().get("/accessibility/").status_code == 301
