"""The clinic's settings (clinic.yml): contact details and crisis resources.

They are kept apart from the curated answers because each clinic changes them, and the bot reads
them on every reply so that a change needs no retraining.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

from bot import PROJECT_ROOT

logger = logging.getLogger(__name__)

CLINIC_FILE = Path(os.environ.get("KAP_CLINIC_FILE", PROJECT_ROOT / "clinic.yml"))


class ClinicConfigError(ValueError):
    """clinic.yml is missing, unreadable, or lacks a field the bot needs."""


@dataclass(frozen=True)
class Link:
    """Something a phone can tap: a tel:, sms: or https: address and what it says."""

    label: str
    href: str


@dataclass(frozen=True)
class CrisisResource:
    name: str
    how: str
    links: Tuple[Link, ...] = ()


@dataclass(frozen=True)
class CrisisLines:
    """The short crisis lines of the clinic's country (see clinic.yml, `crisis_lines`)."""

    help_line: str
    reminder: str
    poisoning: str
    someone_else: str


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    email: str
    hours: str
    country: str
    crisis_resources: Dict[str, Tuple[CrisisResource, ...]]
    elsewhere: str
    lines: CrisisLines
    website_origins: Tuple[str, ...]
    max_message_chars: int
    reply_timeout_seconds: int
    retention_days: int

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


def _text(mapping: Any, field: str, where: str) -> str:
    value = mapping.get(field) if isinstance(mapping, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise ClinicConfigError(f"{where}: '{field}' must be a non-empty text")
    return " ".join(value.split())


def _origins(raw: Dict[str, Any], where: str) -> Tuple[str, ...]:
    origins = raw.get("website_origins")
    if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
        raise ClinicConfigError(f"{where}: 'website_origins' must be a list of origins")
    for origin in origins:
        if origin == "*" or not re.fullmatch(r"https?://[^/\s*]+", origin):
            raise ClinicConfigError(f"{where}: website_origins: {origin!r} is not an origin like https://clinic.example")
    return tuple(origins)


LINK_SCHEMES = ("tel:", "sms:", "https://")


def _links(entry: Any, where: str) -> Tuple[Link, ...]:
    links = entry.get("links", []) if isinstance(entry, dict) else []
    if not isinstance(links, list):
        raise ClinicConfigError(f"{where}: 'links' must be a list of {{label, href}}")
    checked = []
    for i, link in enumerate(links):
        label, href = _text(link, "label", f"{where}: links[{i}]"), _text(link, "href", f"{where}: links[{i}]")
        if not href.startswith(LINK_SCHEMES):
            raise ClinicConfigError(f"{where}: links[{i}]: 'href' must start with tel:, sms: or https://")
        checked.append(Link(label, href))
    return tuple(checked)


def _crisis_lines(raw: Dict[str, Any], country: str, where: str) -> CrisisLines:
    lines = (raw.get("crisis_lines") or {}).get(country) if isinstance(raw.get("crisis_lines"), dict) else None
    where = f"{where}: crisis_lines: {country}"
    return CrisisLines(*(_text(lines, field, where) for field in ("help_line", "reminder", "poisoning", "someone_else")))


def _positive_int(raw: Dict[str, Any], field: str, where: str) -> int:
    value = raw.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ClinicConfigError(f"{where}: '{field}' must be a positive whole number")
    return value


def load_clinic(path: Path = CLINIC_FILE) -> Clinic:
    """Read clinic.yml and check every field; the error names the one at fault."""
    try:
        raw = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ClinicConfigError(f"cannot read {path}: {error}") from error
    if not isinstance(raw, dict):
        raise ClinicConfigError(f"{path}: expected a mapping of settings")
    care_team = raw.get("care_team")
    country = _text(raw, "country", str(path))
    resources = raw.get("crisis_resources")
    if not isinstance(resources, dict) or not isinstance(resources.get(country), list) or not resources[country]:
        raise ClinicConfigError(
            f"{path}: 'crisis_resources' must list, by country, the resources of the clinic's country ({country})"
        )
    return Clinic(
        name=_text(raw, "name", str(path)),
        phone=_text(care_team, "phone", f"{path}: care_team"),
        email=_text(care_team, "email", f"{path}: care_team"),
        hours=_text(care_team, "hours", f"{path}: care_team"),
        country=country,
        crisis_resources={
            name: tuple(
                CrisisResource(
                    _text(r, "name", f"{path}: crisis_resources: {name}[{i}]"),
                    _text(r, "how", f"{path}: crisis_resources: {name}[{i}]"),
                    _links(r, f"{path}: crisis_resources: {name}[{i}]"),
                )
                for i, r in enumerate(entries if isinstance(entries, list) else [None])
            )
            for name, entries in resources.items()
        },
        elsewhere=_text(raw, "elsewhere", str(path)),
        lines=_crisis_lines(raw, country, str(path)),
        website_origins=_origins(raw, str(path)),
        max_message_chars=_positive_int(raw, "max_message_chars", str(path)),
        reply_timeout_seconds=_positive_int(raw, "reply_timeout_seconds", str(path)),
        retention_days=_positive_int(raw, "retention_days", str(path)),
    )


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
