"""Evaluation section "numbers": numerals, quantities and dates against external test suites.

Reads ``eval_dir()/"numbers"`` (cn2an's, JioNLP's and Duckling's own test cases; never copied here) and, for
throughput, ``eval_dir()/"articles"``. ``run(quick=True)`` scores every second case of each suite.

How the suites' conventions map onto ours (applied to every case of a kind, never to single inputs):

- cn2an ``cn2an`` cases: ``parse_number(input, mode)`` with cn2an's mode name (strict / normal / smart); an
  expected ``ValueError`` must give ``None``. ``direct`` mode (digit strings kept as text) and the an2cn /
  transform tasks are not numeral parsing and are skipped.
- JioNLP ``money_parser``: the input is known to be money, so ``parse_money`` reads it (bare numbers are 元).
  A single expected ``num`` must equal our value; a ``[low, high]`` pair must equal our low/high. ``definition``
  maps to qualifiers: accurate -> exact; blur -> approx, or for a pair range / more_than / approx;
  blur+ -> more_than / at_least; blur- -> less_than / at_most, or approx bounded above (近).
  ``jionlp_money_unit`` compares ``case`` with our unit (港币 -> 港元 etc. are our canonical names).
- JioNLP ``money_extractor``: exact span match of money quantities (precision/recall F1).
- JioNLP ``time_parser`` date points: cases of type time_point whose expected span is exactly one day, one
  calendar month or one calendar year (dates, no clock times), with an explicit base time (not "now") and not
  asking for future resolution (``ret_future``, the opposite of our past bias). The base is the CST date of
  the base time; a base given as ``{"year": Y}`` (or with a month) is the last day of that year (month), so
  every month of it counts as past. JioNLP keeps a month–day in the base year, we move a month after the
  base month to the year before: when our mention is a ``month_day`` with an inferred year, it is read
  again with the base moved to the last day of the base year, which gives JioNLP's year
  (``jionlp_time_points``); ``jionlp_time_points_same_year`` scores without that mapping. Solar terms (立冬, 清明节) are resolved, their day computed from the sun's longitude; lunar-calendar dates and lunar festivals are converted with the lunar year table.
- Duckling numerals and ordinals: ``parse_number`` on the whole input, else the value of the longest
  quantity ``find_quantities`` finds (classifier phrases such as 一个, 第七). Duckling money: ``parse_money``;
  values in Cent are divided by 100 (we report 元); kind under -> at_most / less_than, above -> at_least /
  more_than, between -> range with from/to; currency CNY -> 元, HKD -> 港元, Dollar -> any 元-like unit.
- Duckling dates (held out: nothing was tuned on them): Time cases of kind datetime with grain day, month
  or year, base 2013-02-12. Duckling reads month–days and festivals forward; like JioNLP's, a ``month_day``
  mention is read again with the base at the year's end. Weekdays stay in the base week (Duckling: the next
  one), and religious holidays, Cantonese words (尋日, 聽日) and US numeric dates (3/3/2015) are not ours.
- Negatives: JioNLP extractor cases that expect nothing: time cases must yield no date, money cases no money.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from pipeline.dates import DateKind, find_dates
from pipeline.evaluation.common import (
    SKIP_LINE,
    check_floors,
    eval_dir,
    print_table,
    raise_floors,
    read_jsonl,
    worst_of,
)
from pipeline.numerals import parse_number
from pipeline.quantities import QuantityKind, QuantityQualifier, find_quantities, parse_money

SECTION = "numbers"
SAMPLE_PAGE = Path(__file__).resolve().parents[2] / "raw" / "000_99e740105b15f725.txt"

BLUR_QUALIFIERS = {
    "accurate": {QuantityQualifier.EXACT},
    "blur": {QuantityQualifier.APPROX, QuantityQualifier.RANGE, QuantityQualifier.MORE_THAN},
    "blur+": {QuantityQualifier.MORE_THAN, QuantityQualifier.AT_LEAST},
    "blur-": {QuantityQualifier.LESS_THAN, QuantityQualifier.AT_MOST, QuantityQualifier.APPROX},
}
DUCKLING_KINDS = {
    "simple": {QuantityQualifier.EXACT},
    "under": {QuantityQualifier.AT_MOST, QuantityQualifier.LESS_THAN},
    "above": {QuantityQualifier.AT_LEAST, QuantityQualifier.MORE_THAN},
    "between": {QuantityQualifier.RANGE},
}
DUCKLING_CURRENCIES = {
    "CNY": {"元"},
    "HKD": {"港元"},
    "Dollar": {"元", "港元", "美元", "新台币", "澳元", "加元"},
    "Cent": {"元"},
}


def _close(a: float | None, b: float | None) -> bool:
    """Return True when two numbers agree to 1e-6 relative (None only equals None)."""
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _sample(rows: list[dict], quick: bool) -> list[dict]:
    """Return every second row in quick mode, all rows otherwise."""
    return rows[::2] if quick else rows


def score_cn2an(rows: list[dict]) -> dict[str, float]:
    """Score parse_number on cn2an's numeral cases per mode (rejections included)."""
    per_mode: dict[str, list[bool]] = {}
    for r in rows:
        if r["task"] != "cn2an" or r["mode"] not in ("strict", "normal", "smart"):
            continue
        got = parse_number(r["input"], r["mode"])
        exp = r["expected"]
        ok = got is None if exp == "ValueError" else _close(got, float(exp))
        per_mode.setdefault(r["mode"], []).append(ok)
    out = {f"cn2an_{m}": sum(v) / len(v) for m, v in per_mode.items() if v}
    both = per_mode.get("strict", []) + per_mode.get("normal", [])
    if both:
        out["cn2an_strict_normal"] = sum(both) / len(both)
    return out


def score_jionlp_money(rows: list[dict]) -> dict[str, float]:
    """Score parse_money on JioNLP's money_parser cases (value + qualifier, and unit)."""
    ok_value = ok_unit = n = 0
    for r in rows:
        if r["task"] != "money_parser":
            continue
        n += 1
        q = parse_money(r["input"])
        exp = r["expected"]
        if q is None:
            continue
        if isinstance(exp["num"], list):
            lo, hi = (float(x) for x in exp["num"])
            value_ok = _close(q.low, lo) and _close(q.high, hi)
        else:
            value_ok = _close(q.value, float(exp["num"]))
        allowed = BLUR_QUALIFIERS[exp["definition"]]
        qual_ok = q.qualifier in allowed
        if exp["definition"] == "blur-" and q.qualifier == QuantityQualifier.APPROX:
            qual_ok = q.high is not None and q.low is None  # 近: approx, bounded above
        ok_value += value_ok and qual_ok
        ok_unit += q.unit == exp["case"]
    return {"jionlp_money": ok_value / n, "jionlp_money_unit": ok_unit / n} if n else {}


def score_money_extractor(rows: list[dict]) -> dict[str, float]:
    """Score money spans of find_quantities on JioNLP's money_extractor cases (exact-span F1)."""
    tp = n_pred = n_gold = 0
    for r in rows:
        if r["task"] != "money_extractor" or not r["expected"]:
            continue
        pred = {(q.start, q.end) for q in find_quantities(r["input"]) if q.kind == QuantityKind.MONEY}
        gold = {tuple(e["offset"]) for e in r["expected"]}
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    if not n_gold:
        return {}
    p = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold
    return {"jionlp_money_extractor_f1": 2 * p * rec / (p + rec) if p + rec else 0.0}


def _base_date(r: dict) -> date | None:
    """Return the base date of a JioNLP time case (None for 'now')."""
    base = r.get("time_base")
    if base == "now" or base is None:
        return None
    if isinstance(r.get("time_base_cst"), str):
        return datetime.fromisoformat(r["time_base_cst"]).date()
    if isinstance(base, list):
        return date(*(base + [1, 1])[:3])
    if isinstance(base, dict):
        y = base["year"]
        if "month" in base:
            m = base["month"]
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date(y, 12, 31)
    return None


def _expected_granularity(t0: str, t1: str) -> tuple[str, str] | None:
    """Return (precision, ISO value) when a JioNLP span is exactly one day, month or year, else None."""
    a, b = datetime.fromisoformat(t0), datetime.fromisoformat(t1)
    if a.time() != datetime.min.time() or (b.hour, b.minute, b.second) != (23, 59, 59):
        return None
    if a.date() == b.date():
        return "day", a.date().isoformat()
    end_next = b.date() + timedelta(days=1)
    if a.day == 1 and a.month == b.month and a.year == b.year and end_next.day == 1:
        return "month", f"{a.year:04d}-{a.month:02d}"
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year:
        return "year", f"{a.year:04d}"
    return None


def score_jionlp_time(rows: list[dict]) -> dict[str, float]:
    """Score find_dates on JioNLP's date points with a base date (see the module docstring)."""
    mapped = raw = n = 0
    for r in rows:
        if r["task"] != "time_parser" or r["expected"].get("type") != "time_point":
            continue
        if r.get("kwargs", {}).get("ret_future"):
            continue
        base = _base_date(r)
        exp = _expected_granularity(*r["expected"]["time"])
        if base is None or exp is None:
            continue
        n += 1
        found = find_dates(r["input"], base)
        if not found:
            continue
        d = max(found, key=lambda x: x.end - x.start)
        precision, value = exp
        if d.precision != precision:
            continue
        raw += d.value == value
        if d.value == value:
            mapped += 1
        elif d.kind == DateKind.MONTH_DAY and d.year_inferred:
            # JioNLP keeps a month–day in the base year: read it again with the base at that year's end
            again = [
                x
                for x in find_dates(r["input"], date(base.year, 12, 31))
                if (x.start, x.end) == (d.start, d.end)
            ]
            mapped += bool(again) and again[0].value == value
    return {"jionlp_time_points": mapped / n, "jionlp_time_points_same_year": raw / n} if n else {}


DUCKLING_BASE = date(2013, 2, 12)  # Duckling's reference time 2013-02-12T04:30-02:00


def score_duckling_dates(rows: list[dict]) -> dict[str, float]:
    """Score find_dates on Duckling's Time cases that are one day, month or year (held-out dates)."""
    ok = n = 0
    lengths = {"day": 10, "month": 7, "year": 4}
    for r in rows:
        exp = r.get("expected")
        if r["dimension"] != "Time" or not isinstance(exp, dict) or exp.get("kind") != "datetime":
            continue
        if exp.get("grain") not in lengths:
            continue
        n += 1
        value = exp["value"][: lengths[exp["grain"]]]
        found = find_dates(r["input"], DUCKLING_BASE)
        if not found:
            continue
        d = max(found, key=lambda x: x.end - x.start)
        if d.value == value:
            ok += 1
        elif d.kind == DateKind.MONTH_DAY and d.year_inferred:
            # Duckling reads a month–day as the next one: read it again with the base at the year's end
            again = [
                x
                for x in find_dates(r["input"], date(DUCKLING_BASE.year, 12, 31))
                if (x.start, x.end) == (d.start, d.end)
            ]
            ok += bool(again) and again[0].value == value
    return {"duckling_dates": ok / n} if n else {}


def score_negatives(rows: list[dict]) -> dict[str, float]:
    """Score the JioNLP extractor cases that expect nothing (no date / no money)."""
    ok = n = 0
    for r in rows:
        if r["task"] == "time_extractor" and not r["expected"]:
            n += 1
            ok += not find_dates(r["input"], date(2021, 6, 14))
        elif r["task"] == "money_extractor" and not r["expected"]:
            n += 1
            ok += not [q for q in find_quantities(r["input"]) if q.kind == QuantityKind.MONEY]
    return {"negatives": ok / n} if n else {}


def score_duckling(rows: list[dict]) -> dict[str, float]:
    """Score Duckling's numeral + ordinal and money cases."""
    num_ok = num_n = money_ok = money_n = 0
    for r in rows:
        dim, exp = r["dimension"], r["expected"]
        if dim in ("Numeral", "Ordinal"):
            num_n += 1
            got = parse_number(r["input"])
            if got is None:
                found = find_quantities(r["input"])
                got = max(found, key=lambda q: q.end - q.start).value if found else None
            num_ok += _close(got, float(exp["value"]))
        elif dim == "AmountOfMoney":
            money_n += 1
            q = parse_money(r["input"])
            if q is None:
                continue
            cent = 0.01 if exp["unit"] == "Cent" else 1.0
            if exp["kind"] == "between":
                value_ok = _close(q.low, exp["from"] * cent) and _close(q.high, exp["to"] * cent)
            else:
                value_ok = _close(q.value, exp["value"] * cent)
            money_ok += (
                value_ok
                and q.qualifier in DUCKLING_KINDS[exp["kind"]]
                and q.unit in DUCKLING_CURRENCIES.get(exp["unit"], {q.unit})
            )
    out = {}
    if num_n:
        out["duckling_numeral"] = num_ok / num_n
    if money_n:
        out["duckling_money"] = money_ok / money_n
    return out


def throughput(texts: list[str], repeats: int = 3) -> tuple[float, float, float]:
    """Return chars/s of find_quantities, find_dates and both over ``texts`` (best of ``repeats`` cold passes)."""
    from pipeline.quantities import _number  # noqa: PLC0415  (its value cache is emptied for each pass)

    chars = sum(len(t) for t in texts)
    best_q = best_d = float("inf")
    for _ in range(repeats):
        _number.cache_clear()
        t0 = time.perf_counter()
        for t in texts:
            find_quantities(t)
        t1 = time.perf_counter()
        for t in texts:
            find_dates(t, date(2019, 2, 28))
        t2 = time.perf_counter()
        best_q, best_d = min(best_q, t1 - t0), min(best_d, t2 - t1)
    return chars / max(best_q, 1e-9), chars / max(best_d, 1e-9), chars / max(best_q + best_d, 1e-9)


#: numeral forms of the sample page and of everyday news text, with their values (our own list)
NEWSPAPER_NUMERALS = [
    ("一点七二亿", 172_000_000.0),
    ("两千", 2000.0),
    ("1.72亿", 172_000_000.0),
    ("35.94万", 359_400.0),
    ("13.2亿", 1_320_000_000.0),
    ("88.4万", 884_000.0),
    ("两千六", 2600.0),
    ("三万五", 35_000.0),
    ("2156万", 21_560_000.0),
    ("十二万", 120_000.0),
]
#: the last characters of Duckling numeral cases that are numeral + classifier phrases (一个, 五對)
CLASSIFIER_ENDINGS = "个個對雙打"


def compare_cn2an(rows: list[dict]) -> list[tuple]:
    """Return rows comparing cn2an.cn2an with parse_number on the numeral suites (cn2an optional)."""
    try:
        import cn2an  # noqa: PLC0415
    except ImportError:
        return []

    def theirs(s: str, mode: str) -> float | None:
        try:
            return float(cn2an.cn2an(s, mode))
        except Exception:  # cn2an raises ValueError and others on what it cannot read
            return None

    suites: dict[str, list[tuple[str, str, float | None]]] = {
        "cn2an strict+normal": [],
        "duckling numerals": [],
    }
    for r in rows:
        if r.get("task") == "cn2an" and r["mode"] in ("strict", "normal"):
            exp = None if r["expected"] == "ValueError" else float(r["expected"])
            suites["cn2an strict+normal"].append((r["input"], r["mode"], exp))
        elif r.get("dimension") == "Numeral" and r["input"][-1] not in CLASSIFIER_ENDINGS:
            suites["duckling numerals"].append((r["input"], "smart", float(r["expected"]["value"])))
    suites["newspaper forms"] = [(s, "smart", v) for s, v in NEWSPAPER_NUMERALS]
    out = []
    for name, cases in suites.items():
        if not cases:
            continue
        ours = sum(_close(parse_number(s, m), e) for s, m, e in cases) / len(cases)
        cn = sum(_close(theirs(s, m), e) for s, m, e in cases) / len(cases)
        out.append((name, len(cases), ours, cn))
    return out


def run(quick: bool = False) -> dict[str, float]:
    """Score the numbers section, print the table and return the scores."""
    root = eval_dir()
    if root is None:
        print(SKIP_LINE)
        return {}
    folder = root / "numbers"
    cn2an_rows = _sample(read_jsonl(folder / "cn2an_cases.jsonl"), quick)
    jionlp_rows = _sample(read_jsonl(folder / "jionlp_cases.jsonl"), quick)
    duckling_rows = _sample(read_jsonl(folder / "duckling_zh_cases.jsonl"), quick)
    scores: dict[str, float] = {}
    scores.update(score_cn2an(cn2an_rows))
    scores.update(score_jionlp_money(jionlp_rows))
    scores.update(score_money_extractor(jionlp_rows))
    scores.update(score_jionlp_time(jionlp_rows))
    scores.update(score_duckling(duckling_rows))
    scores.update(score_duckling_dates(duckling_rows))
    scores.update(score_negatives(jionlp_rows))
    print_table(f"numbers ({'quick' if quick else 'full'})", sorted(scores.items()), ("score", "value"))

    texts = []
    if SAMPLE_PAGE.exists():
        texts.append(SAMPLE_PAGE.read_text(encoding="utf-8"))
    articles = root / "articles" / "rmrb_2019-02.jsonl.gz"
    if articles.exists():
        limit = 150 if quick else 1500
        texts += ["\n".join(a["paragraphs"]) for a in read_jsonl(articles)[:limit]]
    if texts:
        q, d, both = throughput(texts)
        print_table(
            f"numbers throughput ({sum(map(len, texts))} chars, best of 3 cold passes)",
            [("find_quantities", f"{q:,.0f}"), ("find_dates", f"{d:,.0f}"), ("both", f"{both:,.0f}")],
            ("stage", "chars/s"),
        )
    comparison = compare_cn2an(cn2an_rows + duckling_rows)
    if comparison:
        print_table("cn2an vs ours (numeral value accuracy)", comparison, ("suite", "cases", "ours", "cn2an"))
    return scores


def main(argv: list[str] | None = None) -> int:
    """Run the section from the command line; exit 1 when a score falls below its floor."""
    ap = argparse.ArgumentParser(prog="python -m pipeline.evaluation.numbers")
    ap.add_argument("--quick", action="store_true", help="score every second case")
    ap.add_argument(
        "--raise-floors", action="store_true", help="raise tests/floors/numbers.json to the scores"
    )
    args = ap.parse_args(argv)
    scores = run(quick=args.quick)
    if not scores:
        return 0
    if args.raise_floors:
        print("scoring the other sample too: floors are raised from the worse of quick and full")
        raise_floors(SECTION, worst_of(scores, run(quick=not args.quick)), margin=0.005)
    failures = check_floors(SECTION, scores)
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
