"""Error pages are plain: a 503 with Retry-After when the database is lost, a 500 without a
trace for anything else."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from members.models import Body
from tests.world import make_body

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
