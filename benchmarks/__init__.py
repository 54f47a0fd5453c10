"""Benchmarks: run from the repository root, e.g. ``.venv/bin/python -m benchmarks.assessment``.

Speed targets live here, never as timed assertions in the test suite; see RESULTS.md.
"""
