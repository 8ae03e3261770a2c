"""What Rasa's check of an action server reply costs: `jsonschema.validate` as RemoteAction calls
it for every custom action (it checks the schema itself against its meta-schema each time),
against a validator built once. Run as a child process: it imports Rasa (and TensorFlow).

    python -m bench.validation_cost --out FILE.json
"""

from __future__ import annotations

import argparse
import json
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

REPEAT = 50

# The shape of a reply of action_answer_question: three slots and one text message.
TYPICAL_REPLY: dict[str, Any] = {
    "events": [{"event": "slot", "timestamp": None, "name": name, "value": value}
               for name, value in (("network", "efus"), ("question", "ask_founding"), ("city", None))],
    "responses": [{"text": "Efus wurde 1987 in Barcelona unter der Schirmherrschaft des Europarates gegründet.",
                   "buttons": [], "elements": [], "custom": {}, "template": None, "response": None,
                   "image": None, "attachment": None}],
}


def _ms_per_call(call: Callable[[], Any]) -> float:
    call()
    started = time.perf_counter()
    for _ in range(REPEAT):
        call()
    return (time.perf_counter() - started) * 1000 / REPEAT


def measure() -> dict[str, Any]:
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = jsonschema.validators.validator_for(schema)(schema)
    as_rasa_does = _ms_per_call(lambda: jsonschema.validate(TYPICAL_REPLY, schema))
    built_once = _ms_per_call(lambda: validator.validate(TYPICAL_REPLY))
    return {"jsonschema": metadata.version("jsonschema"),
            "validate_as_rasa_ms": round(as_rasa_does, 2), "validator_built_once_ms": round(built_once, 3),
            "ratio": round(as_rasa_does / built_once, 1) if built_once else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    arguments.out.write_text(json.dumps(measure(), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
