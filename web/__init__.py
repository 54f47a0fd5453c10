"""The web entrypoint: the ASGI app behind `regie serve` (feeds, office pages, answer links).

An entrypoint like :mod:`regie.cli`: it calls use cases in :mod:`regie` and renders Dutch Jinja2
templates; no SQL and no domain rules live here.
"""
