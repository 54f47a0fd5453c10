"""Regie: run a programme from its plan, ``plan/actions.yaml``."""

__version__ = "0.1.0"
