"""Formats of a rendered agenda pack or progress report: HTML and Markdown from Jinja2
templates, PDF (WeasyPrint, from the HTML), DOCX (python-docx, from the Markdown), charts
(matplotlib). The content comes from :mod:`governance`; nothing here decides what goes on a pack.
"""
