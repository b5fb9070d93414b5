"""The spelling corrector in front of the n-gram classifiers (bot/nlu/spelling.py)."""

import pickle
import time

import pytest

from bot.nlu.spelling import SpellingCorrector, deletions, edit_distance

TRAINING = [
    "does KAP help with relapse",
    "can ketamine therapy help my anxiety",
    "anxiety and depression, does it work",
    "what about neuroplasticity",
    "is it effective for depression",
    "i am tired of living like this",
    "living with chronic pain",
]


@pytest.fixture(scope="module")
def corrector():
    return SpellingCorrector().fit(TRAINING)


@pytest.mark.parametrize(
    "a,b,distance",
    [
        ("relapse", "relapse", 0),
        ("relpase", "relapse", 1),
        ("lving", "living", 1),
        ("kitten", "sitting", 3),
        ("", "ab", 2),
    ],
)
def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit(a, b, distance):
    assert edit_distance(a, b) == distance


def test_deletions_include_the_word_and_each_letter_dropped():
    assert deletions("abc", 1) == {"abc", "bc", "ac", "ab"}


@pytest.mark.parametrize(
    "text,corrected",
    [
        ("relpase", "relapse"),
        ("Does it help ANXEITY?", "does it help anxiety?"),
        ("so tird of lving", "so tird of living"),
        ("i m tierd of lving", "i m tired of living"),
        ("neuroplastcity??", "neuroplasticity??"),
        ("depresssion", "depression"),
    ],
)
def test_unknown_words_become_the_nearest_training_word(corrector, text, corrected):
    assert corrector.transform([text]) == [corrected]


@pytest.mark.parametrize(
    "text",
    [
        "relapse",  # known
        "pain",  # known, short
        "tird",  # too short to correct
        "every1",  # digits are left alone
        "overd0sed",  # nor split off
        "焦虑有害吗",  # nor other scripts (Chinese is written without spaces)
        "a" * 1990,  # nor what is too long to be a word
        "bipolar",  # nothing close enough
        "ansiedad",  # another language
    ],
)
def test_known_short_or_unplaceable_words_are_left_as_they_are(corrector, text):
    assert corrector.transform([text]) == [text.lower()]


def test_a_long_run_of_letters_is_read_at_once(corrector):
    started = time.perf_counter()
    corrector.transform(["abcdefghijklmnopqrs " * 100, "x" * 1990])
    assert time.perf_counter() - started < 5.0


def test_the_stored_corrector_leaves_its_index_behind_and_rebuilds_it(corrector):
    corrector.transform(["relpase"])
    stored = pickle.dumps(corrector)
    assert pickle.loads(stored)._index is None
    assert pickle.loads(stored).transform(["relpase"]) == ["relapse"]
