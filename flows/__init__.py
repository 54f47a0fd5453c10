"""Prefect flows, one per file, thin: bootstrap → call ``regie.cycle`` → hand effects on.

Prefect is imported only inside this package, so CLI commands that run no flow stay fast. A
Regie error (a bad plan) is logged by Prefect's run engines in one line, without a traceback
(:mod:`flows._quiet`).
"""

from flows._quiet import quiet_regie_errors

quiet_regie_errors()
