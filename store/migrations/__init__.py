"""Alembic migrations (loaded by path, not imported). A package so that lint-imports checks
env.py too."""
