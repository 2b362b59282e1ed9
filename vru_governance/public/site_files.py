"""The files crawlers and security researchers look for: robots.txt, sitemap.xml (the public
pages only) and /.well-known/security.txt (RFC 9116)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import access
from meetings.models import Meeting
from members.models import Body
from reports.published import PUBLIC, published_meetings

# Pages that show more than the public sees, or are about signing in: not for crawlers.
DISALLOWED = ("/manage/", "/partners/", "/admin/", "/accounts/")
# security.txt must say when it stops being valid (RFC 9116, 2.5.5): less than a year ahead.
SECURITY_TXT_DAYS = 180


class PagesSitemap(Sitemap):
    """The site's own pages that are the same for every reader."""

    def items(self) -> list[str]:
        return ["public:home", "public:accessibility", "public:api"]

    def location(self, item: str) -> str:
        return reverse(item)


class BodiesSitemap(Sitemap):
    """Each body's home, meetings, members, terms of reference and public registers."""

    pages = (
        "public:body",
        "public:meetings",
        "public:members",
        "public:terms",
        "public:attendance",
        "public:interests",
        "public:forward-plan",
        "public:actions",
        "public:contact",
    )

    def items(self) -> list[tuple[str, str]]:
        slugs = Body.objects.order_by("slug").values_list("slug", flat=True)
        return [(page, slug) for slug in slugs for page in self.pages]

    def location(self, item: tuple[str, str]) -> str:
        page, slug = item
        return reverse(page, args=[slug])


class MeetingsSitemap(Sitemap):
    """Meetings whose agenda is published, and their minutes once those are published."""

    def items(self) -> list[tuple[Meeting, bool]]:
        found = []
        for meeting in published_meetings().order_by("body__slug", "date", "pk"):
            if not access.can_see_agenda(PUBLIC, meeting):
                continue
            found.append((meeting, False))
            if access.can_see_minutes(PUBLIC, meeting):
                found.append((meeting, True))
        return found

    def location(self, item: tuple[Meeting, bool]) -> str:
        meeting, minutes = item
        name = "reports:minutes_page" if minutes else "public:meeting"
        return reverse(name, args=[meeting.body.slug, meeting.key])

    def lastmod(self, item: tuple[Meeting, bool]) -> dt.date:
        return item[0].date


SITEMAPS = {"pages": PagesSitemap, "bodies": BodiesSitemap, "meetings": MeetingsSitemap}


def _text(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers keep to the public site; the sitemap lists its pages."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return _text(lines)


def security_contact() -> str:
    """SECURITY_CONTACT as a URI: an address alone becomes a mailto: link."""
    contact = settings.SECURITY_CONTACT.strip()
    if ":" not in contact and "@" in contact:
        return f"mailto:{contact}"
    return contact


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """Where to report a vulnerability (RFC 9116): the contact from settings, and an expiry
    date that stays half a year ahead for as long as the site answers."""
    expires = (timezone.now() + dt.timedelta(days=SECURITY_TXT_DAYS)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lines = [
        f"Contact: {security_contact()}",
        f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {request.build_absolute_uri(reverse('security-txt'))}",
    ]
    return _text(lines)
