"""Prefect flows, one per file, thin: bootstrap → call ``regie.cycle`` → hand effects on.

Prefect is imported only inside this package, so CLI commands that run no flow stay fast.
"""
