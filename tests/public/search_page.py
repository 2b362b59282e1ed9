"""Split a rendered search page into its results and the places that echo the query."""

from __future__ import annotations

import re

# Where the page deliberately repeats what the reader typed: the tab title, the search box
# and the results heading...
_QUERY_ECHOES = (
    re.compile(r"<title>.*?</title>", re.S),
    re.compile(r'<input\b[^>]*\bid="q"[^>]*>', re.S),
    re.compile(r'<h2 id="results-heading">.*?</h2>', re.S),
)
# ...and, for a reader not signed in, the "Sign in" link, which returns them to this search.
_SIGN_IN_NEXT = re.compile(r'href="/accounts/login/\?next=[^"]*"')
# ...and the "Get an e-mail when newly published records match this search" link, which carries
# the search to the alerts form.
_ALERT_LINK = re.compile(r'href="/alerts/\?q=[^"]*"')
_RESULTS = re.compile(r"<ol\b[^>]*\bsearch-results\b[^>]*>.*?</ol>", re.S)


def without_query_echoes(html: str) -> str:
    """The page with every deliberate echo of the query cut out."""
    for echo in _QUERY_ECHOES:
        html, found = echo.subn("", html)
        assert found, f"the search page no longer has {echo.pattern!r}"
    return _ALERT_LINK.sub("", _SIGN_IN_NEXT.sub("", html))


def results_area(html: str) -> str:
    """The list of results, or "" when nothing was found."""
    match = _RESULTS.search(html)
    return match.group(0) if match else ""
