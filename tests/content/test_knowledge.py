"""The curated knowledge against the clinic's source document: verbatim, complete, honest."""

import re
import shutil

import pytest
import yaml
from rasa.shared.core.constants import DEFAULT_INTENTS

from bot import PROJECT_ROOT
from bot.channels.messaging import MAX_MESSAGE_CHARS
from bot.content.knowledge import (
    KNOWLEDGE_DIR,
    SOURCE_DOCUMENT,
    KnowledgeError,
    document_statements,
    load_knowledge,
    normalise_space,
)
from tests.support.rules import DOMAIN, intents_in_rules, intents_leading_to

ROOT = PROJECT_ROOT
SHARED_SOURCE = ROOT.parent / "shared" / "source" / "kap_effectiveness.txt"

KNOWLEDGE = load_knowledge()
SOURCE = SOURCE_DOCUMENT.read_text("utf-8")
FLAT_SOURCE = normalise_space(SOURCE)
TOPICS = list(KNOWLEDGE.topics.values())


def curly_quotations(text):
    return re.findall(r"“([^”]+)”", text)


def all_quotes():
    return [(topic.key, quote) for topic in TOPICS for quote in topic.quotes]


def test_the_shipped_document_is_a_byte_identical_copy_of_the_clinics():
    if not SHARED_SOURCE.exists():
        pytest.skip(f"the clinic's original is not beside the project ({SHARED_SOURCE})")
    assert SOURCE_DOCUMENT.read_bytes() == SHARED_SOURCE.read_bytes()


def test_the_statement_splitter_finds_every_sentence_and_bullet():
    statements = document_statements()
    # 3 sentences, 11 effects, the review sentence and 7 review findings.
    assert len(statements) == 22
    assert statements[0].startswith("Ketamine-assisted psychotherapy (KAP) is very effective")


@pytest.mark.parametrize("key,quote", all_quotes(), ids=lambda v: getattr(v, "text", v)[:40])
def test_every_quote_is_verbatim_in_the_source(key, quote):
    assert quote.text in FLAT_SOURCE, f"{key}: not verbatim in the document: {quote.text!r}"


def test_quotes_attributed_to_the_review_are_quotations_in_the_document():
    quoted_by_document = [normalise_space(q) for q in curly_quotations(SOURCE)]
    for key, quote in all_quotes():
        if quote.citation.id == "drozdz2022":
            assert quote.text in quoted_by_document, f"{key}: the document does not quote the review here"


def test_every_statement_of_the_source_is_covered_by_an_answer():
    quotes = [quote.text for _, quote in all_quotes()]

    def covered(statement):
        inner = [normalise_space(q) for q in curly_quotations(statement)]
        if inner:
            return all(q in quotes for q in inner)
        return any(statement in q or q == statement.rstrip(".") for q in quotes)

    missing = [s for s in document_statements() if not covered(s)]
    assert not missing, "statements no answer quotes:\n" + "\n".join(missing)


def test_every_answer_intent_has_knowledge_and_every_topic_an_intent():
    answered = intents_leading_to("action_answer_question")
    assert sorted(answered) == sorted(KNOWLEDGE.intents)
    assert set(KNOWLEDGE.intents) <= set(DOMAIN.intents)
    # Rasa's own intents (restart, back, session_start...) are handled by Rasa itself.
    unhandled = set(DOMAIN.intents) - set(DEFAULT_INTENTS) - answered - intents_in_rules()
    assert not unhandled, f"intents with neither knowledge nor a rule: {unhandled}"


def test_no_answer_holds_a_number_that_is_not_in_the_source():
    source_numbers = set(re.findall(r"\d+", SOURCE))
    for topic in TOPICS:
        for field in (topic.answer, topic.more, topic.title, topic.example):
            extra = set(re.findall(r"\d+", field)) - source_numbers
            assert not extra, f"{topic.key}: numbers not in the document: {extra}"


def test_the_60_70_percent_figure_is_never_cited_to_the_review():
    figure = re.compile(r"60\s*[-–]\s*70")
    mentioned = False
    for topic in TOPICS:
        for quote in topic.quotes:
            if figure.search(quote.text):
                assert quote.citation.id == "several_studies", topic.key
        for text in (topic.answer, topic.more):
            for sentence in re.split(r"(?<=\.)\s+", text):
                if figure.search(sentence):
                    mentioned = True
                    assert not re.search(r"review|drozdz", sentence, re.IGNORECASE), sentence
                    assert "several studies" in sentence.lower() or "several studies" in text.lower()
        if figure.search(topic.answer):
            assert "several_studies" in [s.id for s in topic.sources], topic.key
    assert mentioned, "the figure should be reachable (effectiveness and depression answers)"


def test_every_reply_fits_an_sms():
    for topic in TOPICS:
        texts = [topic.answer, topic.more, topic.source_text()] + [q.as_text() for q in topic.quotes]
        for text in texts:
            assert 0 < len(text) <= MAX_MESSAGE_CHARS, f"{topic.key}: {len(text)} characters"


def test_the_review_citation_is_complete():
    review = KNOWLEDGE.citations["drozdz2022"]
    reference = review.reference()
    for part in (
        "Sandra J. Drozdz",
        "2022",
        "Journal of Pain Research",
        "15",
        "1691–1706",
        "10.2147/JPR.S360733",
        "35734507",
    ):
        assert part in reference
    assert review.payload()["doi"] == "10.2147/JPR.S360733"


def test_the_eleven_other_effects_each_have_their_own_answer():
    bullets = [s for s in document_statements() if not curly_quotations(s)][3:14]
    assert len(bullets) == 11
    for bullet in bullets:
        owners = [t.key for t in TOPICS if any(q.text == bullet for q in t.quotes)]
        assert owners and "other_effects" not in owners, bullet


@pytest.fixture
def knowledge_copy(tmp_path):
    shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge")
    return tmp_path / "knowledge"


def edit_yaml(path, change):
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def test_a_quote_naming_an_unknown_citation_is_an_error(knowledge_copy):
    edit_yaml(knowledge_copy / "topics.yml", lambda d: d["topics"]["pain"]["quotes"][0].update(source="nobody2020"))
    with pytest.raises(KnowledgeError, match=r"topics.pain.quotes\[0\].source: unknown citation 'nobody2020'"):
        load_knowledge(knowledge_copy)


def test_two_topics_for_one_intent_is_an_error(knowledge_copy):
    edit_yaml(knowledge_copy / "topics.yml", lambda d: d["topics"]["pain"].update(intent="ask_effectiveness"))
    with pytest.raises(KnowledgeError, match="more than one topic"):
        load_knowledge(knowledge_copy)


def test_an_empty_answer_is_an_error(knowledge_copy):
    edit_yaml(knowledge_copy / "topics.yml", lambda d: d["topics"]["trust"].update(answer=""))
    with pytest.raises(KnowledgeError, match="topics.trust.answer: must not be empty"):
        load_knowledge(knowledge_copy)


def test_an_incomplete_article_reference_is_an_error(knowledge_copy):
    edit_yaml(knowledge_copy / "citations.yml", lambda d: d["citations"]["drozdz2022"].pop("doi"))
    with pytest.raises(KnowledgeError, match="citations.drozdz2022.doi: required for an article"):
        load_knowledge(knowledge_copy)


def test_a_summary_must_name_an_article_wherever_it_is_listed(knowledge_copy):
    path = knowledge_copy / "citations.yml"
    citations = yaml.safe_load(path.read_text("utf-8"))["citations"]
    summary = citations.pop("drozdz2022_summary")

    def write_summary_first(of):
        listed = {"drozdz2022_summary": {**summary, "of": of}, **citations}
        path.write_text(yaml.safe_dump({"citations": listed}, allow_unicode=True, sort_keys=False), "utf-8")

    write_summary_first("drozdz2022")
    assert load_knowledge(knowledge_copy).citations["drozdz2022_summary"].work.id == "drozdz2022"
    write_summary_first("clinic_document")
    with pytest.raises(KnowledgeError, match=r"citations\.drozdz2022_summary\.of: .*not an article"):
        load_knowledge(knowledge_copy)


def test_no_answer_opens_with_yes():
    """A "Yes" reads as a promise to a person asking about themselves or someone they love; the
    answers say what the sheet reports instead."""
    assert not [topic.key for topic in TOPICS if re.match(r"\s*yes\b", topic.answer, re.IGNORECASE)]
