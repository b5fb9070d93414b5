"""Splitting a message into its questions (bot/channels/questions.py)."""

import pytest

from bot.channels.questions import asks_a_question, split_questions


@pytest.mark.parametrize(
    "text, parts",
    [
        ("does it help with PTSD? also is it addictive", ["does it help with PTSD?", "is it addictive"]),
        ("does it calm anxiety? and also is ketamine addictive", ["does it calm anxiety?", "is ketamine addictive"]),
        (
            "how fast does it work and is it covered by insurance",
            ["how fast does it work", "is it covered by insurance"],
        ),
        ("does it calm anxiety, and what does a session cost", ["does it calm anxiety", "what does a session cost"]),
        ("what is KAP and how effective is it", ["what is KAP", "how effective is it"]),
        (
            "my cravings are bad, would kap help, also can i do it while pregnant",
            ["my cravings are bad, would kap help", "can i do it while pregnant"],
        ),
    ],
)
def test_two_questions_are_split_in_order(text, parts):
    assert split_questions(text) == parts


@pytest.mark.parametrize(
    "text, parts",
    [
        ("overthinking + cant decide anything", ["overthinking", "cant decide anything"]),
        ("anxity n overthinkin", ["anxity", "overthinkin"]),
        ("ptsd & alcohol", ["ptsd", "alcohol"]),
        ("how fast does it work n does insurance pay for it", ["how fast does it work", "does insurance pay for it"]),
        (
            "does kap help with cravings + can i still drink wine while doing it",
            ["does kap help with cravings", "can i still drink wine while doing it"],
        ),
    ],
)
def test_topics_or_questions_joined_by_a_sign_or_a_texting_n_are_split(text, parts):
    assert split_questions(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "me n my husband both have ptsd",
        "20 + years of depression",
        "ketamine + talk therapy = less depressed?? by how much",
        "my wife n I have been reading about ketamine assisted therapy for her trauma and for my drinking problem",
        # Found in review: a goodbye, a person, an interaction, names, a list of symptoms, a
        # question with a fragment, and more parts than are answered.
        "I'm sorry for everything + goodbye",
        "thank u for everything + goodbye",
        "i took 30 n feel sleepy",
        "my wife n I have ptsd",
        "can u take ssri n ketamine together",
        "is it safe with bipolar + lithium?",
        "pregnant + depressed, is it safe?",
        "ok but how fast n does insurance pay for it",
        "does Blue Cross & Blue Shield cover it?",
        "is there a Q & A session after?",
        "is Dr N Shah taking new patients?",
        "is ketamine plus therapy better than ketamine alone?",
        "cant sleep n cant eat n cant stop crying",
        "is it addictive? is it safe + does insurance cover it? also how much is it",
    ],
)
def test_a_sign_or_n_inside_a_statement_keeps_the_message_whole(text):
    assert split_questions(text) == [text]


@pytest.mark.parametrize(
    "text, parts",
    [
        ("chronic pain and how long do the effects last", ["chronic pain", "how long do the effects last"]),
        ("KAP for trauma, and is it covered by insurance?", ["KAP for trauma", "is it covered by insurance?"]),
        ("rumination? and what about cravings?", ["rumination?", "what about cravings?"]),
    ],
)
def test_a_topic_named_before_a_question_is_a_part_of_its_own(text, parts):
    assert split_questions(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "ketamine and is it safe?",
        "ketamine therapy and what does it cost?",
        "I took too many and what do I do",
        "bipolar? would it help me sleep",
        "neuroplasticity?? what does that even mean",
        # Found in review: a question that refers back, another drug, how the writer is.
        "social anxiety and can kap help",
        "nightmares and what does kap do for that",
        "esketamine and is it safe",
        "ketamin and is it safe",
        "feeling better already and how many sessions are left",
    ],
)
def test_the_therapy_a_statement_or_a_topic_the_question_is_about_stays_with_it(text):
    assert split_questions(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "does it help with anxiety and depression",
        "my wife has ptsd and also chronic pain, does KAP help either",
        "ptsd? cost?",
        '/feedback{"feedback_helpful": "no"}',
        "is it safe and effective",
        "my son has ADHD and can't focus at school, would ketamine therapy sort out his attention",
        "my husband drinks too much and is always angry at home",
        "does it work for patients who tried SSRIs and did not improve",
        "what about people who have depression and do not respond to antidepressants",
        "I've tried everything. Nothing works? Is this worth it? What are the odds? Who runs it?",
    ],
)
def test_one_question_or_a_long_story_stays_whole(text):
    assert split_questions(text) == [text]


@pytest.mark.parametrize(
    "text, parts",
    [
        ("hello! is it effective?", ["hello", "is it effective?"]),
        ("thx. one more, does it help with trust?", ["thx", "one more, does it help with trust?"]),
        ("thanks, bye!", ["thanks", "bye!"]),
        ("ok cheers, see ya", ["ok cheers", "see ya"]),
        ("does it calm anxiety? thank you so much!", ["does it calm anxiety?", "thank you so much"]),
        ("Hey! Does KAP help? And is it safe?", ["Hey", "Does KAP help?", "is it safe?"]),
    ],
)
def test_a_greeting_thanks_or_goodbye_set_off_by_punctuation_is_a_part_of_its_own(text, parts):
    assert split_questions(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "thanks",
        "hi there",
        "hey whats the success rate",
        "thanks for nothing",
        # Found in review: a goodbye or greeting around a statement may be a crisis message.
        "I'm sorry for everything. goodbye",
        "I've made my decision. thank you. goodbye",
        "Good evening. I am 79 and I have kept back enough of my tablets",
        "It did not help at all, thanks",
        "Cheers, mate",
    ],
)
def test_a_courtesy_alone_run_into_the_question_or_around_a_statement_stays_whole(text):
    assert split_questions(text) == [text]


def test_a_message_whose_part_is_a_crisis_gets_the_crisis_resources_from_the_safety_net():
    from bot.channels.screening import safety_net_reply

    reply = safety_net_reply("would it help if im giving up and is it covered by insurance")
    assert reply["utter_action"] == "utter_crisis"


@pytest.mark.parametrize(
    "text, asks",
    [
        ("Μπορεί να βοηθήσει στο άγχος; Δεν κοιμάμαι καλά.", True),
        ("هل يساعد في القلق؟", True),
        ("不安に効きますか？", True),
        ("how fast does it work", True),
        ("I feel low; nothing helps", False),
    ],
)
def test_a_question_is_seen_by_its_question_mark_in_any_script(text, asks):
    assert asks_a_question(text) is asks
