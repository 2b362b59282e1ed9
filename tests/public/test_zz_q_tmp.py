from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.public.test_public_queries import QueryCountTests

class Q(QueryCountTests):
    def test_q(self):
        self.client.force_login(self.world.partner_a)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get("/prg/meetings/2019-05-01/")
        for q in ctx.captured_queries: print("Q", q["sql"][:160])
