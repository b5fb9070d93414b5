"""Custom actions of the KAP FAQ assistant.

The knowledge and clinic.yml are checked when the action server starts, so that a mistake in
them stops it with an error naming the fault, rather than surfacing at a patient's question.
"""

from bot.content.clinic import load_clinic
from bot.content.knowledge import knowledge

load_clinic()
knowledge()
