"""What clinic.yml and the knowledge files have in common: pydantic models that report bad fields.

Those files are edited by hand, often by people who do not program, so every error names the file
and the field at fault ("clinic.yml: care_team.phone: field required"), and all of them at once,
instead of showing a traceback. pydantic 1 (the version Rasa 3.6 pins).
"""

from pathlib import Path
from typing import Any, Callable, Iterator, Tuple, Type, TypeVar, Union

import yaml
from pydantic import BaseModel, Extra, ValidationError
from pydantic.validators import strict_str_validator

M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    """Read-only once loaded. A nested model that is already validated is kept, not copied. An
    unknown field is an error: a misspelt key ("link:" for "links:") must not silently drop what
    it was meant to set, such as the crisis lines' tap-to-call links."""

    class Config:
        frozen = True
        copy_on_model_validation = "none"
        extra = Extra.forbid


class Text(str):
    """Text that is not empty. Each run of white space becomes one space, including the line
    breaks of folded YAML."""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], str]]:
        yield strict_str_validator
        yield cls.one_line

    @classmethod
    def one_line(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        return value


def load_yaml(path: Path, model: Type[M], error: Type[ValueError], **extra: Any) -> M:
    """The model of a YAML mapping, plus the `extra` fields. Raises `error` naming the file and
    each field that is at fault."""
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as cause:
        raise error(f"cannot read {path}: {cause}") from cause
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping of fields")
    try:
        return model.parse_obj({**data, **extra})
    except ValidationError as invalid:
        raise error("\n".join(f"{path}: {_field(e['loc'])}{e['msg']}" for e in invalid.errors())) from invalid


def _field(loc: Tuple[Union[int, str], ...]) -> str:
    """('crisis_resources', 'the US', 0, 'how') becomes 'crisis_resources.the US[0].how: '."""
    name = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc if part != "__root__")
    return f"{name.lstrip('.')}: " if name else ""
