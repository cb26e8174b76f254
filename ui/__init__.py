"""Streamlit glue shared by app.py and every page, by job.

``state``: the dataset in use and the shared sidebar filters, checked once into a ``Selection``.
``widgets``: the page header, value cards, help, the legend and friendly errors.
``show``: charts (alt text, clicks that set the filters) and tables (with suppressed downloads).
"""
