"""The clinic's curated knowledge: topics, quotes and citations, read from data/knowledge/.

Answers, quotes and references live only in those YAML files; this module loads them, checks
that they hang together (every quote names a known citation, every topic a unique intent) and
renders citations as text or as a structured payload. Checks against the source document itself
(quotes verbatim, every statement covered) are in tests/test_knowledge.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
SOURCE_DOCUMENT = KNOWLEDGE_DIR / "kap_effectiveness.txt"
CITATION_KINDS = ("article", "summary", "document", "unnamed")
PAYLOAD_FIELDS = ("authors", "year", "title", "journal", "volume", "pages", "doi", "pmid", "url")


class KnowledgeError(ValueError):
    """The knowledge files are missing something or contradict themselves."""


def normalise_space(text: str) -> str:
    """Collapse every run of white space (non-breaking spaces included) into one space."""
    return re.sub(r"\s+", " ", text).strip()


def document_statements(text: Optional[str] = None) -> List[str]:
    """Each sentence and bullet of the source document, minus its title and list lead-ins."""
    text = SOURCE_DOCUMENT.read_text("utf-8") if text is None else text
    statements: List[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = normalise_space(block)
        if not block:
            continue
        if block.startswith("•"):
            statements.append(block.lstrip("• ").strip())
            continue
        statements.extend(s.strip() for s in re.split(r"(?<=[.?])\s+(?=[A-Z])", block))
    return [s for s in statements if not s.endswith(("?", ":"))]


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from: a published article, the clinic's sheet, or unnamed studies."""

    id: str
    kind: str
    short: str
    note: str = ""
    of: Optional["Citation"] = None
    authors: Tuple[str, ...] = ()
    year: Optional[int] = None
    title: Optional[str] = None
    journal: Optional[str] = None
    volume: Optional[str] = None
    pages: Optional[str] = None
    doi: Optional[str] = None
    pmid: Optional[str] = None
    url: Optional[str] = None

    @property
    def work(self) -> "Citation":
        """The citation that carries the bibliographic details (the summarised work, if any)."""
        return self.of or self

    def short_text(self) -> str:
        """One line naming the source, with a DOI where there is one (fits an SMS)."""
        doi = self.work.doi
        return f"{self.short} (doi:{doi})" if doi else self.short

    def reference(self) -> str:
        """The full reference of a published work, in plain text."""
        work = self.work
        if work.kind != "article":
            return ""
        return (
            f"{', '.join(work.authors)} ({work.year}). {work.title}. {work.journal}, "
            f"{work.volume}, {work.pages}. {work.url} (PMID {work.pmid})"
        )

    def full_text(self) -> str:
        """Everything a reader needs to find and judge the source, in plain text."""
        return " ".join(part for part in (self.note, self.reference()) if part)

    def payload(self) -> Dict[str, Any]:
        """The bibliographic fields for rich clients; None where the source has none."""
        work = self.work
        fields = {name: getattr(work, name) for name in PAYLOAD_FIELDS}
        fields["authors"] = list(work.authors)
        return fields


@dataclass(frozen=True)
class Quote:
    """Words taken verbatim from the source document, and whose words they are."""

    text: str
    citation: Citation

    def as_text(self) -> str:
        """The quote with its short citation, as one plain-text message."""
        return f"“{self.text}”\n— {self.citation.short_text()}"

    def payload(self) -> Dict[str, Any]:
        """A structured citation message for rich clients (the website widget)."""
        return {
            "type": "citation",
            "quote": self.text,
            "kind": self.citation.kind,
            "attribution": self.citation.short_text(),
            "citation": self.citation.payload(),
        }


@dataclass(frozen=True)
class Topic:
    """One curated answer: what the bot says for one intent, and what backs it."""

    key: str
    intent: str
    title: str
    example: str
    answer: str
    quotes: Tuple[Quote, ...]
    sources: Tuple[Citation, ...]
    more: str
    # Whether the answer is followed by the full references of its sources (the sources overview).
    full_references: bool = False

    def source_text(self) -> str:
        """The full citation of everything the answer rests on."""
        return "\n\n".join(source.full_text() for source in self.sources)


@dataclass(frozen=True)
class Knowledge:
    """All topics and citations, looked up by topic key or by intent."""

    topics: Dict[str, Topic]
    citations: Dict[str, Citation]
    suggestions: Tuple[Topic, ...]

    def topic(self, key: Optional[str]) -> Optional[Topic]:
        return self.topics.get(key) if key else None

    def topic_for_intent(self, intent: Optional[str]) -> Optional[Topic]:
        return next((t for t in self.topics.values() if t.intent == intent), None)

    @property
    def intents(self) -> List[str]:
        return [topic.intent for topic in self.topics.values()]


def _require(mapping: Dict[str, Any], field: str, where: str) -> Any:
    value = mapping.get(field)
    if value in (None, "", []):
        raise KnowledgeError(f"{where}: '{field}' is missing or empty")
    return value


def _load_citations(raw: Dict[str, Any]) -> Dict[str, Citation]:
    citations: Dict[str, Citation] = {}
    # Articles first, so that summaries can point at them.
    for cid, entry in sorted(raw.items(), key=lambda item: item[1].get("kind") != "article"):
        where = f"citations.yml: {cid}"
        kind = _require(entry, "kind", where)
        if kind not in CITATION_KINDS:
            raise KnowledgeError(f"{where}: kind '{kind}' is not one of {CITATION_KINDS}")
        fields = {k: v for k, v in entry.items() if k not in ("kind", "of", "authors")}
        of = None
        if kind == "summary":
            of = citations.get(_require(entry, "of", where))
            if of is None or of.kind != "article":
                raise KnowledgeError(f"{where}: 'of' must name an article")
        if kind == "article":
            for field in PAYLOAD_FIELDS:
                _require(entry, field, where)
        citations[cid] = Citation(
            id=cid,
            kind=kind,
            of=of,
            authors=tuple(entry.get("authors", ())),
            short=_require(entry, "short", where),
            **{k: v for k, v in fields.items() if k != "short"},
        )
    return citations


def _load_topic(key: str, entry: Dict[str, Any], citations: Dict[str, Citation]) -> Topic:
    where = f"topics.yml: {key}"

    def citation(cid: str) -> Citation:
        if cid not in citations:
            raise KnowledgeError(f"{where}: unknown citation '{cid}'")
        return citations[cid]

    quotes = tuple(
        Quote(normalise_space(_require(q, "text", where)), citation(_require(q, "source", where)))
        for q in entry.get("quotes") or ()
    )
    return Topic(
        key=key,
        intent=_require(entry, "intent", where),
        title=_require(entry, "title", where),
        example=_require(entry, "example", where),
        answer=normalise_space(_require(entry, "answer", where)),
        quotes=quotes,
        sources=tuple(citation(cid) for cid in _require(entry, "sources", where)),
        more=normalise_space(_require(entry, "more", where)),
        full_references=bool(entry.get("full_references", False)),
    )


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Read and cross-check topics.yml and citations.yml; raise KnowledgeError on any fault."""
    try:
        citations_raw = yaml.safe_load((directory / "citations.yml").read_text("utf-8"))
        topics_raw = yaml.safe_load((directory / "topics.yml").read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeError(f"cannot read the knowledge files in {directory}: {error}") from error
    try:
        citations = _load_citations(citations_raw["citations"])
        topics = {key: _load_topic(key, entry, citations) for key, entry in topics_raw["topics"].items()}
    except (KeyError, TypeError, AttributeError) as error:
        raise KnowledgeError(f"the knowledge files in {directory} are not laid out as expected: {error!r}") from error
    intents = [topic.intent for topic in topics.values()]
    repeated = sorted({intent for intent in intents if intents.count(intent) > 1})
    if repeated:
        raise KnowledgeError(f"topics.yml: intents answered by more than one topic: {repeated}")
    unknown = [key for key in topics_raw.get("suggestions", ()) if key not in topics]
    if unknown:
        raise KnowledgeError(f"topics.yml: suggestions name unknown topics: {unknown}")
    suggestions = tuple(topics[key] for key in topics_raw.get("suggestions", ()))
    return Knowledge(topics=topics, citations=citations, suggestions=suggestions)


@functools.lru_cache(maxsize=None)
def knowledge() -> Knowledge:
    """The project's knowledge, loaded once per process."""
    return load_knowledge()
