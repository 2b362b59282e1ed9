import pytest
from tests.conftest import *  # noqa

@pytest.mark.django_db
def test_render(cast):
    from meetings.models import Meeting
    from reports.documents.chair_brief import render_chair_brief
    m = Meeting.objects.get(body__slug="prg", key="2019-05-01")
    open("/tmp/cb/brief.pdf", "wb").write(render_chair_brief(m).pdf)
