"""Error pages: a 503 with Retry-After when the database is lost, a 500 without a trace for
anything else, both and the 404 in the site's chrome; problem+json for the API."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from members.models import Body
from tests.world import make_body
from vru_governance import errors

pytestmark = pytest.mark.django_db

LIST = "/prg/meetings/"


@pytest.fixture
def body() -> Body:
    return make_body()[0]


def test_a_lost_database_connection_answers_503_with_a_plain_page(body: Body) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch(
        "vru_governance.public.meetings.meetings_visible_to",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = client.get(f"/{body.slug}/meetings/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The records are unavailable for a moment" in page
    assert "connection already closed" not in page and "Traceback" not in page


def test_a_query_the_database_refuses_is_a_plain_500_not_a_503(body: Body) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch(
        "vru_governance.public.meetings.meetings_visible_to",
        side_effect=OperationalError("no such column: secret_internal_detail"),
    ):
        response = client.get(f"/{body.slug}/meetings/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "secret_internal_detail" not in page and "Traceback" not in page


def test_a_missing_page_is_a_404_in_the_sites_chrome_with_a_way_home(body: Body) -> None:
    response = Client().get("/no-such-board/nothing-here/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert '<main id="main"' in page and '<nav class="container" aria-label="Main">' in page
    assert 'href="/">Go to the home page</a>' in page
    assert "Accessibility statement" in page and "Open data (JSON)" in page


def test_the_500_page_keeps_the_sites_chrome_and_needs_no_database(
    body: Body, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        response = errors.server_error(RequestFactory().get(f"/{body.slug}/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and 'href="/">Go to the home page</a>' in page
    assert "Accessibility statement" in page and "Sign in" in page


def test_api_errors_are_problems_even_when_the_server_fails_or_loses_the_database(
    body: Body,
) -> None:
    client = Client(raise_request_exception=False)
    for exc, status in (
        (RuntimeError("secret_internal_detail"), 500),
        (InterfaceError("connection already closed"), 503),
    ):
        with mock.patch("vru_governance.public.api.meetings.published_meetings", side_effect=exc):
            response = client.get(f"/api/bodies/{body.slug}/meetings/")
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status
        assert "secret_internal_detail" not in response.content.decode()
    assert response["Retry-After"] == "30"
