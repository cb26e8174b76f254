"""Issue 26, item 4: a filter a link asks for that cannot be shown is named, with why and what is shown."""

from __future__ import annotations

from iro_metrics.area_answers import dropped_filter_notes

YEARS = ["2022-23", "2023-24", "2024-25"]
AREAS = ["East Kent", "North Kent", "West Kent"]


def _notes(**asked) -> list[str]:
    base = {"asked_year": None, "years": YEARS, "asked_areas": [], "known_areas": AREAS, "visible_areas": AREAS}
    return dropped_filter_notes(**{**base, **asked})


def test_a_year_the_data_does_not_cover_names_the_span_and_the_year_shown():
    assert _notes(asked_year="1999-00") == [
        "The link asked for the year 1999-00, but this dataset covers 2022-23 to 2024-25 only, "
        "so the latest year, 2024-25, is shown instead."
    ]


def test_an_area_not_in_the_data_is_named_and_the_whole_council_shown():
    assert _notes(asked_areas=["Nowhere"]) == [
        "The link asked for the area Nowhere, but there is no area of that name in this dataset, "
        "so the whole council (all areas) is shown instead."
    ]


def test_an_east_kent_viewer_asking_for_north_kent_is_told_their_role_and_what_is_shown():
    notes = _notes(asked_areas=["North Kent", "East Kent"], visible_areas=["East Kent"])
    # North Kent exists but is not theirs; East Kent is kept, so East Kent is what they see
    assert notes == [
        "The link asked for the area North Kent, but your role lets you see East Kent and the council total "
        "only, so East Kent is shown instead."
    ]


def test_filters_that_can_be_shown_say_nothing():
    assert _notes(asked_year="2023-24", asked_areas=["North Kent", "West Kent"]) == []
    assert _notes() == []  # nothing asked: nothing to say
