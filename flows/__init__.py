"""Prefect flows, one per file, thin: bootstrap → call ``regie.cycle`` → hand effects on.

Prefect is imported only inside this package, so CLI commands that run no flow stay fast. Bad
input (a plan's problems, a setting refused), the cycle lock held or a database not upgraded is
logged by Prefect's run engines in one line, without a traceback; anything else keeps its
traceback (:mod:`flows._quiet`).
"""

from flows._quiet import quiet_regie_errors

quiet_regie_errors()
