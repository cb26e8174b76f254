"""Survey responses (consultation, leaving care, carers, parents) with the published answers."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from iro_metrics.periods import Period
from tools.synthetic import targets
from tools.synthetic.dates import FIRST_DAY, LAST_DAY
from tools.synthetic.events import WINDOW_QUARTERS, HeldReview, by_quarter, quarter_values
from tools.synthetic.lives import Child

# --- Surveys ------------------------------------------------------------------------------------------------


@dataclass
class Response:
    """One questionnaire and its answers."""

    survey: str
    day: date
    area: str
    uasc: bool
    answers: dict[str, str]
    response_id: str = ""


def _answer_plan(
    survey: str, question: str, label: str, fy_label: str, n: int, rng: random.Random | None = None
) -> list[str]:
    """The answers to one question in one quarter: the published shares exactly where a report
    gives them; elsewhere, with ``rng``, each answer drawn at the default shares, so that small
    surveys vary from quarter to quarter as real ones do."""
    table = targets.SURVEY_YES.get((survey, question), {})
    yes_no = table.get(label) or table.get(fy_label)
    if yes_no is None and label[:7] + "-Q2-Q4" in table and label[-2:] in ("Q2", "Q3", "Q4"):
        yes_no = table[label[:7] + "-Q2-Q4"]
    if yes_no is None:
        yes_no = targets.SURVEY_YES_DEFAULT[(survey, question)]
        if rng is not None:
            draws = [rng.random() * 100 for _ in range(n)]
            return ["yes" if d < yes_no[0] else "no" if d < yes_no[0] + yes_no[1] else "not_sure" for d in draws]
    yes = round(yes_no[0] / 100 * n)
    no = min(n - yes, round(yes_no[1] / 100 * n))
    return ["yes"] * yes + ["no"] * no + ["not_sure"] * (n - yes - no)


def _varying(seed: int, survey: str, low: int, high: int) -> Callable[[Period], float]:
    """A quarter's response count where no report gives one: drawn between ``low`` and ``high``
    (before April 2015) or about a third of that after, as small surveys' returns vary."""

    def count(quarter: Period) -> float:
        draw = random.Random(f"{seed}:survey-volume:{survey}:{quarter.label}")
        return draw.randint(low, high) if quarter.fy < 2015 else draw.randint(low // 3, max(1, high // 3))

    return count


def make_surveys(seed: int, reviews: list[HeldReview], children: list[Child]) -> list[Response]:
    """Consultation, leaving-care, carer and parent questionnaires with the published answers."""
    rng = random.Random(f"{seed}:surveys")
    window = [h for h in reviews if h.review.day >= FIRST_DAY]
    reviews_q = by_quarter(window, lambda h: h.review.day)
    iro_sizes = {k: sum(h.review.chaired_by == "iro" for h in v) for k, v in reviews_q.items()}
    consult = quarter_values(
        lambda y: targets.CONSULTATION_RESPONSES_YEAR.get(y.label),
        lambda q: targets.CONSULTATION_RESPONSES_QUARTER.get(q.label),
        iro_sizes,
        lambda q: 0.0,
        as_count=True,
    )
    for label, n in iro_sizes.items():
        if label not in consult or (consult[label] == 0 and not label.startswith("2015-16")):
            consult[label] = round(targets.CONSULTATION_RATE_DEFAULT * n)
    ones = {q.label: 1 for q in WINDOW_QUARTERS}
    leaving = quarter_values(
        lambda y: targets.LEAVING_CARE_RESPONSES_YEAR.get(y.label),
        lambda q: targets.LEAVING_CARE_RESPONSES_QUARTER.get(q.label),
        ones,
        lambda q: random.Random(f"{seed}:survey-volume:leaving_care:{q.label}").randint(4, 12),
        as_count=True,
    )
    carers = quarter_values(
        lambda y: targets.CARER_RESPONSES_YEAR.get(y.label),
        lambda q: None,
        ones,
        _varying(seed, "carer", 2, 11),
        as_count=True,
    )
    parents = quarter_values(
        lambda y: targets.PARENT_RESPONSES_YEAR.get(y.label),
        lambda q: None,
        ones,
        _varying(seed, "parent", 0, 6),
        as_count=True,
    )
    leavers = sorted(
        (
            c
            for c in children
            if c.kind != "short_break"
            and c.exit_day is not None
            and FIRST_DAY <= c.exit_day <= LAST_DAY
            and c.age_on(c.exit_day) >= 8
        ),
        key=lambda c: (c.exit_day, c.number),
    )
    leavers_q = by_quarter(leavers, lambda c: c.exit_day)
    responses: list[Response] = []
    for quarter in WINDOW_QUARTERS:
        label, fy_label = quarter.label, quarter.fy_label
        pool = [h for h in reviews_q.get(label, []) if h.age >= 8 and h.review.chaired_by == "iro"]
        plans = {
            q: _answer_plan("consultation", q, label, fy_label, consult.get(label, 0))
            for q in targets.CONSULTATION_QUESTIONS
        }
        for plan in plans.values():
            rng.shuffle(plan)
        for i, held in enumerate(rng.sample(pool, consult.get(label, 0))):
            day = max(quarter.start, held.review.day - timedelta(days=rng.randint(0, 10)))
            responses.append(
                Response("consultation", day, held.review.area, held.child.is_uasc, {q: plans[q][i] for q in plans})
            )
        n_leave = leaving.get(label, 0)
        plans = {
            q: _answer_plan("leaving_care", q, label, fy_label, n_leave, rng) for q in targets.LEAVING_CARE_QUESTIONS
        }
        for plan in plans.values():
            rng.shuffle(plan)
        source = leavers_q.get(label, [])
        for i in range(n_leave):
            child = source[rng.randrange(len(source))]
            day = min(quarter.end, child.exit_day + timedelta(days=rng.randint(0, 20)))
            responses.append(
                Response("leaving_care", day, child.episodes[-1].area, child.is_uasc, {q: plans[q][i] for q in plans})
            )
        for survey, counts, questions in (
            ("carer", carers, targets.CARER_QUESTIONS),
            ("parent", parents, targets.PARENT_QUESTIONS),
        ):
            n = counts.get(label, 0)
            plans = {q: _answer_plan(survey, q, label, fy_label, n, rng) for q in questions}
            for plan in plans.values():
                rng.shuffle(plan)
            for i, held in enumerate(rng.sample(reviews_q.get(label, []), n)):
                day = min(quarter.end, held.review.day + timedelta(days=rng.randint(0, 14)))
                responses.append(
                    Response(survey, day, held.review.area, held.child.is_uasc, {q: plans[q][i] for q in plans})
                )
    responses.sort(key=lambda r: (r.day, r.survey, r.area))
    for i, r in enumerate(responses, start=1):
        r.response_id = f"Q{i:06d}"
    return responses
