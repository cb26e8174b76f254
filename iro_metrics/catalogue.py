"""Read the indicator catalogue (catalogue.toml): titles, units, definitions and judgement rules."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from iro_metrics import codes
from iro_metrics.formatting import change_text, value_text
from iro_metrics.indicator_registry import QA_LEVELS, qa_indicator_id, survey_indicator_id, survey_responses_id
from iro_metrics.indicators.themes import find_indicator_id

DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.toml")
CATALOGUE_FILE = "catalogue.toml"  # the name of a council's own overrides in a dataset folder

DECIMALS: dict[str, int] = {"count": 0, "pct": 1, "per_100": 1, "fte": 1, "per_fte": 2}
UNIT_LABELS: dict[str, str] = {
    "count": "number",
    "pct": "%",
    "per_100": "per 100 reviews",
    "fte": "FTE",
    "per_fte": "children per FTE",
}
THEMES: dict[str, str] = {
    "workload": "Workload",
    "reviews": "Reviews",
    "quality": "Quality assurance",
    "challenge": "Challenge",
    "views": "Children's views",
}
_FIELDS = ("title", "kind", "unit", "polarity", "target", "floor", "headline", "definition", "decomposed")
_DECOMPOSED_KEYS = ("count", "title", "volume", "complement")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used."""


@dataclass(frozen=True)
class DecomposedCount:
    """A count that is a volume times a rate, read off a rate indicator's numerator and denominator
    (an entry's ``decomposed``): the Compare page splits its change into a volume and a rate effect.

    ``complement`` counts the cases *not* in the numerator (for example inadequate grades are all
    grades less the adequate ones).
    """

    count: str
    title: str
    rate_indicator: str
    volume_title: str
    complement: bool = False


@dataclass(frozen=True)
class IndicatorMeta:
    """What an indicator is called, what it means and how to judge it."""

    id: str
    title: str
    theme: str
    kind: str
    unit: str
    polarity: str
    definition: str
    target: float | None = None
    floor: float | None = None
    headline: bool = False
    decomposed: DecomposedCount | None = None

    @property
    def decimals(self) -> int:
        return DECIMALS.get(self.unit, 1)

    @property
    def is_rate(self) -> bool:
        """True for percentages, whose changes are in percentage points."""
        return self.unit == "pct"


class Catalogue:
    """Every indicator's metadata, in catalogue order, including the QA and survey families."""

    def __init__(self, entries: dict[str, IndicatorMeta], templates: dict[str, dict[str, Any]]):
        self._entries = entries
        self._templates = templates
        self._questions: dict[str, IndicatorMeta | None] = {}  # survey questions, once worked out

    def __getitem__(self, indicator: str) -> IndicatorMeta:
        meta = self.get(indicator)
        if meta is None:
            raise KeyError(f"'{indicator}' is not an indicator in the catalogue")
        return meta

    def __contains__(self, indicator: object) -> bool:
        return isinstance(indicator, str) and self.get(indicator) is not None

    def get(self, indicator: str) -> IndicatorMeta | None:
        if indicator in self._entries:
            return self._entries[indicator]
        if indicator not in self._questions:  # a page asks about each id once per area
            self._questions[indicator] = self._survey_question(indicator)
        return self._questions[indicator]

    def ids(self) -> list[str]:
        """Every fixed and family indicator id (survey questions only as the data supplies them)."""
        return list(self._entries)

    def headline_ids(self) -> list[str]:
        return [i for i, m in self._entries.items() if m.headline]

    def decomposed_counts(self) -> list[DecomposedCount]:
        """The count each entry with ``decomposed`` splits into volume and rate, in catalogue order."""
        return [m.decomposed for m in self._entries.values() if m.decomposed is not None]

    def order(self, indicators: list[str]) -> list[str]:
        """Sort ids into catalogue order; unknown ids go last, alphabetically."""
        position = {i: n for n, i in enumerate(self._entries)}
        return sorted(indicators, key=lambda i: (position.get(i, len(position)), i))

    def _survey_question(self, indicator: str) -> IndicatorMeta | None:
        template = self._templates.get("survey_yes")
        parts = find_indicator_id(indicator)
        if template is None or parts is None or parts.family != "survey_question":
            return None
        survey, question = str(parts.survey), str(parts.question)
        text = codes.label(codes.SURVEY_QUESTIONS, question)
        label = text[:1].upper() + text[1:]  # not .capitalize(): it lowercases "IRO" and "Pledge"
        meta = _from_template(indicator, template, label=label, survey_label=codes.SURVEYS[survey])
        polarity = template.get("polarity_by_question", {}).get(question)
        return replace(meta, polarity=polarity) if polarity else meta


def _from_template(indicator: str, template: dict[str, Any], **labels: str) -> IndicatorMeta:
    fields = {k: template[k] for k in _FIELDS if k in template}
    for key in ("title", "definition"):
        fields[key] = fields[key].format(**labels)
    if "decomposed" in fields:
        fields["decomposed"] = {
            k: v.format(**labels) if isinstance(v, str) else v for k, v in fields["decomposed"].items()
        }
    return _meta(indicator, fields)


def _meta(indicator: str, fields: dict[str, Any]) -> IndicatorMeta:
    """An entry's metadata; its theme is the registry's (the theme module that computes it)."""
    parts = find_indicator_id(indicator)
    if parts is None:
        raise CatalogueError(
            f"indicator '{indicator}' is not one the code computes (iro_metrics/indicator_registry.py)"
        )
    if fields.get("theme", parts.theme) != parts.theme:
        raise CatalogueError(f"indicator '{indicator}': its theme is {parts.theme}, not {fields['theme']}")
    missing = [k for k in ("title", "kind", "unit", "polarity", "definition") if k not in fields]
    if missing:
        raise CatalogueError(f"indicator '{indicator}' has no {', '.join(missing)}")
    if fields["unit"] not in DECIMALS:
        raise CatalogueError(f"indicator '{indicator}': unit '{fields['unit']}' is not one of {', '.join(DECIMALS)}")
    if fields["polarity"] not in ("higher", "lower", "none"):
        raise CatalogueError(f"indicator '{indicator}': polarity must be higher, lower or none")
    for key in ("target", "floor"):
        if fields.get(key) is not None and not isinstance(fields[key], int | float):
            raise CatalogueError(f"indicator '{indicator}': {key} must be a number")
    return IndicatorMeta(
        id=indicator,
        title=fields["title"],
        theme=parts.theme,
        kind=fields["kind"],
        unit=fields["unit"],
        polarity=fields["polarity"],
        definition=fields["definition"],
        target=float(fields["target"]) if fields.get("target") is not None else None,
        floor=float(fields["floor"]) if fields.get("floor") is not None else None,
        headline=bool(fields.get("headline", False)),
        decomposed=_decomposed(indicator, fields),
    )


def _decomposed(indicator: str, fields: dict[str, Any]) -> DecomposedCount | None:
    """An entry's ``decomposed = { count, title, volume, complement }``: a rate's count, split."""
    spec = fields.get("decomposed")
    if spec is None:
        return None
    if not isinstance(spec, dict) or {"count", "title", "volume"} - set(spec) or set(spec) - set(_DECOMPOSED_KEYS):
        raise CatalogueError(
            f"indicator '{indicator}': decomposed takes {', '.join(_DECOMPOSED_KEYS)} (complement optional)"
        )
    if fields["unit"] not in ("pct", "per_100"):
        raise CatalogueError(f"indicator '{indicator}': only a percentage or a rate per 100 can be decomposed")
    return DecomposedCount(spec["count"], spec["title"], indicator, spec["volume"], bool(spec.get("complement", False)))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        raise CatalogueError(f"{path}: cannot be read ({err.strerror})") from err
    except tomllib.TOMLDecodeError as err:
        raise CatalogueError(f"{path}: is not valid TOML ({err})") from err


def load_catalogue(path: Path | str | None = None, overrides: Path | str | None = None) -> Catalogue:
    """The catalogue from ``path`` (default: the shipped one), with a council's ``overrides``.

    ``overrides`` may be a catalogue.toml holding only the fields a council changes, e.g.
    ``[indicator.reviews_on_time_pct] target = 98``; a dataset folder may hold one.
    """
    if path is None and overrides is None:
        return _default_catalogue()
    raw = _read(Path(path) if path else DEFAULT_CATALOGUE)
    if overrides is not None and Path(overrides).exists():
        extra = _read(Path(overrides))
        for section in ("indicator", "template"):
            for key, fields in extra.get(section, {}).items():
                if "decomposed" in fields:  # the Compare page's counts are the code's, the same for every council
                    raise CatalogueError(f"{overrides}: [{section}.{key}] may not set decomposed")
                raw.setdefault(section, {}).setdefault(key, {}).update(fields)
        if "indicator_overrides" in extra:
            raw["indicator_overrides"] = extra["indicator_overrides"]
    return _build(raw)


@cache
def _default_catalogue() -> Catalogue:
    return _build(_read(DEFAULT_CATALOGUE))


def catalogue_for(dataset_path: Path | str | None) -> Catalogue:
    """The catalogue with the overrides in a dataset folder's catalogue.toml, if it has one."""
    if dataset_path is None:
        return _default_catalogue()
    own = Path(dataset_path) / CATALOGUE_FILE
    return load_catalogue(overrides=own) if own.exists() else _default_catalogue()


def _build(raw: dict[str, Any]) -> Catalogue:
    """Fixed entries as written; the QA and survey-response families made from their templates,
    one entry per code-list item and survey, with ids from the indicator registry."""
    entries: dict[str, IndicatorMeta] = {}
    templates = raw.get("template", {})
    for indicator, fields in raw.get("indicator", {}).items():
        parts = find_indicator_id(indicator)
        if parts is not None and parts.family != "fixed":
            # One entry per id: a family's entries come from its template only.
            raise CatalogueError(
                f"indicator '{indicator}' belongs to the {parts.family} family: set it in its [template] instead"
            )
        entries[indicator] = _meta(indicator, fields)
    # QA pairs read better side by side: item by item, adequate then good (the registry's order).
    qa: dict[str, IndicatorMeta] = {}
    for item, item_label in codes.QA_ITEMS.items():
        for level in QA_LEVELS:
            template = templates.get(f"qa_{level}")
            if template is not None:
                indicator = qa_indicator_id(item, level)
                qa[indicator] = _from_template(
                    indicator, template, label=item_label, item=item, label_lower=item_label.lower()
                )
    views = {i: m for i, m in entries.items() if m.theme == "views"}
    entries = {**{i: m for i, m in entries.items() if m.theme != "views"}, **qa, **views}
    template = templates.get("survey_responses")
    if template is not None:
        for survey, survey_label in codes.SURVEYS.items():
            indicator = survey_responses_id(survey)
            entries[indicator] = _from_template(indicator, template, label=survey_label)
    for indicator in raw.get("indicator_overrides", {}).get("headline", []):
        if indicator in entries:
            entries[indicator] = replace(entries[indicator], headline=True)
    counts = [m.decomposed.count for m in entries.values() if m.decomposed is not None]
    if len(set(counts)) < len(counts):
        raise CatalogueError(f"decomposed counts are named twice: {sorted({c for c in counts if counts.count(c) > 1})}")
    return Catalogue(entries, templates)


def format_value(meta: IndicatorMeta, value: float | None, with_unit: bool = True) -> str:
    """A value as a person reads it: '1,842', '80.7%', '83.72'; an en dash for no value."""
    return value_text(value, meta.unit, meta.decimals, with_unit=with_unit)


# A percentage (or rate per 100) on fewer events than this shows its base, e.g. "66.7% (n = 3)":
# one child more or less moves it by many points.
SMALL_BASE = 20


def base_text(meta: IndicatorMeta | None, denominator: float | None) -> str | None:
    """'n = 3' for a rate whose base is small (1 to SMALL_BASE - 1), else None."""
    if meta is None or meta.unit not in ("pct", "per_100") or denominator is None:
        return None
    if 0 < denominator < SMALL_BASE:
        return f"n = {denominator:,.0f}"
    return None


def format_change(meta: IndicatorMeta, change: float | None) -> str:
    """A signed change: '+0.6 pts' for rates, '+11' for counts, '-3.78' for caseloads."""
    return change_text(change, meta.unit, meta.decimals)


def catalogue_markdown(catalogue: Catalogue | None = None) -> str:
    """Every indicator's meaning as a Markdown page (docs/indicators.md is this, written out)."""
    catalogue = catalogue or _default_catalogue()
    polarity_words = {"higher": "higher is better", "lower": "lower is better", "none": "no optimum defined"}
    lines = [
        "# What each indicator means",
        "",
        "Generated from `iro_metrics/catalogue.toml` by `python -m iro_metrics catalogue > docs/indicators.md`;",
        "a test keeps the two in step. Ids are a contract: the command line, CSV downloads and tests use them.",
        "Targets and floors are defaults a council can change (see the README).",
        "",
    ]
    for theme, theme_title in THEMES.items():
        lines += [
            f"## {theme_title}",
            "",
            "| id | title | unit | kind | judged | definition |",
            "|---|---|---|---|---|---|",
        ]
        for indicator in catalogue.ids():
            meta = catalogue[indicator]
            if meta.theme != theme:
                continue
            judged = polarity_words[meta.polarity]
            if meta.target is not None:
                judged += f"; target {meta.target:g}"
            if meta.floor is not None:
                judged += f"; floor {meta.floor:g}"
            lines.append(
                f"| `{indicator}` | {meta.title} | {UNIT_LABELS[meta.unit]} | {meta.kind} | {judged} | {meta.definition} |"
            )
        if theme == "views":
            template = catalogue._templates.get("survey_yes")
            if template:
                lines.append(
                    f"| `{survey_indicator_id('{survey}', '{question}')}` | (survey): (question) | % | period | higher is better, except "
                    "questions where yes is bad news | "
                    + template["definition"].format(label="the question", survey_label="survey")
                    + " One per question the data holds. |"
                )
        lines.append("")
    return "\n".join([*lines, *ADDING_AN_INDICATOR])


ADDING_AN_INDICATOR = (
    "## Adding an indicator",
    "",
    "Id patterns have one home, `iro_metrics/indicator_registry.py`, and the fixed ids by theme another,",
    "`iro_metrics/indicators/themes.py`; nothing else writes or slices an id.",
    "A new indicator touches three places:",
    "",
    "1. Its theme module, `iro_metrics/indicators/<theme>.py`: the id in the module's `IDS` (where the spec lists",
    "   it) and its figures in `compute(request)`; if it needs an optional table or column, the id under that",
    "   source in the module's `SOURCES`, so that without it the figure is not recorded rather than zero.",
    "   `iro_metrics/indicators/themes.py` reads `IDS`, so the engine, `all_ids(ds)`, the command line, the",
    "   downloads, the Definitions page and the cards of the Children, Reviews and Challenge pages take it up.",
    "2. `iro_metrics/catalogue.toml`: an `[indicator.<id>]` entry (a short, unique title: cards, legends and",
    "   tables show it; `decomposed = { count, title, volume }` for a rate whose count the Compare page should",
    "   split), then this page again with `python -m iro_metrics catalogue > docs/indicators.md`.",
    "3. A test with its value worked out by hand (tests/indicators/test_engine.py has the small council's).",
    "",
    "`tests/test_indicator_registry.py` fails until the registry and the catalogue hold the same ids. The",
    "patterned families need no code: a QA item is a line in `codes.QA_ITEMS` (ids `qa_<item>_adequate_pct` and",
    "`qa_<item>_good_pct`), a survey question arrives with the data (`survey_<survey>_<question>_yes_pct`); build",
    "and read them with `qa_indicator_id`, `survey_indicator_id` and `parse_indicator_id`. The benchmark's pandas",
    "and DuckDB baselines are independent implementations of the registry's ids: `make bench` reports an id",
    "only the engine gives.",
    "",
)
