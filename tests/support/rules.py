"""The rules of data/rules/, read by Rasa's own story reader."""

from functools import lru_cache
from typing import Dict, List, Set

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryStep

from bot import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


@lru_cache(maxsize=None)
def rule_steps() -> List[StoryStep]:
    """Every rule, each `or` alternative as a step of its own."""
    return YAMLStoryReader(DOMAIN).read_from_file(str(PROJECT_ROOT / "data" / "rules" / "rules.yml"))


def intents_leading_to(action: str, rule: str = "") -> Set[str]:
    """The intents of the rules (whose name starts with `rule`) that run `action`. Rasa splits a
    rule with `or` into several steps of the same name, so a rule is all the steps of its name."""
    by_rule: Dict[str, List[StoryStep]] = {}
    for step in rule_steps():
        by_rule.setdefault(step.block_name, []).append(step)
    found = set()
    for name, steps in by_rule.items():
        events = [event for step in steps for event in step.events]
        if name.startswith(rule) and any(isinstance(e, ActionExecuted) and e.action_name == action for e in events):
            found |= {e.intent_name for e in events if isinstance(e, UserUttered)}
    return found


def intents_in_rules() -> Set[str]:
    """Every intent some rule responds to."""
    return {e.intent_name for step in rule_steps() for e in step.events if isinstance(e, UserUttered)}
