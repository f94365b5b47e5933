"""sopgen: standard operating procedures as code.

Small YAML files describing roles and tasks become a training website, PDF
handbooks, checklists and onboarding guides. The core (loading, validating,
rendering) never imports MkDocs; the CLI and the MkDocs plugin are adapters.
"""

from __future__ import annotations

__version__ = "0.1.0"
