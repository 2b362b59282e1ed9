"""What a search query means, read once for both databases.

The syntax is PostgreSQL's websearch_to_tsquery: words (all must appear), "a phrase" in
quotes, -word or -"a phrase" to leave out, and OR between alternatives; AND binds tighter
than OR, as there ("knife crime OR violence" is "knife and crime", or "violence"). Any other
punctuation is part of a word and never an error. Common English words (PostgreSQL's
`english` stop words) are not searched for on their own.

The parsed query is written out again for each engine: as websearch text for PostgreSQL and
as an FTS5 MATCH expression for SQLite, with every word quoted so that nothing typed is ever
FTS5 syntax. An alternative with nothing to look for but words to leave out is dropped on
both (PostgreSQL would match nearly every record with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# PostgreSQL's english.stop (the snowball list), which its English configuration drops.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will just
    don should now""".split()
)
MAX_TERMS = 32  # far more than anyone types; the rest of a pasted text is ignored

_PIECES = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_TOKENS = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 tokenizer reads


@dataclass(frozen=True)
class Term:
    """A word or a phrase, as typed and as the tokens FTS5 will look for."""

    text: str  # never holds a quote
    tokens: tuple[str, ...]
    quoted: bool

    def websearch(self) -> str:
        return f'"{self.text}"' if self.quoted else self.text

    def fts5(self) -> str:
        # Tokens are letters and digits only: nothing in the quotes can be FTS5 syntax. Two
        # or more tokens in quotes are a phrase, as PostgreSQL reads a hyphenated word.
        return '"' + " ".join(self.tokens) + '"'


@dataclass
class Alternative:
    """Terms that must all appear, and terms that must not."""

    wanted: list[Term] = field(default_factory=list)
    unwanted: list[Term] = field(default_factory=list)


@dataclass
class Query:
    """A parsed search: alternatives, any one of which is a match."""

    alternatives: list[Alternative]
    only_exclusions: bool = False  # nothing to look for, but words to leave out

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    def websearch(self) -> str:
        """The query as websearch_to_tsquery text, with the same meaning."""
        parts = []
        for alt in self.alternatives:
            words = [t.websearch() for t in alt.wanted] + [
                f"-{t.websearch()}" for t in alt.unwanted
            ]
            parts.append(" ".join(words))
        return " or ".join(parts)

    def fts5(self) -> str:
        """The query as an FTS5 MATCH expression, with the same meaning."""
        parts = []
        for alt in self.alternatives:
            expression = "(" + " AND ".join(t.fts5() for t in alt.wanted) + ")"
            if alt.unwanted:
                expression += " NOT (" + " OR ".join(t.fts5() for t in alt.unwanted) + ")"
            parts.append(f"({expression})")
        return " OR ".join(parts)


def _term(text: str, quoted: bool) -> Term | None:
    tokens = tuple(t.lower() for t in _TOKENS.findall(text))
    if all(t in STOP_WORDS for t in tokens):
        return None  # nothing to look for (PostgreSQL drops these too)
    return Term(text, tokens, quoted)


def parse(text: str) -> Query:
    """Read the query typed; never fails."""
    alternatives = [Alternative()]
    negate = False
    typed = 0
    for match in _PIECES.finditer(text):
        minus, phrase, word = match.groups()
        if phrase is not None:
            term = _term(phrase, quoted=True)
            negate = negate or bool(minus)
        elif word.lower() == "or":
            if alternatives[-1].wanted or alternatives[-1].unwanted:
                alternatives.append(Alternative())
            negate = False
            continue
        elif word == "-":
            negate = True  # "- word" leaves the word out, as in PostgreSQL
            continue
        else:
            negate = negate or word.startswith("-")
            # A quote inside a word is punctuation, as in o"clock: it starts no phrase.
            term = _term(word.lstrip("-").replace('"', ""), quoted=False)
        typed += 1
        if term is not None and typed <= MAX_TERMS:
            target = alternatives[-1].unwanted if negate else alternatives[-1].wanted
            if term not in target:
                target.append(term)
        negate = False
    kept = [alt for alt in alternatives if alt.wanted]
    return Query(kept, only_exclusions=not kept and any(alt.unwanted for alt in alternatives))
