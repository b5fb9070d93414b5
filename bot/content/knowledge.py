"""The clinic's curated knowledge: topics, quotes and citations, read from data/knowledge/.

Answers, quotes and references live only in those YAML files; the models below are their
schema. pydantic checks every field, and that the files hang together (every quote names a known
citation, every topic a unique intent), naming the file and field at fault (see
bot/content/yaml_models.py); the models also render citations as text or as a structured payload. Checks
against the source document itself (quotes verbatim, every statement covered) are in
tests/content/test_knowledge.py.
"""

import functools
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Dict, List, Literal, Optional, Tuple

from pydantic import Field, root_validator, validator

from bot import PROJECT_ROOT
from bot.content.yaml_models import Model, Text, load_yaml

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
SOURCE_DOCUMENT = KNOWLEDGE_DIR / "kap_effectiveness.txt"
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


# While load_knowledge() runs: the ids of citations.yml, each with its citation once it is read.
_CITED: ContextVar[Dict[str, Optional["Citation"]]] = ContextVar("cited")


def _cited(cid: Any) -> "Citation":
    """The citation an id names (a pre-validator for the fields that name one)."""
    cited = _CITED.get()
    if cid not in cited:
        raise ValueError(f"unknown citation {cid!r}")
    if cited[cid] is None:  # only while citations.yml is read, where only articles are named
        raise ValueError(f"citation {cid!r} is not an article, or has errors of its own")
    return cited[cid]


def _with_keys(entries: Any, name: str) -> Any:
    """A mapping's entries, each given its key as field `name`; anything else is left for
    pydantic to reject."""
    if not isinstance(entries, dict):
        return entries
    return {key: {**entry, name: key} if isinstance(entry, dict) else entry for key, entry in entries.items()}


class Citation(Model):
    """Where a statement comes from: a published article, the clinic's sheet, or unnamed studies."""

    id: str
    kind: Literal["article", "summary", "document", "unnamed"]
    short: Text
    note: str = ""
    # The article a summary summarises (named by its id in citations.yml).
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

    _of = validator("of", pre=True, allow_reuse=True)(_cited)

    @validator(*PAYLOAD_FIELDS, always=True)
    def _complete_if_article(cls, value: Any, values: Dict[str, Any]) -> Any:
        if values.get("kind") == "article" and value in (None, "", ()):
            raise ValueError("required for an article")
        return value

    @root_validator(skip_on_failure=True)
    def _summary_of_an_article(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if values["kind"] == "summary" and getattr(values["of"], "kind", None) != "article":
            raise ValueError("a summary must name in 'of' the article it summarises")
        if values["kind"] != "summary" and values["of"] is not None:
            raise ValueError("only a summary names a work in 'of'")
        return values

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


Citation.update_forward_refs()


class _Citations(Model):
    """citations.yml. Articles are read first, and each citation is recorded as it is read, so
    that summaries (and then topics.yml) can name it."""

    citations: Dict[str, Citation]

    @validator("citations", pre=True)
    def _ids_articles_first(cls, entries: Any) -> Any:
        entries = _with_keys(entries, "id")
        if not isinstance(entries, dict):
            return entries
        _CITED.get().update(dict.fromkeys(entries))

        def is_article(entry: Any) -> bool:
            return isinstance(entry, dict) and entry.get("kind") == "article"

        return dict(sorted(entries.items(), key=lambda item: not is_article(item[1])))

    @validator("citations", each_item=True)
    def _record(cls, citation: Citation) -> Citation:
        _CITED.get()[citation.id] = citation
        return citation


class Quote(Model):
    """Words taken verbatim from the source document, and whose words they are."""

    text: Text
    citation: Citation = Field(alias="source")

    _source = validator("citation", pre=True, allow_reuse=True)(_cited)

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


class Topic(Model):
    """One curated answer: what the bot says for one intent, and what backs it."""

    key: str
    intent: Text
    title: Text
    example: Text
    answer: Text
    quotes: Tuple[Quote, ...] = ()
    sources: Tuple[Citation, ...]
    more: Text
    # Whether the answer is followed by the full references of its sources (the sources overview).
    full_references: bool = False

    _sources = validator("sources", pre=True, each_item=True, allow_reuse=True)(_cited)

    @validator("sources")
    def _not_empty(cls, sources: Tuple[Citation, ...]) -> Tuple[Citation, ...]:
        if not sources:
            raise ValueError("must name at least one citation")
        return sources

    def source_text(self) -> str:
        """The full citation of everything the answer rests on."""
        return "\n\n".join(source.full_text() for source in self.sources)


class Knowledge(Model):
    """All topics (topics.yml) and citations (citations.yml), looked up by topic key or by intent."""

    citations: Dict[str, Citation]
    topics: Dict[str, Topic]
    # The keys of the topics offered as example questions (see `suggestions`).
    suggestion_keys: Tuple[str, ...] = Field((), alias="suggestions")

    @validator("topics", pre=True)
    def _keys(cls, entries: Any) -> Any:
        return _with_keys(entries, "key")

    @validator("topics")
    def _one_topic_per_intent(cls, topics: Dict[str, Topic]) -> Dict[str, Topic]:
        intents = [topic.intent for topic in topics.values()]
        repeated = sorted({intent for intent in intents if intents.count(intent) > 1})
        if repeated:
            raise ValueError(f"intents answered by more than one topic: {repeated}")
        return topics

    @validator("suggestion_keys", each_item=True)
    def _a_topic(cls, key: str, values: Dict[str, Any]) -> str:
        if "topics" in values and key not in values["topics"]:
            raise ValueError(f"unknown topic {key!r}")
        return key

    @property
    def suggestions(self) -> Tuple[Topic, ...]:
        """The topics offered as example questions (buttons) on greeting, help and fallback."""
        return tuple(self.topics[key] for key in self.suggestion_keys)

    def topic(self, key: Optional[str]) -> Optional[Topic]:
        return self.topics.get(key) if key else None

    def topic_for_intent(self, intent: Optional[str]) -> Optional[Topic]:
        return next((t for t in self.topics.values() if t.intent == intent), None)

    @property
    def intents(self) -> List[str]:
        return [topic.intent for topic in self.topics.values()]


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Read and cross-check citations.yml and topics.yml; raise KnowledgeError on any fault."""
    token = _CITED.set({})
    try:
        citations = load_yaml(directory / "citations.yml", _Citations, KnowledgeError).citations
        return load_yaml(directory / "topics.yml", Knowledge, KnowledgeError, citations=citations)
    finally:
        _CITED.reset(token)


@functools.lru_cache(maxsize=None)
def knowledge() -> Knowledge:
    """The project's knowledge, loaded once per process."""
    return load_knowledge()
