"""A quick look at an evaluation set without servers: the trained NLU once, then the answer logic.

Tuning the answer logic (assistant/understanding, assistant/answering.py, data/knowledge) does
not change what the NLU says, so the NLU's parse of every sentence of a set is computed once per
model and kept in bench/results/; each run after that takes seconds. Conversations go through
`Answerer.reply` with the context each reply leaves, as the answer action does; messages the
dialogue answers without the answer action (greetings, thanks, handoff) get a stand-in reply.
This is a development aid only: the figures that count come from `python -m bench.blind`,
end to end over the REST webhook.

    python -m bench.offline bench/dev            # the development set
    python -m bench.offline bench/dev --failures # and every failing case
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from assistant.answering import ANSWERED_WITHOUT_KIND, HANDOFF_INTENT, NOT_UNDERSTOOD_RESPONSE, Answerer, Context, Turn
from assistant.handoff import handoff_text
from bench import RESULTS_DIR
from bench.blind import Case, Outcome, check_turn, fact_signatures, load_cases, summarise

# A stand-in for the reply that comes from the domain's response, worded so the checks read it.
_NOT_UNDERSTOOD_STAND_IN = "Das habe ich leider nicht verstanden."


def _parses(model: Path, texts: list[str]) -> dict[str, dict[str, Any]]:
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:16]
    cache = RESULTS_DIR / f"parses-{digest}.json"
    known: dict[str, dict[str, Any]] = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        from rasa.core.agent import Agent

        agent = Agent.load(str(model))

        async def parse_all() -> None:
            for text in missing:
                known[text] = await agent.parse_message(text)

        asyncio.run(parse_all())
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known, ensure_ascii=False, default=str), encoding="utf-8")
    return known


def _turn(parse: dict[str, Any], text: str, context: Context) -> Turn:
    def values(entity: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e["value"] for e in parse.get("entities", [])
                                   if e.get("entity") == entity and isinstance(e.get("value"), str)))

    return Turn(intent=(parse.get("intent") or {}).get("name") or "", text=text,
                networks=values("network"), cities=values("city"), context=context,
                ranking=tuple(entry["name"] for entry in parse.get("intent_ranking") or []))


def _handoff(answerer: Answerer, text: str) -> str:
    """The handoff action's reply, with a code that is not one."""
    return handoff_text(answerer.kb.contact, "OFFLINE", answerer.unheld_detail(text))


def converse(answerer: Answerer, case: Case, parses: dict[str, dict[str, Any]],
             signatures: dict[str, str]) -> Outcome:
    outcome = Outcome(case)
    context = Context()
    for index, spoken in enumerate(case.turns, start=1):
        turn = _turn(parses[spoken.user], spoken.user, context)
        if turn.intent == HANDOFF_INTENT:
            text = _handoff(answerer, spoken.user)
        elif turn.intent in answerer.kb.questions or turn.intent in ANSWERED_WITHOUT_KIND:
            reply = answerer.reply(turn)
            context = reply.context
            text = _handoff(answerer, spoken.user) if reply.handoff else "\n\n".join(
                _NOT_UNDERSTOOD_STAND_IN if message.response == NOT_UNDERSTOOD_RESPONSE
                else message.text or f"<{message.response}>" for message in reply.messages)
        else:
            text = f"<{turn.intent}>"
        outcome.replies.append(text)
        problems, wrong = check_turn(spoken, case.category, text, signatures)
        outcome.problems += [f"turn {index}: {problem}" for problem in problems]
        outcome.wrong_fact = outcome.wrong_fact or wrong
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.offline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", type=Path, help="a directory of case files (bench/blind's format)")
    parser.add_argument("--failures", action="store_true", help="print every failing case")
    arguments = parser.parse_args()
    from assistant.gazetteer import german_place_names
    from assistant.knowledge import load_knowledge_base
    from assistant.settings import get_settings

    settings = get_settings()
    cases = load_cases(arguments.cases)
    parses = _parses(settings.model_dir / "assistant.tar.gz",
                     [turn.user for case in cases for turn in case.turns])
    answerer = Answerer(load_knowledge_base(settings.knowledge_dir, german_place_names()))
    signatures = fact_signatures(settings.knowledge_dir)
    result = summarise([converse(answerer, case, parses, signatures) for case in cases])
    if arguments.failures:
        for failure in result["failures"]:
            print(f"{failure['id']} [{failure['category']}] {' | '.join(failure['problems'])}")
            for user, reply in zip(failure["turns"], failure["replies"], strict=False):
                print(f"    > {user}\n    < {reply[:160]!r}")
    print(f"{result['passed']}/{result['cases']} = {result['share']}  "
          f"confident wrong facts: {result['confident_wrong_facts']}")
    for name, figures in result["categories"].items():
        print(f"  {name:15} {figures['passed']:4}/{figures['cases']:<4} {figures['share']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
