"""Tables from a results file: the summary printed by `make bench`, and the generated blocks of
docs/benchmarks.md (between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; the text around
them is written by hand and kept)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Sequence

from bench.targets import judge

Row = Sequence[Any]


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return str(value)


def ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or not denominator:
        return "–"
    return f"{numerator / denominator:.2f}×"


def table(header: Row, rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(str(cell) for cell in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _one_line(text: str) -> str:
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


def _status(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


# -- blocks ------------------------------------------------------------------------------------

def block_run(results: dict[str, Any]) -> str:
    machine, run = results["machine"], results["run"]
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items() if version)
    rows = [
        ("Date", run["started"]),
        ("Wall time of the whole run", f"{run['wall_s'] / 60:.1f} min"),
        ("CPU time of the whole run (all processes)", f"{run['cpu_s'] / 60:.1f} min" if "cpu_s" in run else "–"),
        ("CPU", f"{machine['cpu_count']} × {machine['cpu_model']} ({machine['cpus_usable']} usable)"),
        ("Memory", f"{machine['memory_gb']} GB"),
        ("Load average at start / end", f"{machine['load_average_at_start']} / {run.get('load_average_at_end')}"),
        ("Python", machine["python"]),
        ("Packages", packages),
        ("Platform", machine["platform"]),
        ("Parallel training jobs", _get(results, "understanding", "parallel_jobs") or "–"),
    ]
    return table(("", ""), rows)


def block_targets(results: dict[str, Any]) -> str:
    rows = [(item["target"], fmt(item["value"]) + (item["unit"] if item["value"] is not None else ""),
             _status(item["met"]) + (f" ({item['note']})" if item.get("note") else "")) for item in judge(results)]
    return table(("Target", "Today", "Status"), rows)


def block_understanding(results: dict[str, Any]) -> str:
    configs = _get(results, "understanding", "configs")
    if not configs:
        return "_Not measured in this run._"
    ours, default = configs["ours"], configs["rasa_default"]

    def metric(config: dict[str, Any], *path: str) -> Any:
        return _get(config, *path)

    rows = []
    for label, path in (
        ("Intent accuracy", ("evaluation", "clean", "intent_accuracy")),
        ("Intent macro-F1", ("evaluation", "clean", "macro_f1")),
        ("Entity F1 (token-level micro)", ("evaluation", "clean", "entity_f1")),
        ("Intent accuracy, typos", ("evaluation", "noisy", "intent_accuracy")),
        ("Intent macro-F1, typos", ("evaluation", "noisy", "macro_f1")),
        ("Entity F1, typos", ("evaluation", "noisy", "entity_f1")),
        ("Training wall time (s)", ("training", "wall_s")),
        ("Training CPU time (s)", ("training", "cpu_s")),
        ("Training peak RSS (MiB)", ("training", "peak_rss_mb")),
        ("Model size (MiB)", ("model_size_mb",)),
    ):
        a, b = metric(ours, *path), metric(default, *path)
        rows.append((label, fmt(a), fmt(b), ratio(a, b)))
    for config, name in ((ours, "ours"), (default, "Rasa default")):
        clean, noisy = metric(config, "evaluation", "clean", "intent_accuracy"), metric(
            config, "evaluation", "noisy", "intent_accuracy")
        rows.append((f"Accuracy with typos ÷ clean, {name}", "", "", ratio(noisy, clean)))
    text = table(("Held-out test set", "config.yml (ours)", "Rasa default", "ours ÷ default"), rows)
    test_set = _get(results, "understanding", "test_set") or {}
    noise, overlap = test_set.get("noise") or {}, test_set.get("overlap") or {}
    if noise and overlap:
        text += (f"\n\nTest set: {overlap['test_examples']} examples, {overlap['also_in_training_data']} of them "
                 f"also (verbatim) in the training data. Typos changed {noise['changed_words']} of "
                 f"{noise['words']} words ({noise['changed_share']:.0%}; seed {noise['seed']}).")
    return text


def block_per_intent(results: dict[str, Any]) -> str:
    ours = _get(results, "understanding", "configs", "ours", "evaluation", "clean", "per_intent_f1")
    default = _get(results, "understanding", "configs", "rasa_default", "evaluation", "clean", "per_intent_f1")
    if not ours or not default:
        return "_Not measured in this run._"
    rows = [(intent, fmt(ours.get(intent)), fmt(default.get(intent)),
             fmt(round(ours.get(intent, 0.0) - default.get(intent, 0.0), 3)))
            for intent in sorted(set(ours) | set(default), key=lambda name: (ours.get(name, 0.0), name))]
    return table(("Intent (F1, held-out)", "ours", "Rasa default", "difference"), rows)


def block_cross_validation(results: dict[str, Any]) -> str:
    cv = _get(results, "understanding", "cross_validation")
    if not cv:
        return "_Not measured in this run._"

    def spread(item: dict[str, float] | None) -> str:
        return f"{item['mean']:.3f} ± {item['std']:.3f} ({item['min']:.3f}–{item['max']:.3f})" if item else "–"

    rows = [("Intent accuracy", spread(cv["intent_accuracy"])), ("Intent macro-F1", spread(cv["macro_f1"])),
            ("Entity F1", spread(cv["entity_f1"])),
            ("Training wall time per fold (s)", spread(cv["training_wall_s"]).replace(".000", ""))]
    head = f"{cv['config']}, {cv['folds_completed']} of {cv['folds']} folds (mean ± std, range)"
    return table((head, ""), rows)


BLIND_VARIANTS = (("ours", "ours (models/)"),
                  ("without_encoder", "ours without the encoder and its classifier (DIET decides the intent)"),
                  ("stock", "Rasa's stock pipeline"))


def block_blind(results: dict[str, Any]) -> str:
    blind = results.get("blind")
    if not blind:
        return "_Not measured in this run._"
    variants = [(key, label) for key, label in BLIND_VARIANTS if key in blind]
    categories = sorted({name for key, _ in variants for name in blind[key]["categories"]})

    def cell(key: str, category: str | None = None) -> str:
        node = blind[key] if category is None else blind[key]["categories"].get(category)
        return f"{node['share']:.3f} ({node['passed']}/{node['cases']})" if node else "–"

    rows = [("**all**", *(cell(key) for key, _ in variants))]
    rows += [(category, *(cell(key, category) for key, _ in variants)) for category in categories]
    rows.append(("confident wrong facts", *(str(blind[key]["confident_wrong_facts"]) for key, _ in variants)))
    rows.append(("message p50 / p95 (ms), one conversation",
                 *(f"{fmt(blind[key]['p50_ms'])} / {fmt(blind[key]['p95_ms'])}" for key, _ in variants)))
    rows.append(("Rasa server peak RSS (MiB)", *(fmt(_get(blind[key], "peak_rss_mb", "rasa")) for key, _ in variants)))
    rows.append(("action server peak RSS (MiB)",
                 *(fmt(_get(blind[key], "peak_rss_mb", "actions")) for key, _ in variants)))
    text = table((f"Blind set, {blind['set']['cases']} conversations", *(label for _, label in variants)), rows)
    paired = blind.get("ours_vs_stock")
    if paired:
        text += (f"\n\nPaired with the stock pipeline: {paired['only_first']} conversations only ours gets "
                 f"right, {paired['only_second']} only the stock pipeline (exact McNemar test, "
                 f"p = {paired['p_value']}).")
    return text


def block_answers(results: dict[str, Any]) -> str:
    answers = _get(results, "live", "answers")
    if not answers:
        return "_Not measured in this run._"
    rows = [("Answered with the right fact", answers["answered"]["passed"], answers["answered"]["questions"],
             fmt(answers["answered"]["share"])),
            ("No fact in the knowledge base: admitted, nothing invented", answers["unknown"]["passed"],
             answers["unknown"]["questions"], fmt(answers["unknown"]["share"]))]
    text = table(("Question set (bench/questions.yml)", "passed", "questions", "share"), rows)
    failures = answers["answered"]["failures"] + answers["unknown"]["failures"]
    if failures:
        text += "\n\nMissed:\n\n" + "\n".join(
            f"- „{item['question']}“: {'; '.join(item['problems'])} — reply: „{_one_line(item['reply'])[:160]}…“"
            for item in failures)
    return text


def block_load(results: dict[str, Any]) -> str:
    load = _get(results, "live", "load")
    if not load:
        return "_Not measured in this run._"
    rows = []
    for concurrency, level in load.items():
        m, f, r = level["message"], level["nlu_floor"], level["message_over_floor"]
        rows.append((concurrency, fmt(m.get("per_second"), 1), fmt(m.get("p50_ms"), 0), fmt(m.get("p95_ms"), 0),
                     fmt(m.get("p99_ms"), 0), m["errors"], fmt(f.get("per_second"), 1), fmt(f.get("p50_ms"), 0),
                     fmt(f.get("p95_ms"), 0), f["errors"], f"{fmt(r['p50_ms'], 1)}×", f"{fmt(r['p95_ms'], 1)}×"))
    return table(("Conversations", "msg/s", "p50 ms", "p95 ms", "p99 ms", "errors", "floor parse/s",
                  "floor p50 ms", "floor p95 ms", "floor errors", "p50 ÷ floor", "p95 ÷ floor"), rows)


def _long_conversation_table(long: dict[str, Any]) -> str:
    rows = [(phase, fmt(values["long_ms"], 1), fmt(values["control_ms"], 1),
             ratio(values["long_ms"], values["control_ms"]), values["long_errors"])
            for phase, values in long["phases"].items()]
    text = table(("Median latency", "long conversation (ms)", "fresh control conversations (ms)",
                  "long ÷ control", "failed turns"), rows)
    tracker = long.get("tracker_at_end") or {}
    text += (f"\n\nTurns {long['turns'] - long['window'] + 1}–{long['turns']} ÷ turns 1–{long['window']} "
             f"(medians of answered turns, same messages): **{fmt(long['last_over_first'], 2)}×**; the same "
             f"for the control conversations: {fmt(long['control_last_over_first'], 2)}× (corrected for the "
             f"machine's drift: {fmt(long['drift_corrected'], 2)}×). Tracker after the last turn: "
             f"{fmt(tracker.get('events'))} events, {fmt((tracker.get('bytes') or 0) / 1024, 0)} KiB. "
             f"Failed turns: {long['long_errors']} in the long conversation"
             + (f" (the first at turn {long['first_failed_turn']})" if long["first_failed_turn"] else "")
             + f", {long['control_errors']} in the control conversations.")
    if long["failures"]:
        first = long["failures"][0]
        text += f" First failure: {first['error']} — reply „{first['reply'][:120]}…“."
    return text


def block_long_conversation(results: dict[str, Any]) -> str:
    long = _get(results, "live", "long_conversation")
    if not long:
        return "_Not measured in this run._"
    text = _long_conversation_table(long)
    diagnosis = _get(results, "live", "diagnosis") or {}
    if diagnosis.get("long_conversation"):
        lifted = ", ".join(f"{key}={value}" for key, value in diagnosis.get("environment", {}).items())
        text += ("\n\nThe same on the diagnosis stack (its Rasa server under bench/profiled.py"
                 + (f"; {lifted}" if lifted else "") + "):\n\n"
                 + _long_conversation_table(diagnosis["long_conversation"]))
    return text


def block_profile(results: dict[str, Any]) -> str:
    profiles = _get(results, "live", "diagnosis", "profiles")
    if not profiles:
        return "_Not measured in this run._"
    windows = [name for name, profile in profiles.items() if "stages" in profile]
    if not windows:
        return "_No profile was written in this run._"
    stages = list(profiles[windows[0]]["stages"])
    rows = [(stage, *(fmt(profiles[name]["stages"][stage]["ms_per_message"], 1) for name in windows))
            for stage in stages]
    rows.insert(0, ("All work on the Rasa server's event-loop thread",
                    *(fmt(profiles[name]["profiled_cpu_ms_per_message"], 1) for name in windows)))
    text = table(("cProfile, ms per message (cumulative)", *windows), rows)
    load = profiles[windows[0]]
    text += f"\n\nBiggest own time, {windows[0]} (ms per message):\n\n" + table(
        ("Function", "ms", "calls"),
        [(f"`{item['function']}`", fmt(item["own_ms_per_message"], 2), item["calls"])
         for item in load["top_own_time"][:10]])
    check = _get(results, "live", "diagnosis", "action_reply_check") or {}
    if "validate_as_rasa_ms" in check:
        text += (f"\n\nChecking one action server reply without the profiler (jsonschema {check['jsonschema']}): "
                 f"`jsonschema.validate` as Rasa's RemoteAction calls it, which re-checks the schema against "
                 f"its meta-schema every time: **{fmt(check['validate_as_rasa_ms'], 2)} ms**; with a validator "
                 f"built once: {fmt(check['validator_built_once_ms'], 3)} ms ({fmt(check['ratio'], 1)}× less).")
    return text


def block_knowledge_growth(results: dict[str, Any]) -> str:
    growth = _get(results, "live", "knowledge_growth")
    if not growth:
        return "_Not measured in this run._"
    a, b, r = growth["baseline"], growth["grown"], growth["grown_over_baseline"]
    cold = _get(results, "live", "cold_start") or {}
    rows = [
        ("Facts", growth["facts_original"], growth["facts_grown"],
         ratio(growth["facts_grown"], growth["facts_original"])),
        ("Messages (interleaved)", a["messages"], b["messages"], ""),
        ("p50 ms", fmt(a.get("p50_ms"), 1), fmt(b.get("p50_ms"), 1), f"{fmt(r['p50_ms'], 2)}×"),
        ("p95 ms", fmt(a.get("p95_ms"), 1), fmt(b.get("p95_ms"), 1), f"{fmt(r['p95_ms'], 2)}×"),
        ("Errors", a["errors"], b["errors"], ""),
        ("Action server ready after start (s)", fmt(_get(cold, "stack", "actions_ready_s")),
         fmt(_get(cold, "stack_grown_knowledge", "actions_ready_s")),
         ratio(_get(cold, "stack_grown_knowledge", "actions_ready_s"), _get(cold, "stack", "actions_ready_s"))),
    ]
    return table(("Knowledge base", "data/knowledge", f"grown {growth['factor']}×", "grown ÷ normal"), rows)


def block_flood(results: dict[str, Any]) -> str:
    flood = _get(results, "live", "flood")
    if not flood:
        return "_Not measured in this run._"
    rows = [
        ("Another citizen's median (ms)", fmt(flood["quiet_median_ms"], 1), fmt(flood["flood_median_ms"], 1),
         f"{fmt(flood['ratio'], 2)}×"),
        ("Another citizen's p90 (ms)", "", fmt(flood["flood_p90_ms"], 1), ""),
        ("Their questions (errors)", flood["citizen_questions"], f"{flood['citizen_questions']} "
         f"({flood['citizen_errors']})", ""),
        ("Flood requests in that time: answered / 429", "",
         f"{flood['flood_statuses'].get('200', 0)} / {flood['flood_statuses'].get('429', 0)}", ""),
        ("Time for the citizen's questions during the flood (s)", "", fmt(flood["flood_seconds"], 1), ""),
    ]
    return table(("", "quiet", f"{flood['senders']} senders × {flood['message_chars']} chars", "flood ÷ quiet"),
                 rows)


def block_resources(results: dict[str, Any]) -> str:
    live = results.get("live") or {}
    cold = live.get("cold_start") or {}
    rss = live.get("peak_rss_mb") or {}
    ours = _get(results, "understanding", "configs", "ours") or {}
    rows = [
        ("Model on disk (models/assistant.tar.gz)", f"{fmt(live.get('model_size_mb'))} MiB"),
        ("Training, NLU, config.yml: wall / CPU", f"{fmt(_get(ours, 'training', 'wall_s'))} s / "
                                                  f"{fmt(_get(ours, 'training', 'cpu_s'))} s"),
        ("Cold start: action server answers", f"{fmt(_get(cold, 'stack', 'actions_ready_s'))} s"),
        ("Cold start: Rasa server answers", f"{fmt(_get(cold, 'stack', 'rasa_ready_s'))} s"),
        ("Cold start: start until the first real answer",
         f"{fmt(_get(cold, 'stack', 'until_first_answer_s'))} s "
         f"(first answer itself {fmt(_get(cold, 'stack', 'first_answer_s'))} s)"),
        ("Cold start: NLU parse server (Rasa HTTP API only)", f"{fmt(cold.get('nlu_parse_server_ready_s'))} s"),
        ("Peak RSS: Rasa server (after all load)", f"{fmt(_get(rss, 'stack', 'rasa'))} MiB"),
        ("Peak RSS: action server", f"{fmt(_get(rss, 'stack', 'actions'))} MiB"),
        ("Peak RSS: action server with the 100× knowledge base",
         f"{fmt(_get(rss, 'stack_grown_knowledge', 'actions'))} MiB"),
        ("Peak RSS: NLU parse server", f"{fmt(rss.get('nlu_parse_server'))} MiB"),
        ("Peak RSS: training (config.yml / Rasa default)", f"{fmt(_get(ours, 'training', 'peak_rss_mb'))} / "
         f"{fmt(_get(results, 'understanding', 'configs', 'rasa_default', 'training', 'peak_rss_mb'))} MiB"),
    ]
    return table(("Resource", "Today"), rows)


BLOCKS: dict[str, Callable[[dict[str, Any]], str]] = {
    "run": block_run,
    "targets": block_targets,
    "blind": block_blind,
    "understanding": block_understanding,
    "per-intent": block_per_intent,
    "cross-validation": block_cross_validation,
    "answers": block_answers,
    "load": block_load,
    "long-conversation": block_long_conversation,
    "knowledge-growth": block_knowledge_growth,
    "flood": block_flood,
    "profile": block_profile,
    "resources": block_resources,
}


def update_docs(results: dict[str, Any], path: Path) -> list[str]:
    """Replace every generated block in `path`; return the names of blocks it lacks."""
    text = path.read_text(encoding="utf-8")
    missing = []
    for name, render in BLOCKS.items():
        pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.DOTALL)
        if not pattern.search(text):
            missing.append(name)
            continue
        body = render(results).rstrip("\n") + "\n"
        text = pattern.sub(lambda match, body=body: match.group(1) + body + match.group(2), text)
    path.write_text(text, encoding="utf-8")
    return missing


def summary(results: dict[str, Any]) -> str:
    """The plain-text summary `make bench` prints."""
    lines = []
    for item in judge(results):
        value = fmt(item["value"]) + (item["unit"] if item["value"] is not None else "")
        status = _status(item["met"]).replace("*", "") + (f" ({item['note']})" if item.get("note") else "")
        lines.append(f"  {item['target']:<62} {value:>14}   {status}")
    width = max(len(line) for line in lines)
    out = ["Targets", "-" * width, *lines, ""]
    for title, name in (("Blind set, end to end", "blind"), ("Understanding", "understanding"),
                        ("Answers", "answers"), ("Speed", "load"),
                        ("Long conversation", "long-conversation"), ("Knowledge base grown", "knowledge-growth"),
                        ("Where the time goes (profile)", "profile"),
                        ("Resources", "resources")):
        out += [title, BLOCKS[name](results), ""]
    return "\n".join(out)
