"""Parts rendered ahead, so that publishing only stitches, numbers and freezes.

A part's cache key is its content (reports/documents/parts.py), the same draft or published.
So a paper's part of each pack (public and partners'), rendered by a job when the paper is
saved, is the part the pack finds in the cache when the agenda is published. So are the parts
generated from the records (the last meeting's minutes, the actions-arising report): rendered
by the same job, and when the last meeting's minutes are frozen. The publication job renders
whatever is still missing (a paper changed in the admin, an action updated since) before it
takes the meeting's lock.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from meetings.models import Meeting
from reports.documents.actions_arising import reports_reused
from reports.documents.pack import Audience, pack_part_jobs, paper_part, part_job
from reports.documents.paper_files import as_uploaded, numbers_job
from reports.documents.parts import PartRenderer, part_key, render_parts, workers
from reports.documents.workers import PartJob, Pool
from reports.models import Paper

# The parts of a pack generated from the records rather than from a paper.
GENERATED_KINDS = ("minutes", "actions_arising")


def paper_part_jobs(paper: Paper) -> list[PartJob]:
    """The paper's part of the public pack (a notice when exempt) and of the partners' pack."""
    item = paper.item
    meeting = Meeting.objects.select_related("body").get(pk=item.meeting_id)
    item.meeting = meeting
    return [
        part_job(paper_part(paper, item, meeting, partners=partners), meeting)
        for partners in (False, True)
    ]


def render_paper_ahead(paper: Paper) -> int:
    """The paper's parts of both packs, and the page numbers of its own copy as the freeze
    stamps them (they follow from its part's pages), into the part cache; how many rendered."""
    jobs = paper_part_jobs(paper)
    rendered = render_ahead(jobs)
    if as_uploaded(paper):
        return rendered  # its copies are the file as uploaded, or its stamped partners' part
    partners = render_parts(jobs[1:]).parts[0]  # from the cache, rendered just now
    return rendered + render_ahead([numbers_job(partners, draft=False)])


def meeting_part_jobs(meeting: Meeting, kinds: Collection[str] | None = None) -> list[PartJob]:
    """Every part of the meeting's two packs (or those of these `kinds`), each once (the two
    packs' actions-arising reports from one reading of the action log)."""
    jobs: dict[str, PartJob] = {}
    with reports_reused():
        for audience in (Audience.PUBLIC, Audience.PARTNERS):
            for job in pack_part_jobs(meeting, audience, kinds):
                jobs.setdefault(part_key(job), job)
    return list(jobs.values())


def render_generated_ahead(meeting: Meeting) -> int:
    """The parts the packs generate from the records (the last meeting's minutes, the
    actions-arising report) into the part cache; how many rendered. Publishing then finds
    them there while the records they print are unchanged."""
    return render_ahead(meeting_part_jobs(meeting, GENERATED_KINDS))


def render_ahead(
    jobs: Iterable[PartJob], on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Render the parts not in the cache into it; returns how many were rendered.

    `on_progress(done, total)` is told the count to render first, then each part done."""
    jobs = list(jobs)
    if not jobs:
        return 0
    with Pool(min(workers(), len(jobs))) as pool:
        renderer = PartRenderer(pool)
        for job in jobs:
            renderer.add(job)
        if on_progress is not None:
            on_progress(0, len(renderer.pending))
        return len(renderer.finish(on_progress).rendered)
