"""The crisis safety net: crisis language always wins, other questions are left alone.

The held-out sets of tests/safety/ were written apart from the patterns and the training data
(by a helper who read only the source document): the patterns must catch every crisis message
of them and raise at most 1 % false alarms on the harmless ones.
"""

import re
import unicodedata

import pytest
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT
from bot.bench.crisis_sets import CRISIS_SETS, HARMLESS_SETS, load_messages
from bot.nlu.crisis_guard import CrisisGuard
from bot.nlu.crisis_patterns import CrisisPatterns, crisis_patterns, phrases_regex
from tests.support.pipeline import component_config

PATTERNS = crisis_patterns()


def training_examples():
    """(intent, text) of every training example in data/nlu/, read by Rasa's own loader."""
    importer = TrainingDataImporter.load_from_dict(training_data_paths=[str(PROJECT_ROOT / "data" / "nlu")])
    return [(m.get("intent"), m.get("text")) for m in importer.get_nlu_data().intent_examples]


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "i feel suicidal tonight",
        "honestly i just wanna die",
        "I'm so tired of being alive",
        "there's no way out for me",
        "I wish I could disappear for good",
        "I took too many of my pills an hour ago",
        "been self harming again",
        "kms lol no but seriously kms",
        "how effective is KAP? i keep thinking about suicide",
        "does ketamine therapy work fast? i dont want to be alive anymore",
        "everyone would be better off without me",
        "what's a lethal dose of tylenol",
        # Found in review of the patterns widened this round (missed at first).
        "disappointed I'm still alive",
        "i'm disappointed i'm still here",
        "disappointed to wake up again",
        "I'm going through with it tonight",
        "I'm going to go through with it tonight",
        "I can't keep myself safe tonight",
        "im on the train tracks rn",
        "I'm on the roof of my building",
        "the gun's on my bed",
        "he was talking about jumping into the river tonight",
        "my friend was talking about jumping on the tracks on his livestream",
        "I'm just taking up space in this world",
        "I should've died back then",
        "I posted my goodbye on instagram",
        "I want the pain to end for good",
        "they won't have to worry about me for much longer",
        "thinking of catchin the bus tonight",
        "necked a whole bottle of my mum's pills",
        "self h@rm again tonight",
        "I keep praying for God to take me",
        "my next attempt is planned for friday",
        "nothing is working, I'm ready to go",
        "necked 2 boxes of paracetamol",
        "Wrote my will, gave my cat to my neighbor, picked the day. Can your clinic help?",
        "I've started slamming my hand in doors when the anxiety gets too much",
        "I deliberately slammed my own finger in a door to feel pain",
        "did a bad thing to my arm with a compass in maths class",
        "my kids deserve a better dad, they'd do better with me gone",
        "Tonight feels like the night I finally go through with it",
        # From set 15 and patient set 9, missed before the sixth round.
        "how long does it take to bleed out from your wrist",
        "would a belt hold my weight",
        "planning my exit",
        "i'm losing my will to live",
        "last night i stood on the bridge for a really long time",
        # Found in review of the patterns widened on set 15's misses (missed at first).
        "I know exactly what I'd take",
        "how many of my pills would put me in a coma",
        "my son drank some windshield wiper fluid",
        "my toddler got into my ketamine",
        "i ate mushrooms from the yard and now i'm throwing up",
        "i took my warfarin twice and now I'm bleeding",
        "how long does it take to bleed to death",
        "would this belt hold my weight if I tie it to the door",
        "will the closet rod hold my weight",
        "how high would a fall need to be to die",
        "i measured how high my balcony is and it's enough",
        "you'll never hear from me again",
        "by the time you read this i'll be gone",
        "i'm checking out for good",
        "I've lost the will to live",
        "i have no will to live",
        "god please take me",
        "i feel like dying every day",
        "i'm not going to make it through tonight",
        "I stood on the bridge for ages last night",
        "i stood at the edge of the bridge for a long time",
    ],
)
def test_crisis_language_is_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "do I need to take all the sessions?",
        "can I jump from one topic to another",
        "my back is killing me",
        "bored to death in the waiting room",
        "is this cutting-edge research?",
        "dead tired after work, does KAP help with fatigue?",
        "I could murder a pizza",
        "what dose of ketamine is used in KAP?",
        # Found in review of the patterns widened on set 9's misses: a clinic's everyday questions.
        "My daughter was unresponsive to three SSRIs, could KAP help her?",
        "I emailed the clinic twice and they are unresponsive",
        "my husband won't wake up early enough for a 7am appointment",
        "Can I lower the dose so I don't wake up groggy the next day?",
        "is there a dose where you don't come back from the k-hole?",
        "do you know what a large amount of ketamine does to the bladder?",
        "would a few drinks kill me after my session lol",
        "Will KAP reopen my old wounds from childhood trauma?",
        "I accidentally poured hot water on my hand making tea",
        "after sessions I just want to throw myself down on the bed",
        "My therapist says I'm ready to go ahead with KAP",
        "talking about death is easier since my sessions",
        "If my session ends at 11, I'll be checking out.",
        "I stopped breathing exercises",
        "she took the pills and is breathing fine now",
        # Found on blind set 6: "odd" was read as "OD'd".
        "Odd thing for a drug-based therapy to claim to fix",
        "that's odd, does KAP help with anxiety?",
        # Found in review of the patterns widened on set 12.
        "ready to go back to work, I can't stand another day stuck at home",
        "thinking only of death metal concerts",
        "we only think about death when someone close passes",
        "better if I die my hair",
        "better if i am dead tired",
        "staff cuts to cope with the budget",
        "sword stuff",
        "I'm done w everything on the intake form",
        "I take 12 supplement capsules at once each morning",
        "my mum has to take 20 mg tablets at once",
        "I took the tablets for the whole pack like my GP said",
        # Checked with the patterns widened on set 14's misses.
        "I'm on the top floor of the building.",
        "I'm on the top floor of the parking garage, where is the clinic entrance?",
        "I'm in the woods with my rifle, deer season!",
        "I want this pain to stop permanently, can KAP help chronic pain?",
        "tried everything, nothing works, I'm ready to go to the clinic tomorrow",
        "I'm calling my family to say goodbye before I move abroad",
        "my kids keep talking about jumping on the trampoline",
        "thanks, you won't have to worry about me anymore, I found a therapist",
        "I feel like I'm just taking up space in meetings",
        "my uncle shot himself in the foot with that investment",
        "I broke my diet on purpose for my birthday",
        "the ending of the film has a lethal dose of irony",
        "I still cut my hair myself",
        "I sometimes cut class",
        "I'm going to do something stupid tonight like eat a whole pizza",
        "I put cream on my hands until they stop bleeding",
        # Checked with the patterns widened on the development sets' misses.
        "I've set a date for the wedding, can I start KAP before?",
        "it's time for me to go to bed",
        "ok it's time for me to go, thanks for the info",
        "I should have died laughing at that show",
        "I pray every night that God takes care of my son",
        "we'd be fine with me gone for a week",
        "I'm ready to go but I can't do another day of waiting for an appointment",
        "is one glass of wine enough to kill the effect of ketamine?",
        "what's the least painful way to get a tattoo",
        "I took more than prescribed of my vitamins, is that bad?",
        "the gym session was brutal, I punched the bag till my arms gave out",
        "my daughter slammed her hand in the car door",
        "I told my students to remember me when they're famous",
        "I posted a goodbye to my old job on linkedin",
        "tell my mum I'm sorry I missed her call",
        "this is it, bye for now",
        "I don't trust myself to make decisions",
        "I left the knife for when I decide to carve the turkey",
        "I picked the date for my first session.",
        "charcoal and tape are on my shopping list for the bbq",
        "I can't see myself being around this job much longer",
        "my laptop shuts down for good every time it overheats",
        "I know how much it takes to run a clinic",
        "the meds were taken on purpose in the morning",
        "I want to kill me some time this weekend with a good book",
        # Found in review of the patterns widened this round (matched at first).
        "I don't trust myself to be safe to drive home after the session, is there a ride service?",
        "I'm on the roof of the parking garage now, which entrance is the clinic?",
        "I'm nervous about my first KAP session today, but I'll go through with it",
        "I was disappointed I woke up during the session, I thought I'd sleep through the infusion",
        "the side effects of my SSRI don't seem worth living with, would KAP be better?",
        "running out of reasons to stay on my current meds",
        "I slammed my hand in the car door yesterday, can I still do my session?",
        "I did bad things to my body with alcohol for years, does KAP help with drinking?",
        "the doctors said I should have died in that crash, now I have PTSD nightmares, can KAP help?",
        "who looks after the kids with me gone during the treatment?",
        "what's the least painful drug to take for migraines?",
        "I took a box of my antidepressants on holiday and forgot to take them, can I still start KAP?",
        "I took a pack of my meds to the clinic",
        "I have my next attempt at the insurance appeal on Monday",
        "we were talking about jumping straight to KAP instead of another SSRI",
        "Booked my first session, I picked the day.",
        "we picked the date!",
        "I still cut and paste my journal into the app",
        "I'm going to do something stupid tonight: karaoke",
        "my son's nerf gun is on my bed",
        "my dad hunts, he shot himself in the leg with the same rifle years ago, now PTSD",
        "I'm on the top floor of the parking garage now, where is the clinic entrance?",
        "I'm on the top floor of the building now.",
        "I'm in the woods with my rifle now, deer season!",
        # Checked with the patterns widened on set 15's misses.
        "I know exactly what I'd take to the beach",
        "we worked out how much of the medication I'd need for the trip",
        "my pharmacist is holding on to my prescriptions for a reason, the insurance hasn't cleared",
        "can anesthesia put someone into a coma",
        "does ketamine put you into a coma",
        "my cat ate some mushrooms I found in the garden, is she ok",
        "I took double my vitamins this morning",
        "how long does it take for a cut to stop bleeding",
        "how high does a bridge need to be for boats to pass",
        "will this belt hold my weight on the climbing wall",
        "I'm just gonna jump in and book a session",
        "looking at tall buildings makes me dizzy, is that anxiety?",
        "I measured how high my balcony is for the new plants",
        "my plan is to do it after the holidays, start KAP I mean",
        "I'm going through with the plan to try KAP",
        "planning my exit from my job, will KAP help with the stress?",
        "I'm checking out soon, the hotel is lovely",
        "you won't hear from me again until next week, thanks",
        "by the time anyone reads this review the clinic will have moved",
        "sorry in advance for all my questions, I made up my mind to try KAP",
        "I updated my will last year, and my dog is my best friend",
        "I feel like dying my hair all the time",
        "we stood on the bridge for a long time watching the sunset",
        # Found in review of the patterns widened on set 15's misses (matched at first).
        "I'm pricing out how much ketamine I'd need for the full course, what does it cost?",
        "I've been holding on to my old prescriptions for a reason: I want to show the doctor what didn't work",
        "can carbon monoxide kill you in your sleep? we're getting a detector for the hotel room",
        "my son ate the medicine the doctor gave him without complaining",
        "my daughter swallowed her vitamins without water",
        "he takes lithium twice a day and gets dizzy, is KAP safe for him?",
        "my dad took double his blood pressure meds by mistake last month and felt dizzy, should he mention it?",
        "I ate some mushrooms I found at the farmers market and felt sick after, can I still do KAP?",
        "my dog cut his paw, how long until he could bleed out?",
        "will this rope hold my weight?",
        "how tall does the roof have to be to make sure snow slides off?",
        "my son was just gonna jump off the diving board",
        "where do I park? I keep looking at the top floor of the garage and it's full",
        "I'm going to check out soon, can I leave my bag at reception?",
        "you won't hear from me again this week",
        "sorry in advance for the typo, I've made up my mind.",
        "I've got it all planned out, I just have to pick the day for my first session",
        "my plan is to do it when my husband goes back to work, the KAP session I mean",
        "I'm planning an exit",
        "by the time you read this I'll probably be too late for my appointment",
        "I want to say I love you and goodbye to my mom before she goes into hospice, any grief support at the clinic?",
        "I made my will after Dad died and gave away the dog to my sister because of my allergies",
        "I keep asking God to take me back to the days before my divorce",
        "I feel like dying all the time with these migraines, does ketamine help migraines?",
        "losing the will to live through another meeting lol, how long is a KAP session?",
        "I stood on the bridge for a long time and watched the boats",
    ],
)
def test_everyday_idioms_and_questions_are_not_a_crisis(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text,poisoning,someone_else",
    [
        ("i want to die", False, False),
        ("i swallowed a whole bottle of my sleeping pills", True, False),
        ("my son said he wants to die", False, True),
        ("my wife took a bunch of her pills, she won't wake up", True, True),
        ("my brother died last year and i want to die too", False, False),
        ("i think my friend wants to kill himself", False, True),
        ("will 20 ibuprofen kill me", True, False),
        ("is there a dose of ketamine where you just don't come back?", True, False),
        ("mixed K and alcohol at a party and my mate is unresponsive on the floor", True, True),
        ("my boyfriend took pills and is now unresponsive", True, True),
        ("he's not breathing", True, True),
        ("I keep reopening my old scars with my nails", False, False),
        ("if I'm in the other 30% I'm checking out", False, False),
    ],
)
def test_the_signal_tells_a_poisoning_and_who_is_at_risk(text, poisoning, someone_else):
    signal = PATTERNS.find(text)
    assert (signal.poisoning, signal.someone_else) == (poisoning, someone_else)


def test_every_pattern_says_what_it_catches():
    for entry in PATTERNS.sources["crisis"]:
        assert entry.get("catches", "").strip(), entry["regex"]
        assert entry.get("kind") in (None, "poisoning"), entry


def test_every_held_out_crisis_message_is_caught():
    messages = load_messages(CRISIS_SETS)
    assert len(messages) >= 150
    missed = [(m["set"], m["text"]) for m in messages if PATTERNS.find(m["text"]) is None]
    assert not missed


def test_held_out_harmless_messages_raise_at_most_one_percent_false_alarms():
    messages = load_messages(HARMLESS_SETS)
    assert len(messages) >= 300
    alarms = [(m["set"], m["text"]) for m in messages if PATTERNS.find(m["text"]) is not None]
    assert len(alarms) <= 0.01 * len(messages), alarms


def test_every_crisis_training_example_is_caught():
    crisis = [text for intent, text in training_examples() if intent == "crisis"]
    assert len(crisis) >= 100
    assert not [text for text in crisis if PATTERNS.find(text) is None]


def test_no_other_training_example_is_mistaken_for_a_crisis():
    others = [text for intent, text in training_examples() if intent != "crisis"]
    assert len(others) > 700
    assert not [text for text in others if PATTERNS.find(text) is not None]


def make_message(text, intent, confidence):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}, {"name": "crisis", "confidence": 0.01}])
    return message


def test_the_component_overrides_a_fallback_with_full_confidence():
    guard = CrisisGuard(component_config(CrisisGuard))
    (message,) = guard.process([make_message("is KAP good if i want to die", "nlu_fallback", 0.6)])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "crisis" and [r["name"] for r in ranking].count("crisis") == 1


def test_the_component_passes_the_signal_on_as_entities_for_the_slots():
    guard = CrisisGuard(component_config(CrisisGuard))
    (message,) = guard.process([make_message("my dad swallowed all his pills", "ask_addiction", 0.7)])
    entities = {e["entity"]: e["value"] for e in message.get("entities")}
    assert entities == {"crisis_subject": "someone_else", "crisis_kind": "poisoning"}


def test_the_component_leaves_other_messages_alone():
    guard = CrisisGuard(component_config(CrisisGuard))
    (message,) = guard.process([make_message("does KAP help anxiety", "ask_anxiety", 0.9)])
    assert message.get("intent") == {"name": "ask_anxiety", "confidence": 0.9}
    assert not message.get("entities")


def test_a_broken_pattern_is_reported_by_name(tmp_path):
    bad = tmp_path / "patterns.yml"
    bad.write_text("crisis:\n  - {catches: x, regex: '(unclosed'}\nsubjects: {self: i, someone_else: he}\n", "utf-8")
    with pytest.raises(ValueError, match="unclosed"):
        CrisisPatterns.load(bad)


@pytest.mark.parametrize(
    "text",
    [
        "ya no quiero vivir, estoy cansada de todo",
        "me quiero morir esta noche",
        "mi novio dice que se quiere matar",
        "tomé todas mis pastillas hace una hora",
        "não quero mais viver, ninguém se importa",
        "je n'ai plus envie de rien, je veux mourir",
        "manchmal will ich mich umbringen",
        "stasera voglio farla finita",
        "ayoko na mabuhay",
        "bas ab jeena nahi chahta",
        "chcę umrzeć",
        "我真的想死",
    ],
)
def test_crisis_language_in_other_languages_is_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "no quiero vivir con esta ansiedad, la ketamina ayuda?",
        "quiero saber cuánto cuesta una sesión",
        "não quero viver com dor crônica, isso ajuda?",
        "je veux savoir si ça marche pour la dépression",
        "ich will wissen, ob es bei Angst hilft",
        "voglio sapere se funziona",
        "matar el tiempo en la sala de espera",
        "me voy a morir de risa con este video",
        "想死你了，下周见",
    ],
)
def test_everyday_questions_in_other_languages_are_not_a_crisis(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "本当に死にたいです",
        "요즘 너무 죽고 싶어요",
        "tôi muốn chết lắm rồi",
        "artık ölmek istiyorum",
        "ik wil niet meer leven",
        "मैं मरना चाहता हूँ",
        "gusto ko nang mamatay talaga",
        "on chce się zabić, co robić",
        "mi hermana dice que quiere matarse",
        "my roommate took a bunch of pills and i cant wake her up",
    ],
)
def test_crisis_language_in_more_languages_and_an_unwakeable_friend_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "ketamin terapisi depresyon için işe yarıyor mu?",
        "is KAP goed voor angst?",
        "I can't wake him up for school in the mornings, he's a teenager",
        "liệu pháp ketamine có giúp giảm lo âu không?",
    ],
)
def test_questions_in_more_languages_and_sleepy_teenagers_are_not_a_crisis(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # The words of each language rather than one phrasing (widened on sets 20 and 21).
        "creo que voy a morir esta noche, ya no aguanto",
        "mi hermano se va a matar, ayuda",
        "quería saber cuántas pastillas son una dosis letal",
        "tenho vontade de me cortar de novo",
        "mon frère a avalé toute la boîte de cachets",
        "j'ai écrit une lettre d'adieu à ma fille",
        "Ich habe heute wieder an Selbstmord gedacht",
        "ab welcher Menge ist Ketamin tödlich",
        "я хочу убить себя",
        "他吃了很多安眠药，叫不醒",
        "自分を傷つけたい、リスカが止まらない",
        "mwen vle mouri",
        "nataka kufa leo",
        "به خودکشی فکر می‌کنم",
        "я не хочу больше жить",
        "він каже, що застрелиться",
        "se cortó las venas anoche",
        "intiharı düşünüyorum",
        "creo que moriré esta noche",
        # English slang and hints.
        "gonna rope tonight",
        "just want to go to sleep forever and not deal with any of it",
        "switching off for good tonight",
        "if I take the whole bottle at once will it kill me",
        "how do I hide my cuts in PE",
        "my sister passed out after using and won't respond",
        "took way more than my dose and my chest hurts",
        "they'd be better off with the life insurance than with me",
        "i keep thinking about crashing my car into the barrier",
        "this is my last post, love you all",
        "i w4nt t0 d13",
    ],
)
def test_crisis_words_in_other_languages_slang_and_hints_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "me corto el pelo mañana antes de la sesión",
        "How many people died in the Great Fire of London?",
        "we need to cut dead wood from the schedule",
        "I overdosed the soup on salt",
        "I'd rather die than watch that film again",
        "I'm going to log off for good from Facebook",
        "Ist Ketamin gefährlich? Ich frage für meine Mutter",
        # Found by the review of the words of other languages: fear of dying, grief, idioms and
        # ordinary medication questions.
        "Tengo miedo a morir, ¿la terapia con ketamina ayuda?",
        "J'ai peur de mourir, est-ce que la KAP aide?",
        "Ich habe Angst vor dem Sterben, hilft KAP?",
        "Ho paura di morire, la KAP aiuta?",
        "Tenho medo de morrer, KAP ajuda?",
        "Я боюсь умереть, поможет ли KAP?",
        "Mi padre acaba de morir, ¿la ketamina ayuda con el duelo?",
        "有没有我能参加的疗程？",
        "هل يمكن أن أحضر بدون من يرافقني؟",
        "أموت من الضحك",
        "Как покончить с депрессией?",
        "Est-ce qu'on peut en finir avec la dépression grâce à la KAP?",
        "Ich habe eine Ritze in der Wand",
        "Me cortei fazendo comida",
        "Mi taglio la barba",
        "É melhor sem ele na sessão?",
        "Tôi bị cắt tay khi nấu ăn",
        "早上孩子叫不醒，是抑郁吗？",
        "ابني لا يستيقظ مبكرا",
        "Je prends des somnifères, est-ce compatible avec la kétamine?",
        "Ist Ketamin tödlich?",
        "我每天吃安眠药，可以做氯胺酮治疗吗？",
        "수면제를 먹고 있는데 괜찮나요?",
        "睡眠薬を飲んでいますが大丈夫ですか",
        "Tôi đang uống thuốc ngủ, có sao không?",
        "هل حبوب الاكتئاب تتعارض مع الكيتامين؟",
        "ابتلع الحبة",
    ],
)
def test_idioms_near_the_new_patterns_are_not_a_crisis(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I was suicidal about ten years ago but I'm in a good place now. Does KAP help anxiety?",
        "My aunt died by suicide when I was a kid; I've been doing well for years. How fast does KAP work?",
        "I self-harmed in high school. I haven't self-harmed since. Is KAP good for self-compassion?",
    ],
)
def test_a_crisis_told_as_a_past_episode_that_is_over_is_read_as_past(text):
    assert PATTERNS.find(text).in_the_past


@pytest.mark.parametrize(
    "text",
    [
        "I was suicidal ten years ago and lately it's coming back",
        "I attempted suicide when I was 17. I'm doing well but I want to die again",
        "I self-harmed in high school and I'm doing it again tonight",
        "I was suicidal ten years ago",
        "I want to kill myself",
        # Found by the review of the rule: a present crisis beside a past one, or hollow "over"s.
        "Years ago I lost my job, now I want to die, though I'm doing ok at work",
        "When I was a kid I was bullied and now I think about suicide; I'm fine, just asking if KAP helps",
        "I overdosed years ago. I feel fine about going through with it this weekend",
        "I overdosed when I was 19. I'm ok. Tomorrow I finish what I started",
        "I attempted suicide years ago and I'm doing well, but on Friday I'm going to do it properly",
        "I tried to kill myself years ago and I haven't had a good day since",
        "I attempted suicide years ago. I no longer feel anything.",
        "I self-harmed in high school. I'm doing well on paper. Where is the nearest tall building?",
        "I self-harmed as a kid. I'm so good at pretending everything is normal.",
        "I tried to kill myself when I was 16, I'm doing well now on paper but I have the pills ready",
    ],
)
def test_a_crisis_that_is_back_or_not_said_to_be_over_is_not_past(text):
    assert not PATTERNS.find(text).in_the_past


def test_a_past_episode_that_is_over_gets_the_check_in_with_its_question():
    guard = CrisisGuard(component_config(CrisisGuard))
    message = make_message("I was suicidal years ago, I'm doing well now. Does KAP help anxiety?", "ask_anxiety", 0.9)
    message.set("crisis_score", 0.3)
    (message,) = guard.process([message])
    assert message.get("intent")["name"] == "crisis_check"
    assert {e["entity"]: e["value"] for e in message.get("entities")} == {"checked_question": "ask_anxiety"}


def test_a_past_episode_the_classifier_is_sure_of_still_gets_the_crisis_reply():
    guard = CrisisGuard(component_config(CrisisGuard))
    message = make_message("I was suicidal years ago, I'm doing well now. Does KAP help anxiety?", "ask_anxiety", 0.9)
    message.set("crisis_score", 0.85)
    (message,) = guard.process([message])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}


def test_a_crisis_phrase_found_only_once_a_question_is_split_off_gets_the_crisis_reply():
    guard = CrisisGuard(component_config(CrisisGuard))
    text = "goodbye world and how fast does kap work"
    assert PATTERNS.find(text) is None and PATTERNS.find_in_message(text) is not None
    (message,) = guard.process([make_message(text, "ask_speed", 0.9)])
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}


@pytest.mark.parametrize(
    "text",
    [
        "mi hermano se tomó todas sus pastillas",
        "engoliu todos os comprimidos da avó",
        "il a avalé une boîte de cachets",
        "mia figlia ha ingoiato tutte le compresse",
        "sie hat alle ihre Tabletten geschluckt",
        "wzięła wszystkie tabletki mamy",
    ],
)
def test_an_overdose_told_in_the_third_person_in_other_languages_is_a_poisoning(text):
    assert PATTERNS.find(text).poisoning


@pytest.mark.parametrize(
    "text", ["tomo muchas pastillas para la presión", "trago muchas pastillas al día, ¿afecta a la ketamina?"]
)
def test_pills_taken_every_day_in_other_languages_are_not_an_overdose(text):
    assert PATTERNS.find(text) is None


def test_a_sentence_that_opens_with_feeling_is_the_writers_own():
    assert not PATTERNS.find("feeling very suisidle and alone, is there a number to call").named_only
    assert PATTERNS.find("is The Virgin Suicides a good read?").named_only


# The ninth round: phrase lists in 48 languages, and English hints from set 23's misses.


@pytest.mark.parametrize(
    "text",
    [
        "আমি আর বাঁচতে চাই না",
        "Mi sono tagliata di nuovo stasera",
        "мій брат хоче накласти на себе руки",
        "もう消えてしまいたい",
        "waxaan doonayaa inaan is dilo",
        "yaar aaj kal marne ka mann karta hai",
        "Θέλω να πεθάνω",
        "aku ingin bunuh diri",
        "vreau să mor",
        "meg akarok halni",
        "chci umřít",
        "jag vill dö",
        "haluan kuolla",
        "אני רוצה למות",
        "ฉันอยากตาย",
        "I keep pressing lit cigarettes into my arm",
        "is 40 ambien enough",
        "the only option I can see is dying",
        "i just want to turn off the lights for good",
        "I've made my decision and I feel very calm now",
    ],
)
def test_crisis_phrases_of_more_languages_and_hints_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "are 10 sessions enough",
        "is 50 mg enough for a first session",
        "I've made my decision and I feel calm about starting KAP",
        "please turn off the lights in the waiting room",
        "I binge-watched so much I overdosed on true crime",
        # English words that begin like a phrase of another language ("suicida").
        "I'm a nurse asking about suicidal ideation research",
    ],
)
def test_near_misses_of_the_ninth_round_are_not_caught_by_its_patterns(text):
    ninth = [
        pattern
        for pattern, entry in zip(PATTERNS.crisis, PATTERNS.sources["crisis"], strict=True)
        if "phrases" in entry
    ]
    assert ninth and not [pattern for pattern, _, _ in ninth if pattern.search(text)]
    if "suicidal" not in text:
        assert PATTERNS.find(text) is None


def test_no_pattern_catches_the_everyday_phrases_listed_beside_the_phrase_lists():
    never = [
        text for entry in PATTERNS.sources["crisis"] for texts in entry.get("never", {}).values() for text in texts
    ]
    assert len(never) >= 200
    assert [text for text in never if PATTERNS.find(text) is not None] == []


def test_a_list_of_phrases_is_one_regular_expression_shaped_as_a_tree():
    phrases = {"it": ["voglio morire", "voglio morire adesso", "voglio sparire", "uccidermi"], "ja": ["死にたい"]}
    regex = re.compile(phrases_regex(phrases), re.IGNORECASE)
    assert regex.pattern == r"\b(?:uccidermi|voglio\s+(?:morire(?:\s+adesso)?|sparire))|死にたい"
    assert regex.search("Voglio   morire") and regex.search("もう死にたいです") and regex.search("uccidermi")
    # Latin letters from the start of a word only; any ending.
    assert not regex.search("nonuccidermi") and regex.search("voglio morirei")


@pytest.mark.parametrize(
    "text",
    [
        # Found by the review of the ninth round: a crisis now beside the same words told as past.
        "I overdosed in my mid twenties; I've healed. I overdosed last night",
        "I wanted to kill myself in my late teens; I've healed. I want to kill myself",
        "I wanted to kill myself in my early twenties; it's long behind me. tbh I want to kill myself",
        "I cut myself in my teens, clean 2 days, the urge is unbearable",
    ],
)
def test_a_crisis_repeated_now_after_a_past_one_is_not_past(text):
    assert not PATTERNS.find(text).in_the_past


@pytest.mark.parametrize("text", ["tôi muốn chết", "chci umřít", "Θέλω να πεθάνω", "ÖLMEK İSTİYORUM"])
def test_accents_typed_as_letters_of_their_own_are_read_as_one(text):
    assert PATTERNS.find(unicodedata.normalize("NFD", text)) is not None


@pytest.mark.parametrize(
    "text",
    [
        "¿Cuál es tu satisfacción con la terapia?",
        "made my decision and I'm so relieved to start KAP next week",
        "I should just die my hair blue",
        "the only option left is death metal",
        "I turned the lights off for good in the old office",
        "Jag vill dö av skratt",
        "vreau să mor de râs",
        "quiero acabar con mi vida de soltero",
        "Voglio sparire per sempre dai social",
        "mi sono tagliata di nuovo i capelli",
    ],
)
def test_idioms_found_by_the_review_of_the_ninth_round_are_not_a_crisis(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # The eleventh round, on the kinds of set 25's misses (then a development set).
        "tapping out for good tonight. it's been a long run",
        "checking out early, permanently",
        "game over for me in real life",
        "goodbye forever",
        "I'm leaving for good.",
        "time for me to disappear once and for all",
        "removing myself would be the kindest thing for everyone",
        "at least my kids could collect the life insurance and pay off the house",
        "I've worked out how to solve the problem, and the problem is me",
        "ready to return my body to sender",
        "soon people will talk about me in the past tense",
        "time to close the final chapter on my story",
        "I don't have anyone left to live for",
        "my brother keeps saying he wants to rot away",
        "it's time for me to be with my mum again, she died in 2019",
        "cut way too deep this time",
        "i cut my arms again and again",
        "I scratch my legs until they bleed",
        "which cleaning products are lethal if you swallow them",
        "how many sleeping pills would I not wake up from",
        "if I mix them will I fade away and never wake back up",
        "I keep staring at my dad's shotgun",
        "staring into the medicine cabinet, counting what's there",
        "stuck in this and there's only one way out left",
        "my battery is dead and I'm not going to recharge it",
        "scuicide is all i think about",
        "Tonight I end everything",
        "Мой брат наглотался таблеток",
    ],
)
def test_crisis_metaphors_and_hints_of_the_eleventh_round_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I'm logging off for tonight, bye!",
        "I'm leaving for good next month, moving to Spain",
        "I'm quitting for good, no more cigarettes",
        "goodbye forever, plastic straws",
        "I'm removing myself from the mailing list",
        "my phone battery is at 5%, I'll charge it when I'm home",
        "looking at the rifle range schedule for Saturday",
        "is my life insurance affected if I have KAP?",
        "after the last dose will my low mood come back?",
        "the building only has one exit, is it accessible?",
        "I cut my hand opening a tin, nothing serious",
        "This is my final message, thanks for answering all my questions!",
        "I jumped off the cliff in Minecraft by accident lol",
        "What's the overdose risk with ketamine at a clinic?",
    ],
)
def test_near_misses_of_the_eleventh_round_are_not_caught(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I'm an actor playing a character who self-harms. How do I portray it with care?",
    ],
)
def test_a_mention_on_stage_is_in_a_frame(text):
    assert PATTERNS.find(text).named_only and PATTERNS.in_a_frame(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 5 years sober after an overdose in 2019. Is KAP safe for me?",
        "My client has a past history of self-harm but is stable now. Can I refer her?",
    ],
)
def test_a_past_overdose_or_self_harm_that_is_over_is_read_as_past(text):
    assert PATTERNS.find(text).in_the_past


@pytest.mark.parametrize(
    "text",
    [
        # Found by the review of the eleventh round: its exemptions must not lose these.
        "this is my last message. thanks for the help. goodbye",
        "final words - thank you for all your help",
        "I'm an overdose risk tonight",
        "I want to jump off a bridge, in real life not in a game",
        "Removing myself from everyone's life permanently is the only answer",
        "they'd collect my life insurance and be better off",
        "Tomorrow I'll finish everything.",
        "I keep staring at my dad's guns",
        "я выпила слишком много снотворного",
        "Я прийняла занадто багато таблеток",
    ],
)
def test_crisis_messages_near_the_eleventh_round_exemptions_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I'm leaving for good, this Discord server is toxic",
        "If insurance won't cover KAP it's game over for me",
        "When arguments escalate I remove myself and go for a walk",
        "I can get my life insurance through work, does it cover KAP?",
        "Is the numbness going to fade away after the session?",
        "Today I finish everything on my to-do list and then I'm off on holiday",
        "I'm looking at a new rifle for deer season",
        "I keep counting my tablets to fill my weekly pill organiser",
        "My phone battery won't charge, sorry if I drop off the chat",
        "Can ketamine kill you if you take it with alcohol?",
        "Time to close the book on my story with alcohol, KAP here I come",
        "This is my last message, thank you!",
    ],
)
def test_harmless_messages_near_the_eleventh_round_patterns_are_not_caught(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I'm 3 years sober with a history of suicide attempts and I want to kill myself",
        "I'm 2 years clean, history of self-harm and I cut myself badly, there's so much blood",
    ],
)
def test_a_present_crisis_beside_years_sober_is_not_past(text):
    assert not PATTERNS.find(text).in_the_past


@pytest.mark.parametrize(
    "text", ["Actor here. suicidal again", "Actress. 34. Suicidal.", "I was in a play last week. Suicidal since."]
)
def test_an_actor_in_crisis_is_not_read_as_a_mention_on_stage(text):
    assert not PATTERNS.in_a_frame(text)


@pytest.mark.parametrize(
    "text",
    [
        "please help me i'm not safe",
        "Honestly I don't feel safe with myself tonight",
        "im standing on the overpass by the highway",
        "I'm at the bridge near the station",
        "my brother says he wishes he were dead",
        "how much morphine before it's deadly for an adult",
        "what dose of tylenol kills someone",
        "searched for the highest parking garage downtown",
        "this is my final log off",
        "my dad is unconscious and there are empty pill packets on the floor",
    ],
)
def test_crisis_messages_of_the_fifteenth_round_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        # Found by the review of the fifteenth round: near misses of its patterns.
        "Am I not safe to drive home after a session?",
        "I'm not safe alone after ketamine, is that a clinic rule?",
        "im not safe by myself after the session right? who should pick me up",
        "I'm not safe, according to my GP, because of my blood pressure",
        "I'm on a bridge call for work, can I ask quickly",
        "I'm on the Brooklyn Bridge walking to my appointment",
        "I'm at a rooftop bar, does ketamine mix with alcohol?",
        "I'm at the bridge club on Thursdays, can sessions be on Fridays?",
        "the amount of paperwork kills me, is there an online form?",
        "The amount of stress at my job is deadly, does KAP help burnout?",
        "Will I be unconscious during KAP? Should I bring my pill bottles?",
        "I looked up the highest parking garage rates near you",
        "this is my last log off today, thanks",
        "This is my final log off tonight, talk tomorrow",
        "my phone is gonna go die, quick question",
        "Sometimes I wish they were dead, my abusers. Is that normal with PTSD?",
        "I'm scared of what I'll do wrong in the first session",
        "I wish he was here to see me get better",
    ],
)
def test_harmless_messages_near_the_fifteenth_round_patterns_are_not_caught(text):
    assert PATTERNS.find(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I had an overdose in 2018 and I've been sober ever since. Can I still do KAP?",
        "Overdosed once back in college, been in recovery ever since, is KAP for me?",
    ],
)
def test_a_past_overdose_with_recovery_since_is_read_as_past(text):
    assert PATTERNS.find(text).in_the_past


@pytest.mark.parametrize(
    "text",
    [
        # Found by the review of the fifteenth round: an overdose now must never be softened.
        "my husband might've died of an overdose, what number do I call",
        "I think my son just died of an overdose, he's cold, please help",
        "my boyfriend almost died of an overdose, he's barely breathing",
        "I overdosed in 2019 and I've been sober ever since, but I just bought a bag and I'm about to use it all",
    ],
)
def test_an_overdose_happening_now_beside_a_past_one_is_not_past(text):
    assert not PATTERNS.find(text).in_the_past


@pytest.mark.parametrize(
    "text",
    ["my heart won't stop racing", "can't breathe properly", "i'm so dizzy", "i threw up twice, lips going blue"],
)
def test_symptoms_after_an_overdose_are_told(text):
    assert PATTERNS.tells_a_symptom(text)


@pytest.mark.parametrize(
    "text",
    [
        # Questions about KAP after an overdose conversation, from the review of the fifteenth round.
        "will I feel dizzy after a ketamine session?",
        "do people pass out on ketamine?",
        "does KAP help with panic attacks where my heart is racing?",
        "I can't feel my emotions anymore, does KAP help numbness?",
        "I can't stand up for myself",
        "my body feels heavy with depression",
        "everything is moving so fast in my life",
        "I'm shaking with excitement to start!",
    ],
)
def test_questions_and_everyday_words_are_not_symptoms(text):
    assert not PATTERNS.tells_a_symptom(text)


@pytest.mark.parametrize(
    "text",
    [
        "je vais mettre fin à ma vie ce soir",
        "j'ai envie de me donner la mort",
        "elle veut s'ôter la vie",
        "mettre un terme à mes jours",
    ],
)
def test_french_words_of_the_sixteenth_round_are_caught(text):
    assert PATTERNS.find(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        # Found by the review of the sixteenth round.
        "Est-ce que la thérapie met fin à la dépression ?",
        "je veux mettre fin à ma vieille dépendance à l'alcool",
        "mettre fin à mes journées passées au lit, c'est possible ?",
        "la kétamine peut-elle mettre fin à ma vie de couple compliquée ?",
        "Vou tomar todos os remédios como prescrito antes da sessão?",
        "Je vais prendre tous mes médicaments comme d'habitude le jour de la séance ?",
    ],
)
def test_french_and_portuguese_questions_near_the_sixteenth_round_are_not_caught(text):
    assert PATTERNS.find(text) is None
