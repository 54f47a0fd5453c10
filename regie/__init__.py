"""Regie: run a programme's plan van aanpak from ``plan/actions.yaml``."""

__version__ = "0.1.0"
