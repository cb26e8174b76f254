"""What each explorer page shows, one module per page (named as its file in ``pages/``).

Each module has one function taking the checked ``Selection`` and returning a typed, frozen
dataclass of small sorted Polars frames and plain values ready to draw. No Streamlit here.
"""
