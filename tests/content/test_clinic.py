"""clinic.yml is checked at start-up; a bad field is named in the error."""

import pytest

from bot.content.clinic import ClinicConfigError, current_clinic, load_clinic

VALID = """
name: Test Clinic
care_team: {phone: "+1 555 0100", email: care@example.org, hours: weekdays}
country: the US
crisis_resources:
  the US:
    - {name: Lifeline, how: call 988}
  UK:
    - {name: Samaritans, how: call 116 123}
elsewhere: "elsewhere: your local emergency number"
crisis_lines:
  the US:
    help_line: In crisis? Call 988.
    reminder: Still struggling? Call 988.
    poisoning: Call Poison Control now.
    someone_else: If someone you know is in danger, contact
website_origins: [https://clinic.example]
max_message_chars: 2000
reply_timeout_seconds: 15
retention_days: 30
"""


def write(tmp_path, text):
    path = tmp_path / "clinic.yml"
    path.write_text(text, "utf-8")
    return path


def test_the_shipped_configuration_has_the_us_crisis_defaults():
    lines = load_clinic().crisis_lines()
    for needle in ("988", "911", "HOME to 741741", "Outside the US", "116 123"):
        assert needle in lines


def test_the_shipped_crisis_links_are_tappable_numbers():
    hrefs = [link["href"] for link in load_clinic().crisis_links()]
    assert {"tel:988", "sms:988", "tel:911", "sms:741741?&body=HOME"} <= set(hrefs)


def test_the_shipped_crisis_lines_name_the_numbers():
    lines = load_clinic().lines
    assert "988" in lines.help_line and "988" in lines.reminder
    assert "911" in lines.poisoning and "1-800-222-1222" in lines.poisoning
    assert lines.someone_else.startswith("If someone you know is in danger")


def test_a_valid_file_fills_the_response_placeholders(tmp_path):
    values = load_clinic(write(tmp_path, VALID)).template_values()
    assert values["care_team_phone"] == "+1 555 0100"
    assert values["crisis_resources"] == (
        "• Lifeline: call 988\n"
        "• Outside the US: UK: Samaritans, call 116 123; elsewhere: your local emergency number"
    )


@pytest.mark.parametrize(
    "broken,field",
    [
        (VALID.replace('phone: "+1 555 0100", ', ""), "care_team.phone: field required"),
        (VALID.replace("name: Test Clinic", "name: ''"), "clinic.yml: name: must not be empty"),
        (
            VALID.replace("{name: Lifeline, how: call 988}", "{name: Lifeline}"),
            "crisis_resources.the US[0].how: field required",
        ),
        (
            VALID.replace("country: the US", "country: France"),
            "crisis_resources: has no entry for the clinic's country \\(France\\)",
        ),
        (VALID.replace("country: the US\n", ""), "clinic.yml: country: field required"),
        (
            VALID.replace("    reminder: Still struggling? Call 988.\n", ""),
            "crisis_lines.the US.reminder: field required",
        ),
        (
            VALID.replace(
                "{name: Lifeline, how: call 988}",
                "{name: Lifeline, how: call 988, links: [{label: x, href: 'javascript:alert(1)'}]}",
            ),
            "crisis_resources.the US[0].links[0].href: must start with tel:",
        ),
        (
            VALID.replace('elsewhere: "elsewhere: your local emergency number"', ""),
            "clinic.yml: elsewhere: field required",
        ),
        (VALID.replace("[https://clinic.example]", "['*']"), "website_origins[0]: '\\*' is not an origin"),
        (
            VALID.replace("[https://clinic.example]", "[clinic.example/page]"),
            "website_origins[0]: 'clinic.example/page' is not an origin",
        ),
        (
            VALID.replace("max_message_chars: 2000", "max_message_chars: lots"),
            "max_message_chars: value is not a valid integer",
        ),
        (
            VALID.replace(
                "{name: Lifeline, how: call 988}",
                "{name: Lifeline, how: call 988, link: [{label: Call, href: 'tel:988'}]}",
            ),
            "crisis_resources.the US[0].link: extra fields not permitted",
        ),
        ("just text", "expected a mapping"),
        ("name: [unclosed", "cannot read"),
    ],
)
def test_a_bad_field_is_named(tmp_path, broken, field):
    with pytest.raises(ClinicConfigError, match=field.replace("[", r"\[").replace("]", r"\]")):
        load_clinic(write(tmp_path, broken))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ClinicConfigError, match="cannot read"):
        load_clinic(tmp_path / "absent.yml")


def test_a_bad_edit_while_running_keeps_the_last_good_settings(tmp_path):
    path = write(tmp_path, VALID)
    assert current_clinic(path).phone == "+1 555 0100"
    path.write_text(VALID.replace('phone: "+1 555 0100", ', "") + "\n# edited\n", "utf-8")
    assert current_clinic(path).phone == "+1 555 0100"
    path.write_text(VALID.replace("+1 555 0100", "+1 555 0199") + "\n# fixed\n", "utf-8")
    assert current_clinic(path).phone == "+1 555 0199"
