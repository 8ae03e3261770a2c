"""The targets of docs/benchmarks.md, judged on one run's results: met, not met, or not measured.

They are reported, never enforced: nothing here fails a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

GIB_MB = 1024.0


@dataclass(frozen=True)
class Target:
    key: str
    text: str
    measured: Callable[[dict[str, Any]], float | None]
    met: Callable[[float, dict[str, Any]], bool]
    unit: str = ""
    # A reason the target is missed whatever the value, e.g. turns that failed.
    blocker: Callable[[dict[str, Any]], str | None] = lambda results: None
    # Where the value comes from, shown beside it.
    detail: Callable[[dict[str, Any]], str | None] = lambda results: None


def _get(results: dict[str, Any], *path: str | int) -> Any:
    node: Any = results
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
    return node


def _ours(results: dict[str, Any], test: str, metric: str) -> float | None:
    return _get(results, "understanding", "configs", "ours", "evaluation", test, metric)


def _default(results: dict[str, Any], test: str, metric: str) -> float | None:
    return _get(results, "understanding", "configs", "rasa_default", "evaluation", test, metric)


def _error_counts(results: dict[str, Any]) -> dict[str, int] | None:
    live = results.get("live")
    if not live or "load" not in live:
        return None
    return {
        "load": sum(level[kind]["errors"] for level in live["load"].values() for kind in ("message", "nlu_floor")),
        "long conversation": _get(live, "long_conversation", "errors") or 0,
        "100× knowledge base": sum((_get(live, "knowledge_growth", side, "errors") or 0)
                                   for side in ("baseline", "grown")),
    }


def _errors(results: dict[str, Any]) -> float | None:
    counts = _error_counts(results)
    return None if counts is None else float(sum(counts.values()))


def _error_detail(results: dict[str, Any]) -> str | None:
    counts = _error_counts(results)
    if not counts or not sum(counts.values()):
        return None
    return ", ".join(f"{name}: {count}" for name, count in counts.items())


def _p95_at_8(results: dict[str, Any]) -> float | None:
    return _get(results, "live", "load", "8", "message", "p95_ms")


def _not_below_default(value: float, results: dict[str, Any]) -> bool:
    baseline = _default(results, "clean", "intent_accuracy")
    return baseline is not None and value >= baseline


def _long_failures(results: dict[str, Any]) -> str | None:
    long = _get(results, "live", "long_conversation")
    if long and long.get("long_errors"):
        note = f"{long['long_errors']} of {long['turns']} turns failed, from turn {long['first_failed_turn']}"
        lifted = _get(results, "live", "diagnosis", "long_conversation", "last_over_first")
        if lifted is not None:
            note += f"; {lifted}× on the diagnosis stack without the request limit"
        return note
    return None


def _rss(results: dict[str, Any]) -> float | None:
    return _get(results, "live", "peak_rss_mb", "stack", "rasa")


def _blind(results: dict[str, Any], *path: str) -> Any:
    return _get(results, "blind", "ours", *path)


def _blind_category(category: str) -> Callable[[dict[str, Any]], float | None]:
    return lambda results: _blind(results, "categories", category, "share")


def _above_stock(value: float, results: dict[str, Any]) -> bool:
    stock = _get(results, "blind", "stock", "share")
    return stock is not None and value > stock


def _stock_detail(results: dict[str, Any]) -> str | None:
    stock, paired = _get(results, "blind", "stock", "share"), _get(results, "blind", "ours_vs_stock")
    if stock is None or not paired:
        return None
    return (f"stock pipeline {stock:.3f}; {paired['only_first']} only ours, {paired['only_second']} only stock, "
            f"p = {paired['p_value']}")


def _p50_over_without_encoder(results: dict[str, Any]) -> float | None:
    ours, plain = _blind(results, "p50_ms"), _get(results, "blind", "without_encoder", "p50_ms")
    return None if ours is None or plain is None else round(ours - plain, 1)


TARGETS = (
    Target("blind", "Blind set (end to end) ≥ 0.93 and above Rasa's stock pipeline",
           lambda r: _blind(r, "share"), lambda v, r: v >= 0.93 and _above_stock(v, r), detail=_stock_detail),
    Target("blind_unanswerable", "Blind set, unanswerable questions answered honestly ≥ 0.95",
           _blind_category("unanswerable"), lambda v, r: v >= 0.95),
    Target("blind_false_premise", "Blind set, premises confirmed or corrected ≥ 0.90",
           _blind_category("false_premise"), lambda v, r: v >= 0.90),
    Target("blind_followup", "Blind set, follow-ups ≥ 0.90", _blind_category("followup"), lambda v, r: v >= 0.90),
    Target("blind_english", "Blind set, English questions ≥ 0.80", _blind_category("english"),
           lambda v, r: v >= 0.80),
    Target("cv", "5-fold cross-validation intent accuracy ≥ 0.88",
           lambda r: _get(r, "understanding", "cross_validation", "intent_accuracy", "mean"), lambda v, r: v >= 0.88),
    Target("p50_encoder", "Message p50, one conversation: ≤ 25 ms above the model without the encoder",
           _p50_over_without_encoder, lambda v, r: v <= 25.0, " ms"),
    Target("intent_accuracy", "Intent accuracy (held-out test set; a regression check, it guided the data) ≥ 0.95",
           lambda r: _ours(r, "clean", "intent_accuracy"), lambda v, r: v >= 0.95),
    Target("intent_accuracy_vs_default", "Intent accuracy ≥ Rasa default pipeline's",
           lambda r: _ours(r, "clean", "intent_accuracy"), _not_below_default),
    Target("noisy_accuracy", "Intent accuracy with typos ≥ 0.90",
           lambda r: _ours(r, "noisy", "intent_accuracy"), lambda v, r: v >= 0.90),
    Target("p95_at_8", "p95 message latency at 8 concurrent conversations ≤ 100 ms",
           _p95_at_8, lambda v, r: v <= 100.0, " ms"),
    Target("p95_at_8_over_floor", "p95 message latency at 8 conversations ≤ 3× NLU floor",
           lambda r: _get(r, "live", "load", "8", "message_over_floor", "p95_ms"), lambda v, r: v <= 3.0, "×"),
    Target("errors", "Errors = 0 (load, long conversation, 100× knowledge base)", _errors, lambda v, r: v == 0,
           detail=_error_detail),
    Target("turn_200", "Turn-200 latency ≤ 1.5× turn-1",
           lambda r: _get(r, "live", "long_conversation", "last_over_first"), lambda v, r: v <= 1.5, "×",
           _long_failures),
    Target("knowledge_100x", "100× knowledge base ≤ 1.2× latency (p50)",
           lambda r: _get(r, "live", "knowledge_growth", "grown_over_baseline", "p50_ms"),
           lambda v, r: v <= 1.2, "×"),
    Target("flood", "20-sender flood of 1,000-character messages: another citizen's median ≤ 2× quiet",
           lambda r: _get(r, "live", "flood", "ratio"), lambda v, r: v <= 2.0, "×",
           detail=lambda r: None if _get(r, "live", "flood") is None else
           "median {quiet_median_ms} → {flood_median_ms} ms, p90 {flood_p90_ms} ms; flood {flood_statuses}".format(
               **_get(r, "live", "flood"))),
    Target("training", "Training (NLU, config.yml) ≤ 3 min",
           lambda r: _get(r, "understanding", "configs", "ours", "training", "wall_s"), lambda v, r: v <= 180, " s"),
    Target("rasa_rss", "Rasa server peak RSS ≤ 1.8 GiB (1843 MiB)", _rss, lambda v, r: v <= 1.8 * GIB_MB, " MiB"),
)


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    judged = []
    for target in TARGETS:
        value = target.measured(results)
        blocker = target.blocker(results)
        met = False if blocker else None if value is None else bool(target.met(value, results))
        judged.append({"key": target.key, "target": target.text, "value": value, "unit": target.unit, "met": met,
                       "note": blocker or target.detail(results)})
    return judged
