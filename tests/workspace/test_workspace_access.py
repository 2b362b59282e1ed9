"""Who may use the secretary's workspace: only the body's secretaries (404/403 otherwise)."""

from __future__ import annotations

from django.test import TestCase

from actions.models import Action
from meetings.models import ForwardPlanItem
from members.models import Appointment
from tests.world import DemoWorld


class WorkspaceAccessTests(DemoWorld, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_world()
        cls.action = Action.objects.filter(meeting__key="2019-03-06").first()
        cls.appointment = Appointment.objects.filter(body=cls.body).first()
        cls.plan = ForwardPlanItem.objects.create(body=cls.body, title="Knife crime update")

    def body_urls(self) -> list[str]:
        m = "/manage/prg/meetings/2019-03-06"
        return [
            "/manage/prg/",
            "/manage/prg/members/",
            "/manage/prg/members/appoint/",
            f"/manage/prg/members/{self.appointment.pk}/end/",
            "/manage/prg/terms/new/",
            "/manage/prg/terms/2019-interim/",
            "/manage/prg/people/",
            "/manage/prg/people/new/",
            "/manage/prg/people/jake-ferguson/",
            "/manage/prg/meetings/",
            f"{m}/agenda/",
            f"{m}/agenda/items/4/",
            f"{m}/agenda/items/4/papers/new/",
            f"{m}/publish/",
            f"{m}/attendance/",
            f"{m}/minutes/",
            f"{m}/minutes/items/4/",
            f"{m}/minutes/preview/",
            f"{m}/history/",
            "/manage/prg/actions/",
            f"/manage/prg/actions/2019-03-06/{self.action.key}/",
            "/manage/prg/forward-plan/",
            f"/manage/prg/forward-plan/{self.plan.pk}/",
        ]

    def post_urls(self) -> list[str]:
        m = "/manage/prg/meetings/2019-05-01"
        return [
            f"{m}/agenda/items/5/move/",
            f"{m}/agenda/items/5/remove/",
            f"{m}/minutes/publish/",
            "/manage/prg/terms/2019-interim/endorse/",
            f"/manage/prg/forward-plan/{self.plan.pk}/place/",
            f"/manage/prg/actions/2019-03-06/{self.action.key}/discard/",
        ]

    def test_the_public_is_sent_to_sign_in_for_every_page(self) -> None:
        client = self.client_for(None)
        for url in ["/manage/", "/manage/actions/", *self.body_urls()]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next="), url

    def test_a_partner_of_the_body_is_refused_with_403(self) -> None:
        client = self.client_for(self.partner)
        for url in ["/manage/", "/manage/actions/", *self.body_urls()]:
            assert client.get(url).status_code == 403, url
        for url in self.post_urls():
            assert client.post(url).status_code == 403, url

    def test_a_partner_of_another_body_gets_404_for_this_body(self) -> None:
        client = self.client_for(self.outsider)
        for url in self.body_urls():
            assert client.get(url).status_code == 404, url
        for url in self.post_urls():
            assert client.post(url).status_code == 404, url

    def test_a_secretary_of_another_body_gets_404_and_sees_only_their_own_body(self) -> None:
        client = self.client_for(self.other_secretary)
        for url in self.body_urls():
            assert client.get(url).status_code == 404, url
        index = client.get("/manage/").content.decode()
        assert self.other.name in index and self.body.name not in index

    def test_the_secretary_can_open_every_page(self) -> None:
        client = self.client_for(self.secretary)
        for url in ["/manage/", "/manage/actions/", *self.body_urls()]:
            assert client.get(url).status_code == 200, url
        assert self.body.name in client.get("/manage/").content.decode()

    def test_posts_change_nothing_for_outsiders(self) -> None:
        before = list(self.body.meetings.get(key="2019-05-01").items.values_list("number", "title"))
        for user in (None, self.partner, self.outsider, self.other_secretary):
            for url in self.post_urls():
                self.client_for(user).post(url, {"direction": "up"})
        after = list(self.body.meetings.get(key="2019-05-01").items.values_list("number", "title"))
        assert before == after
        assert Action.objects.filter(pk=self.action.pk).exists()

    def test_an_unknown_body_or_meeting_is_404_even_for_a_secretary(self) -> None:
        client = self.client_for(self.secretary)
        assert client.get("/manage/nobody/members/").status_code == 404
        assert client.get("/manage/prg/meetings/1999-01-01/agenda/").status_code == 404
        assert client.get("/manage/prg/meetings/2019-03-06/agenda/items/99/").status_code == 404

    def test_a_paper_of_another_meeting_cannot_be_reached_through_this_one(self) -> None:
        client = self.client_for(self.secretary)
        url = "/manage/prg/meetings/2019-03-06/agenda/items/8/papers/closing-the-gaps/"
        assert client.get(url).status_code == 404
