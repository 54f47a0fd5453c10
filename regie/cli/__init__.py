"""Entrypoint: the `regie` command line (typer). May import flows; nothing imports it."""

from regie.cli.app import app, main

__all__ = ["app", "main"]
