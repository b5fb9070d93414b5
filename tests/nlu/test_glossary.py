"""The glossary that reads other languages' words as English before the intent model
(bot/nlu/glossary.py), and its data (data/languages/glossary.yml)."""

import pickle
import re
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Set

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot import PROJECT_ROOT
from bot.nlu.glossary import GLOSSARY_FILE, Glossary, found_inside_words, read_glossary

SMALL = {
    "languages": {
        "pt": {"depression": ["depressão", "depressao"], "work": ["funciona"], "what is": ["o que é"]},
        "es": {"anxiety": ["ansiedad"], "pain": ["dolor"]},
        "ru": {"depression": ["депресси"]},
        "zh": {"trauma": ["创伤"], "help": ["帮助"]},
        "ar": {"pain": ["ألم"]},
    },
    "prefixes": ["ال"],
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("glossary") / "glossary.yml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return Glossary(path=str(path)).fit([])


@pytest.mark.parametrize(
    "text,expected",
    [
        ("A terapia funciona pra depressão?", "a terapia work pra depression?"),
        ("o que é KAP?", "what is kap?"),
        # A stem of six letters or more matches the start of a word, inflected as it may be.
        ("Помогает ли при депрессии?", "помогает ли при depression?"),
        ("ansiedades y dolor", "anxiety y pain"),
        # Scripts without spaces are searched inside words; Arabic and Hebrew words after a prefix.
        ("这个治疗对创伤有帮助吗？", "这个治疗对 trauma 有 help 吗？"),
        ("هل يساعد على الألم المزمن؟", "هل يساعد على pain المزمن؟"),
    ],
)
def test_forms_of_other_languages_are_replaced_by_their_english_words(small, text, expected):
    assert small.transform([text]) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "does KAP help with depression and anxiety?",
        # A form of five letters or fewer is a whole word only: "dolorous" is not "dolor".
        "a dolorous, adolorado mood",
        "what is the 60-70 % figure from?",
    ],
)
def test_english_is_left_as_it_is(small, text):
    assert small.transform([text]) == [text.lower()]


def test_a_stem_must_end_inside_the_last_word_of_its_phrase(small):
    assert small.translate("ansiedad") == "anxiety"
    assert small.translate("ansied") == "ansied"


def test_the_glossary_is_stored_with_the_model(small):
    assert pickle.loads(pickle.dumps(small)).translate("dolor") == "pain"


# The glossary's data.

# Debian's English word list (the wamerican package, installed by `make system-packages`).
ENGLISH_WORDS = Path("/usr/share/dict/american-english")


@lru_cache(maxsize=None)
def english_vocabulary() -> Set[str]:
    """English words: Debian's word list and the English words of the NLU data (the other
    languages' examples left out)."""
    files = [path for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml") if path.name != "other_languages.yml"]
    listed = {word.lower() for word in ENGLISH_WORDS.read_text(encoding="utf-8").split() if word.isalpha()}
    return listed | {
        word
        for path in files
        for example in load_data(str(path)).intent_examples
        for word in re.findall(r"[a-z]+", example.get("text").lower())
    }


def glossary_forms():
    return [
        (language, english, form)
        for language, targets in read_glossary().items()
        for english, forms in targets.items()
        for form in forms
    ]


def test_the_glossary_has_many_languages_each_with_the_sheets_topics():
    glossary = read_glossary()
    assert len(glossary) >= 25
    for language, targets in glossary.items():
        assert {"what is", "depression", "anxiety", "trauma", "pain", "addiction"} <= set(targets), language
        for english, forms in targets.items():
            assert forms and all(isinstance(form, str) and form.strip() for form in forms), (language, english)


def test_each_form_has_one_english_reading():
    readings = defaultdict(set)
    for _, english, form in glossary_forms():
        readings[" ".join(form.lower().split())].add(english)
    assert {form: english for form, english in readings.items() if len(english) > 1} == {}


def test_no_form_rewrites_an_english_word():
    """An English word in a patient's question must reach the intent model as written: no form
    equals one, and no stem begins one, unless it reads as that very word."""
    glossary = Glossary(path=str(GLOSSARY_FILE)).fit([])
    rewritten = {
        word: glossary.translate(word)
        for word in english_vocabulary()
        if glossary.translate(word) != word and word not in glossary.translate(word).split()
    }
    assert rewritten == {}


def test_no_form_is_made_of_english_words_only():
    """ "insurance cover" or "cam on" would swallow an English question's words."""
    english = english_vocabulary()
    assert [form for _, _, form in glossary_forms() if all(word in english for word in form.lower().split())] == []


@pytest.mark.parametrize(
    "text,expected",
    [
        # Arabic and Hebrew forms follow a prefix, never sit inside another word.
        ("هل يساعد على الألم المزمن؟", "pain"),
        ("الممرضة قالت", None),
        ("זה בעיקר לגבי", None),
        # Korean forms start a word; particles follow.
        ("우울증에 도움이 되나요?", "depression"),
        ("끊임없이 걱정돼요", "anxiety"),
    ],
)
def test_forms_of_scripts_with_prefixes_and_particles(text, expected):
    glossary = Glossary(path=str(GLOSSARY_FILE)).fit([])
    translated = glossary.translate(text)
    if expected is None:
        assert not re.search(r"[a-z]", translated), translated
    else:
        assert expected in translated, translated


def test_a_very_long_word_is_read_in_a_moment():
    glossary = Glossary(path=str(GLOSSARY_FILE)).fit([])
    started = time.perf_counter()
    glossary.translate("a" * 100_000)
    assert time.perf_counter() - started < 1.0


def test_scripts_searched_inside_words():
    assert found_inside_words("创伤") and found_inside_words("うつ病") and found_inside_words("ซึมเศร้า")
    assert not any(map(found_inside_words, ["депрессия", "depressão", "الألم", "우울증", "דיכאון"]))
