"""The settings config.yml gives a component of the NLU pipeline, over the component's defaults."""

from typing import Any, Dict

import yaml

from bot import PROJECT_ROOT


def component_config(component: type) -> Dict[str, Any]:
    """What Rasa hands the component: its defaults, then its entry of config.yml's pipeline."""
    pipeline = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text("utf-8"))["pipeline"]
    (entry,) = [step for step in pipeline if step["name"].endswith(f".{component.__name__}")]
    return {**component.get_default_config(), **{k: v for k, v in entry.items() if k != "name"}}
