"""The one error type for a choice the data cannot answer."""


class SelectionError(ValueError):
    """A period, area or cohort that cannot be read, or that the dataset cannot answer for."""
