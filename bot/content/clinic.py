"""The clinic's settings (clinic.yml): contact details and crisis resources.

They are kept apart from the curated answers because each clinic changes them, and the bot reads
them on every reply so that a change needs no retraining. The models below are the file's schema,
checked by pydantic so that a mistake is reported by field when the servers start (or, on a later
edit, logged) rather than found in a patient's reply; see bot/content/yaml_models.py.
"""

import logging
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

from pydantic import Field, conint, validator

from bot import PROJECT_ROOT
from bot.content.yaml_models import Model, Text, load_yaml

logger = logging.getLogger(__name__)

CLINIC_FILE = Path(os.environ.get("KAP_CLINIC_FILE", PROJECT_ROOT / "clinic.yml"))
# A whole number above zero, written as one (not "15", not true).
PositiveInt = conint(strict=True, gt=0)


class ClinicConfigError(ValueError):
    """clinic.yml is missing, unreadable, or lacks a field the bot needs."""


class Link(Model):
    """Something a phone can tap: a tel:, sms: or https: address and what it says."""

    label: Text
    href: Text

    @validator("href")
    def _tappable(cls, href: str) -> str:
        if not href.startswith(("tel:", "sms:", "https://")):
            raise ValueError("must start with tel:, sms: or https://")
        return href


class CrisisResource(Model):
    name: Text
    how: Text
    links: Tuple[Link, ...] = ()


class CrisisLines(Model):
    """The short crisis lines of one country (see clinic.yml, `crisis_lines`)."""

    help_line: Text
    reminder: Text
    poisoning: Text
    someone_else: Text


class CareTeam(Model):
    phone: Text
    email: Text
    hours: Text


class Clinic(Model):
    name: Text
    care_team: CareTeam
    country: Text
    crisis_resources: Dict[str, Tuple[CrisisResource, ...]]
    elsewhere: Text
    lines_by_country: Dict[str, CrisisLines] = Field(alias="crisis_lines")
    website_origins: Tuple[str, ...]
    max_message_chars: PositiveInt
    reply_timeout_seconds: PositiveInt
    retention_days: PositiveInt

    @validator("crisis_resources", "lines_by_country")
    def _covers_the_clinics_country(cls, by_country: Dict[str, Any], values: Dict[str, Any]) -> Dict[str, Any]:
        country = values.get("country")
        if country is not None and not by_country.get(country):
            raise ValueError(f"has no entry for the clinic's country ({country})")
        return by_country

    @validator("website_origins", each_item=True)
    def _an_origin(cls, origin: str) -> str:
        if not re.fullmatch(r"https?://[^/\s*]+", origin):
            raise ValueError(f"{origin!r} is not an origin like https://clinic.example")
        return origin

    @property
    def phone(self) -> str:
        return self.care_team.phone

    @property
    def email(self) -> str:
        return self.care_team.email

    @property
    def hours(self) -> str:
        return self.care_team.hours

    @property
    def lines(self) -> CrisisLines:
        """The crisis lines of the clinic's country."""
        return self.lines_by_country[self.country]

    def crisis_lines(self) -> str:
        """The crisis reply's resources: the clinic's country's, one per line, then one line for
        everyone else (the other countries' resources, and the local emergency number)."""
        home = [f"• {r.name}: {r.how}" for r in self.crisis_resources[self.country]]
        abroad = [
            f"{country}: " + ", ".join(f"{r.name}, {r.how}" for r in resources)
            for country, resources in self.crisis_resources.items()
            if country != self.country
        ]
        return "\n".join(home + [f"• Outside {self.country}: " + "; ".join(abroad + [self.elsewhere])])

    def template_values(self) -> Dict[str, str]:
        """Values for the {placeholders} of the domain's responses."""
        return {
            "clinic_name": self.name,
            "care_team_phone": self.phone,
            "care_team_email": self.email,
            "care_team_hours": self.hours,
            "crisis_resources": self.crisis_lines(),
            "crisis_help_line": self.lines.help_line,
            "crisis_reminder": self.lines.reminder,
            "crisis_poisoning": self.lines.poisoning,
            "crisis_someone_else": self.lines.someone_else,
        }

    def crisis_links(self) -> List[Dict[str, str]]:
        """The links of the clinic's country's resources, for the widget."""
        return [
            {"label": link.label, "href": link.href}
            for resource in self.crisis_resources[self.country]
            for link in resource.links
        ]


def load_clinic(path: Path = CLINIC_FILE) -> Clinic:
    """Read clinic.yml and check every field; the error names each one at fault."""
    return load_yaml(path, Clinic, ClinicConfigError)


_current: Dict[Path, Tuple[Tuple[int, int], Clinic]] = {}


def current_clinic(path: Path = CLINIC_FILE) -> Clinic:
    """The settings for the running servers: re-read only when the file changes.

    A bad edit while the servers run is logged and the last good settings stay in force, so that
    no patient (least of all one in crisis) is left without a reply. At start-up the servers use
    load_clinic(), which stops them on any fault.
    """
    path = Path(path)
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (0, 0)
    cached = _current.get(path)
    if cached and cached[0] == key:
        return cached[1]
    try:
        clinic = load_clinic(path)
    except ClinicConfigError:
        if cached is None:
            raise
        logger.error("%s has an error; keeping the last good settings.", path, exc_info=True)
        return cached[1]
    _current[path] = (key, clinic)
    return clinic
