"""The open-data API: published records as read-only JSON, as /api/openapi.json describes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client, TestCase
from jsonschema import Draft202012Validator

from tests.public_world import NEVER_PUBLIC, WorldMixin, add_meeting
from vru_governance.public.api.meetings import MEETINGS_PER_PAGE


def schema_for(document: dict[str, Any], name: str) -> Draft202012Validator:
    """A validator for one component schema, its $refs resolved within the OpenAPI document."""
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


class ApiTests(WorldMixin, TestCase):
    def get(self, url: str, status: int = 200) -> dict[str, Any]:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        expected = "application/json" if status < 400 else "application/problem+json"
        assert response["Content-Type"] == expected
        assert response["Access-Control-Allow-Origin"] == "*"
        return response.json()

    def valid(self, data: dict[str, Any], name: str) -> None:
        openapi = self.get("/api/openapi.json")
        errors = [e.message for e in schema_for(openapi, name).iter_errors(data)]
        assert errors == []

    def test_the_openapi_document_describes_every_api_path(self) -> None:
        doc = self.get("/api/openapi.json")
        assert doc["openapi"].startswith("3.1")
        assert set(doc["paths"]) == {
            "/api/",
            "/api/openapi.json",
            "/api/bodies/",
            "/api/bodies/{body}/",
            "/api/bodies/{body}/meetings/",
            "/api/bodies/{body}/meetings/{key}/",
            "/api/bodies/{body}/decisions/",
            "/api/bodies/{body}/annual/{year}/",
            "/api/bodies/{body}/declaration-rounds/",
        }
        Draft202012Validator.check_schema({"components": doc["components"]})

    def test_the_index_links_to_the_bodies_and_the_description(self) -> None:
        data = self.get("/api/")
        self.valid(data, "Index")
        assert data["openapi"] == "http://testserver/api/openapi.json"

    def test_bodies_are_listed_with_their_links(self) -> None:
        data = self.get("/api/bodies/")
        self.valid(data, "BodyList")
        assert [b["slug"] for b in data["bodies"]] == ["other", "prg"]
        prg = data["bodies"][1]
        assert prg["meetings_url"] == "http://testserver/api/bodies/prg/meetings/"

    def test_a_body_carries_published_terms_people_and_memberships_without_emails(self) -> None:
        data = self.get("/api/bodies/prg/")
        self.valid(data, "BodyDocument")
        body = data["body"]
        assert [t["version"] for t in body["terms_of_reference"]] == [
            "2018-10-draft",
            "2019-interim",
        ]
        keys = {p["key"] for p in body["people"]}
        assert "jake-ferguson" in keys
        assert all("email" not in p for p in body["people"])
        assert "jake@example.org" not in json.dumps(data)
        jake = next(m for m in body["memberships"] if m["person"] == "jake-ferguson")
        assert jake == {
            "person": "jake-ferguson",
            "seat": "community",
            "start": "2018-10-29",
            "end": None,
        }
        assert body["composition"]["members"] > 0

    def test_meetings_list_only_those_with_a_published_agenda(self) -> None:
        data = self.get("/api/bodies/prg/meetings/?year=2019")
        self.valid(data, "MeetingList")
        keys = [m["key"] for m in data["meetings"]]
        assert keys == [
            "2019-01-22",
            "2019-03-06",
            "2019-05-01",
            "2019-07-24",
            "2019-09-04",
            "2019-10-16",
        ]
        march = data["meetings"][1]
        assert march["minutes_published"] is True
        assert march["api_url"] == "http://testserver/api/bodies/prg/meetings/2019-03-06/"

    def test_meetings_are_paginated_with_links(self) -> None:
        for i in range(MEETINGS_PER_PAGE):
            add_meeting(self.world.body_a, dt.date(2021, 1, 1) + dt.timedelta(days=i), "held")
        first = self.get("/api/bodies/prg/meetings/")
        assert first["pages"] == 2 and first["previous"] is None
        assert first["next"] == "http://testserver/api/bodies/prg/meetings/?page=2"
        second = self.get("/api/bodies/prg/meetings/?page=2")
        assert second["previous"] and second["next"] is None

    def test_a_meeting_with_published_minutes_has_attendance_minutes_and_quorum(self) -> None:
        data = self.get("/api/bodies/prg/meetings/2019-03-06/")
        self.valid(data, "MeetingDocument")
        meeting = data["meeting"]
        assert len(meeting["attendance"]) == 39
        assert {
            "person": "vicky-hobart",
            "capacity": "substitute",
            "on_behalf_of": "yvonne-doyle",
        } in meeting["attendance"]
        item4 = next(i for i in meeting["items"] if i["number"] == "4")
        assert item4["title"] == "Violence in Numbers"
        assert item4["minutes"] and item4["outcome"] == "agreed"
        assert meeting["quorum"]["needed"] >= 1 and "items" in meeting["quorum"]
        assert "composition" in meeting
        assert any(p["key"] == "vicky-hobart" for p in meeting["people"])

    def test_the_meeting_shape_matches_the_records_export_for_published_parts(self) -> None:
        from vru_governance.records.exporter import export_records

        exported = next(
            m for m in export_records("prg")["bodies"][0]["meetings"] if m["key"] == "2019-03-06"
        )
        served = self.get("/api/bodies/prg/meetings/2019-03-06/")["meeting"]
        assert served["attendance"] == exported["attendance"]
        assert served["items"] == exported["items"]
        assert served["quorum"] == exported["quorum"]
        assert served["composition"] == exported["composition"]

    def test_an_agenda_only_meeting_has_no_minutes_or_attendance(self) -> None:
        data = self.get("/api/bodies/prg/meetings/2019-05-01/")
        self.valid(data, "MeetingDocument")
        meeting = data["meeting"]
        assert "attendance" not in meeting and "quorum" not in meeting
        assert all("minutes" not in i and "outcome" not in i for i in meeting["items"])
        item7 = next(i for i in meeting["items"] if i["number"] == "7")
        paper = item7["papers"][0]
        assert paper["key"] == "closing-the-gaps" and paper["sections"]
        assert (
            paper["url"] == "http://testserver/prg/meetings/2019-05-01/papers/closing-the-gaps.pdf"
        )

    def test_an_exempt_paper_is_only_a_not_for_publication_note_with_its_section(self) -> None:
        data = self.get("/api/bodies/prg/meetings/2019-05-01/")
        item5 = next(i for i in data["meeting"]["items"] if i["number"] == "5")
        assert item5["title"] == "MOPAC Update"
        assert item5["papers"] == [
            {
                "classification": "exempt",
                "not_for_publication": True,
                "exemption": {"section": "s.43"},
            }
        ]

    def test_unpublished_minutes_stay_out_of_the_api(self) -> None:
        for meeting in (self.world.held, self.world.circulated, self.world.approved):
            data = self.get(f"/api/bodies/prg/meetings/{meeting.key}/")
            assert data["meeting"]["minutes_published"] is False
            assert "attendance" not in data["meeting"]
            assert all("minutes" not in i and "actions" not in i for i in data["meeting"]["items"])

    def test_a_draft_meeting_is_not_found_whoever_asks(self) -> None:
        self.client.force_login(self.world.secretary_a)
        data = self.get("/api/bodies/prg/meetings/2019-06-12/", status=404)
        assert data == {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "No such meeting.",
        }

    def test_nothing_unpublished_appears_in_any_api_answer_even_for_the_secretary(self) -> None:
        self.client.force_login(self.world.secretary_a)
        urls = [
            "/api/",
            "/api/bodies/",
            "/api/bodies/prg/",
            "/api/bodies/other/",
            "/api/bodies/prg/meetings/",
            "/api/bodies/other/meetings/",
        ]
        urls += [
            m["api_url"].removeprefix("http://testserver")
            for m in self.get("/api/bodies/prg/meetings/?year=2019")["meetings"]
        ]
        urls += [
            f"/api/bodies/prg/meetings/{self.world.upcoming.key}/",
            f"/api/bodies/other/meetings/{self.world.upcoming_b.key}/",
        ]
        for url in urls:
            text = self.client.get(url).content.decode()
            assert not [s for s in NEVER_PUBLIC if s in text], url

    def test_every_method_but_get_and_head_is_a_problem_405_with_allow_even_with_csrf_checks(
        self,
    ) -> None:
        client = Client(enforce_csrf_checks=True)
        for method in ("post", "put", "patch", "delete", "options"):
            response = getattr(client, method)("/api/bodies/prg/meetings/")
            assert response.status_code == 405, method
            assert response["Allow"] == "GET, HEAD"
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["detail"] == "The API is read-only: use GET, HEAD."

    def test_an_unknown_body_meeting_or_address_is_a_problem_404(self) -> None:
        assert self.get("/api/bodies/nope/", status=404)["status"] == 404
        assert self.get("/api/bodies/nope/meetings/", status=404)["title"] == "Not Found"
        assert self.get("/api/bodies/prg/meetings/1999-01-01/", status=404)["detail"] == (
            "No such meeting."
        )
        assert "openapi.json" in self.get("/api/no-such-thing/", status=404)["detail"]
        assert self.get("/api/bodies/not%20a%20slug/", status=404)["status"] == 404

    def test_malformed_year_or_page_is_a_problem_400_that_says_which(self) -> None:
        for query, word in [
            ("year=abc", "year"),
            ("year=", "year"),
            ("year=0", "year"),
            ("year=10000", "year"),
            ("year=%C2%B2", "year"),
            ("page=0", "page"),
            ("page=x", "page"),
            ("page=-1", "page"),
            ("page=1.5", "page"),
        ]:
            data = self.get(f"/api/bodies/prg/meetings/?{query}", status=400)
            assert data["status"] == 400 and data["detail"].startswith(word), query

    def test_a_page_after_the_last_is_a_problem_404_not_page_one(self) -> None:
        assert self.get("/api/bodies/prg/meetings/?page=1")["pages"] == 1
        data = self.get("/api/bodies/prg/meetings/?page=2", status=404)
        assert data["detail"] == "No page 2: the last page is 1."
        assert self.get("/api/bodies/prg/meetings/?year=1901")["meetings"] == []

    def test_every_error_the_api_answers_is_documented_for_its_operation(self) -> None:
        doc = self.get("/api/openapi.json")
        meetings = doc["paths"]["/api/bodies/{body}/meetings/"]["get"]["responses"]
        assert {"200", "400", "404", "500", "503"} <= set(meetings)
        problem = doc["components"]["responses"]["BadRequest"]["content"]
        assert list(problem) == ["application/problem+json"]
        data = self.get("/api/bodies/prg/meetings/?page=x", status=400)
        errors = [e.message for e in schema_for(doc, "Problem").iter_errors(data)]
        assert errors == []
