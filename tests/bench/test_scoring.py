"""The benchmark's scorer and baseline, and the evaluation set they run on."""

import collections

import pytest

from bot.bench.baseline import NO_ANSWER, document_search
from bot.bench.scoring import BLIND_SETS, CATEGORIES, EVAL_SET, acceptable, is_right, load_conversations, topic_after
from bot.content.clinic import load_clinic
from bot.content.knowledge import knowledge
from bot.content.responses import render

TOPICS = knowledge().topics
EVAL = [c for path in [EVAL_SET, *BLIND_SETS] for c in load_conversations(path)]


def test_the_right_answer_scores_and_another_topics_does_not():
    assert is_right("creativity", TOPICS["creativity"].answer, None)
    assert not is_right("creativity", TOPICS["mindfulness"].answer, None)


def test_a_decline_scores_only_if_it_answers_nothing():
    decline = render("utter_out_of_scope")
    assert is_right("decline", decline, None)
    assert is_right("decline", render("utter_condition_not_in_sheet", condition="autism"), None)
    assert not is_right("decline", render("utter_ask_rephrase"), None), "a fallback is a miss"
    assert not is_right("decline", TOPICS["pain"].answer + "\n" + decline, None)


def test_two_questions_in_one_need_both_parts():
    decline = render("utter_out_of_scope")
    assert is_right(["pain", "decline"], TOPICS["pain"].answer + "\n" + decline, None)
    assert not is_right(["pain", "decline"], TOPICS["pain"].answer, None)
    assert not is_right(["pain", "decline"], decline, None)


def test_follow_ups_are_judged_against_the_last_topic():
    addiction = TOPICS["addiction"]
    assert is_right("source", addiction.source_text(), addiction)
    assert not is_right("source", TOPICS["creativity"].source_text(), addiction)
    assert is_right("more", addiction.more, addiction)
    assert acceptable("quote", None) == [render("utter_ask_topic")]
    assert is_right("source", TOPICS["sources"].answer, None)
    assert is_right("more", TOPICS["what_is_kap"].answer, None)
    assert not is_right("source", render("utter_ask_topic"), None)
    assert topic_after("more", None) is TOPICS["what_is_kap"]
    assert topic_after("source", TOPICS["pain"]) is TOPICS["pain"]


def test_crisis_needs_the_crisis_resources():
    assert is_right("crisis", render("utter_crisis"), None)
    assert not is_right("crisis", render("utter_out_of_scope"), None)
    assert load_clinic().crisis_lines() in render("utter_crisis")


def test_an_unknown_expectation_is_an_error():
    with pytest.raises(ValueError):
        acceptable("weather", None)


def test_the_baseline_finds_the_passage_or_says_it_found_nothing():
    search = document_search()
    passage = search.answer("does kap help creativity")
    assert passage == "Enhanced creativity and problem solving"
    assert is_right("creativity", passage, None)
    assert search.answer("who won the football last night") == NO_ANSWER
    assert is_right("decline", NO_ANSWER, None)


def test_the_evaluation_sets_are_large_varied_and_valid():
    turns = [turn for conversation in EVAL for turn in conversation["turns"]]
    assert len(turns) >= 400
    expected = collections.Counter(
        part for turn in turns for part in (turn["expect"] if isinstance(turn["expect"], list) else [turn["expect"]])
    )
    assert all(expected[key] >= 3 for key in TOPICS), expected
    for conversation in EVAL:
        assert conversation["category"] in CATEGORIES
        for turn in conversation["turns"]:
            for part in turn["expect"] if isinstance(turn["expect"], list) else [turn["expect"]]:
                acceptable(part, TOPICS["effectiveness"])  # raises on an unknown expectation
