"""Read the indicator catalogue (catalogue.toml): titles, units, definitions and judgement rules."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from iro_metrics import codes
from iro_metrics.formatting import change_text, value_text

DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.toml")
CATALOGUE_FILE = "catalogue.toml"  # the name of a council's own overrides in a dataset folder

Unit = Literal["count", "pct", "per_100", "fte", "per_fte"]
Polarity = Literal["higher", "lower", "none"]
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
_FIELDS = ("title", "theme", "kind", "unit", "polarity", "target", "floor", "headline", "definition")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used."""


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
        return self._survey_question(indicator)

    def ids(self) -> list[str]:
        """Every fixed and family indicator id (survey questions only as the data supplies them)."""
        return list(self._entries)

    def headline_ids(self) -> list[str]:
        return [i for i, m in self._entries.items() if m.headline]

    def order(self, indicators: list[str]) -> list[str]:
        """Sort ids into catalogue order; unknown ids go last, alphabetically."""
        position = {i: n for n, i in enumerate(self._entries)}
        return sorted(indicators, key=lambda i: (position.get(i, len(position)), i))

    def _survey_question(self, indicator: str) -> IndicatorMeta | None:
        template = self._templates.get("survey_yes")
        if template is None or not (indicator.startswith("survey_") and indicator.endswith("_yes_pct")):
            return None
        rest = indicator[len("survey_") : -len("_yes_pct")]
        for survey, survey_label in codes.SURVEYS.items():
            if rest.startswith(survey + "_"):
                question = rest[len(survey) + 1 :]
                text = codes.label(codes.SURVEY_QUESTIONS, question)
                label = text[:1].upper() + text[1:]  # not .capitalize(): it lowercases "IRO" and "Pledge"
                meta = _from_template(indicator, template, label=label, survey_label=survey_label)
                polarity = template.get("polarity_by_question", {}).get(question)
                return replace(meta, polarity=polarity) if polarity else meta
        return None


def _from_template(indicator: str, template: dict[str, Any], **labels: str) -> IndicatorMeta:
    fields = {k: template[k] for k in _FIELDS if k in template}
    for key in ("title", "definition"):
        fields[key] = fields[key].format(**labels)
    return _meta(indicator, fields)


def _meta(indicator: str, fields: dict[str, Any]) -> IndicatorMeta:
    missing = [k for k in ("title", "theme", "kind", "unit", "polarity", "definition") if k not in fields]
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
        theme=fields["theme"],
        kind=fields["kind"],
        unit=fields["unit"],
        polarity=fields["polarity"],
        definition=fields["definition"],
        target=float(fields["target"]) if fields.get("target") is not None else None,
        floor=float(fields["floor"]) if fields.get("floor") is not None else None,
        headline=bool(fields.get("headline", False)),
    )


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
    entries: dict[str, IndicatorMeta] = {}
    for indicator, fields in raw.get("indicator", {}).items():
        entries[indicator] = _meta(indicator, fields)
    templates = raw.get("template", {})
    for name, item_codes, key in (("qa_adequate", codes.QA_ITEMS, "item"), ("qa_good", codes.QA_ITEMS, "item")):
        template = templates.get(name)
        if template is None:
            continue
        for code, code_label in item_codes.items():
            indicator = template["pattern"].format(**{key: code})
            entries[indicator] = _from_template(indicator, template, label=code_label)
    # QA pairs read better side by side: item by item, adequate then good.
    qa = {i: m for i, m in entries.items() if m.theme == "quality"}
    ordered_qa = {}
    for code in codes.QA_ITEMS:
        for indicator in (f"qa_{code}_adequate_pct", f"qa_{code}_good_pct"):
            if indicator in qa:
                ordered_qa[indicator] = qa[indicator]
    others = {i: m for i, m in entries.items() if m.theme != "quality"}
    entries = {**{i: m for i, m in others.items() if m.theme != "views"}, **ordered_qa}
    entries.update({i: m for i, m in others.items() if m.theme == "views"})
    template = templates.get("survey_responses")
    if template is not None:
        for survey, survey_label in codes.SURVEYS.items():
            indicator = template["pattern"].format(survey=survey)
            entries[indicator] = _from_template(indicator, template, label=survey_label)
    for indicator in raw.get("indicator_overrides", {}).get("headline", []):
        if indicator in entries:
            entries[indicator] = replace(entries[indicator], headline=True)
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
                    f"| `{template['pattern']}` | (survey): (question) | % | period | higher is better, except "
                    "questions where yes is bad news | "
                    + template["definition"].format(label="the question", survey_label="survey")
                    + " One per question the data holds. |"
                )
        lines.append("")
    return "\n".join(lines)
