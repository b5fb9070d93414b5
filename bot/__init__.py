"""Everything of the KAP FAQ assistant that is not a Rasa action: knowledge, settings, tooling."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
