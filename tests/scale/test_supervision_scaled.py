"""Supervision of the scaled topology (`make run-scaled`): a killed replica or balancer is started
again on its own port by the launcher's loop (`Stack.check`, what `python -m assistant run
--scaled` runs), while the rest keeps answering."""

from __future__ import annotations

import os
import signal
import time

import pytest

from assistant.stack import answers
from tests.scale.test_topology import say, start_topology, stop_topology

pytestmark = [pytest.mark.scale, pytest.mark.model]


def supervise_until(stack, back: str, timeout: float, lines: list[str]) -> float:
    """Run the launcher's supervision rounds until `back` answers; the seconds it took."""
    started = time.monotonic()
    while not answers(back):
        stack.check(lines.append)
        assert time.monotonic() - started < timeout, f"not back after {timeout} s: {lines}"
        time.sleep(0.5)
    return time.monotonic() - started


def test_a_killed_replica_and_balancer_are_restarted_while_the_rest_serves(tmp_path):
    stack, redis, env = start_topology(tmp_path)
    try:
        url = stack.settings.rasa_url
        health = stack.health_urls()
        lines: list[str] = []
        assert "10. Mai 2010" in say(url, "scaled-supervised-1", "Wann wurde DEFUS gegründet?")

        replica = stack.processes["rasa1"]
        os.killpg(replica.pid, signal.SIGKILL)
        replica.wait()
        stack.check(lines.append)
        # The other replica answers while the killed one loads its model again.
        for number in range(4):
            assert "10. Mai 2010" in say(url, f"scaled-supervised-2-{number}", "Wann wurde DEFUS gegründet?")
        seconds = supervise_until(stack, health["rasa1"], 180, lines)
        print(f"replica back after {seconds:.1f} s")
        assert stack.processes["rasa1"].pid != replica.pid
        assert lines == ["The rasa1 server stopped unexpectedly (killed by SIGKILL); restarting it in 1 s "
                         f"(exit 1 within 60 s; at 5 everything stops) (see {stack.log_dir / 'rasa1.log'})"]

        balancer = stack.processes["lb"]
        os.killpg(balancer.pid, signal.SIGKILL)
        balancer.wait()
        seconds = supervise_until(stack, health["lb"], 30, lines)
        print(f"balancer back after {seconds:.1f} s")
        assert len(lines) == 2 and lines[1].startswith("The lb server stopped unexpectedly (killed by SIGKILL)")
        assert "1987" in say(url, "scaled-supervised-3", "Wann wurde Efus gegründet?")
    finally:
        stop_topology(stack, redis, env)
