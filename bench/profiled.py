"""Run a Python module with cProfile switched on and off from outside, by signals.

    python -m bench.profiled --out DIR -m assistant rasa-server --model …

SIGUSR1 starts a fresh profile of the main thread (where Sanic's event loop and Rasa run);
SIGUSR2 stops it and writes DIR/window-<n>.prof. So only chosen windows of a warm server are
profiled, not its start-up.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from pathlib import Path
from types import FrameType


class Windows:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.count = 0
        self.profiler: cProfile.Profile | None = None

    def start(self, *_: int | FrameType | None) -> None:
        self.profiler = cProfile.Profile()
        self.profiler.enable()

    def stop(self, *_: int | FrameType | None) -> None:
        if self.profiler is None:
            return
        self.profiler.disable()
        self.count += 1
        self.profiler.dump_stats(str(self.out / f"window-{self.count}.prof"))
        self.profiler = None


def main() -> None:
    arguments = sys.argv[1:]
    if len(arguments) < 4 or arguments[0] != "--out" or arguments[2] != "-m":
        raise SystemExit(__doc__)
    out, module, rest = Path(arguments[1]), arguments[3], arguments[4:]
    out.mkdir(parents=True, exist_ok=True)
    windows = Windows(out)
    signal.signal(signal.SIGUSR1, windows.start)
    signal.signal(signal.SIGUSR2, windows.stop)
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
