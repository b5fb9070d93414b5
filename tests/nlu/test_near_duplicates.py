"""No held-out or evaluation sentence is a near-copy of a training sentence.

A figure measured on sentences that differ from the training data by a word or two says little
about patients' own messages. After lower-casing and removing punctuation and extra white space,
a held-out sentence must not equal a training sentence, nor differ from one by a single word
(3+ words), nor by up to two words (5+ words; word-level edit distance). Each pair is named.
"""

import re
from collections import Counter
from functools import lru_cache
from typing import Dict, Iterable, List, Tuple

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.loading import load_data

from bot import PROJECT_ROOT
from bot.nlu.crisis_classifier import CrisisClassifier, crisis_examples, examples_path

TRAINING = PROJECT_ROOT / "data" / "nlu"
TESTS = PROJECT_ROOT / "tests"


def words(text: str) -> Tuple[str, ...]:
    return tuple(re.sub(r"[^\w\s]", " ", text.lower()).split())


def edit_distance(a: Tuple[str, ...], b: Tuple[str, ...], limit: int) -> int:
    """Word-level Levenshtein distance, or limit + 1 once it is known to exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_distance(a: Tuple[str, ...], b: Tuple[str, ...]) -> int:
    """How many words two sentences may differ by and still count as near-copies."""
    shorter = min(len(a), len(b))
    return 2 if shorter >= 5 else 1 if shorter >= 3 else 0


def near_duplicates(training: Iterable[str], held_out: Dict[str, List[str]]) -> List[str]:
    """'file: "held-out" ~ "training"' for every near-copy. Only training sentences that share
    enough words with a held-out one are compared word by word: two sentences at most two words
    apart differ in at most four distinct words."""
    indexed = [(words(text), text) for text in set(training)]
    by_word: Dict[str, List[int]] = {}
    for index, (theirs, _) in enumerate(indexed):
        for word in set(theirs):
            by_word.setdefault(word, []).append(index)
    wordless = [index for index, (theirs, _) in enumerate(indexed) if not theirs]
    found = []
    for source, texts in held_out.items():
        for text in texts:
            mine = words(text)
            distinct = set(mine)
            shared = Counter(index for word in distinct for index in by_word.get(word, ()))
            close = sorted(index for index, count in shared.items() if count >= len(distinct) - 4)
            for index in close if mine else wordless:
                theirs, original = indexed[index]
                limit = allowed_distance(mine, theirs)
                if abs(len(mine) - len(theirs)) > limit or len(set(mine) ^ set(theirs)) > 2 * limit:
                    continue
                if edit_distance(mine, theirs, limit) <= limit:
                    found.append(f'{source}: "{text}" ~ "{original}"')
    return found


@lru_cache(maxsize=None)
def training_sentences() -> Tuple[str, ...]:
    """The NLU examples and the crisis classifier's examples."""
    examples = crisis_examples(examples_path(CrisisClassifier.get_default_config()))
    return tuple(example.get("text") for example in load_data(str(TRAINING)).intent_examples) + tuple(
        examples["crisis"] + examples["not_crisis"]
    )


@lru_cache(maxsize=None)
def held_out_sets() -> Dict[str, List[str]]:
    """Every held-out or evaluation file's user sentences, by file."""
    sets = {"nlu_heldout.yml": [e.get("text") for e in load_data(str(TESTS / "nlu_heldout.yml")).intent_examples]}
    evaluation = yaml.safe_load((TESTS / "eval_conversations.yml").read_text("utf-8"))["conversations"]
    sets["eval_conversations.yml"] = [turn["user"] for c in evaluation for turn in c["turns"]]
    reader = YAMLStoryReader(Domain.load(str(PROJECT_ROOT / "domain.yml")))
    steps = reader.read_from_file(str(TESTS / "test_stories.yml"))
    sets["test_stories.yml"] = [
        event.text
        for step in steps
        for event in step.events
        if isinstance(event, UserUttered) and event.text and not event.text.startswith("/")
    ]
    for path in sorted(TESTS.glob("**/*.yml")):
        if path.name in sets or path.parent == TESTS:
            continue
        content = yaml.safe_load(path.read_text("utf-8")) or {}
        texts = [m["text"] for m in content.get("messages", [])] + list(content.get("help_requests", []))
        texts += [turn["user"] for c in content.get("conversations", []) for turn in c["turns"]]
        sets[str(path.relative_to(TESTS))] = texts
    return sets


def test_the_near_duplicate_check_finds_what_it_should():
    training = ["does kap help with anxiety", "how fast does it work for depression", "hi"]
    held_out = {
        "x": [
            "Does KAP help with anxiety?",
            "does kap help with panic",
            "how quickly does it work for depression",
            "does ketamine help with my panic",
            "how fast does it really work for severe depression",
            "hi there",
        ]
    }
    assert near_duplicates(training, held_out) == [
        'x: "Does KAP help with anxiety?" ~ "does kap help with anxiety"',
        'x: "does kap help with panic" ~ "does kap help with anxiety"',
        'x: "how quickly does it work for depression" ~ "how fast does it work for depression"',
        'x: "how fast does it really work for severe depression" ~ "how fast does it work for depression"',
    ]


@pytest.mark.parametrize("source", sorted(held_out_sets()))
def test_no_held_out_sentence_is_a_near_copy_of_a_training_sentence(source):
    found = near_duplicates(training_sentences(), {source: held_out_sets()[source]})
    assert not found, f"{len(found)} near-copies:\n" + "\n".join(found)
