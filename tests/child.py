"""Run a command as a child process and measure it: exit code, peak memory, wall time, output.

Peak memory is RUSAGE_CHILDREN of a small wrapper process around the command: a process's own
ru_maxrss starts at the peak of the process it was forked from (the test session, hundreds of MB),
so only a child of a fresh wrapper measures the command alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True)
print(json.dumps({"rc": r.returncode, "maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "seconds": time.perf_counter() - t,
                  "stdout": r.stdout.decode("utf-8", "replace"), "stderr": r.stderr.decode("utf-8", "replace")}))
"""


@dataclass
class Measured:
    rc: int
    peak_mb: float
    seconds: float
    stdout: str
    stderr: str


def measure(*command: Any, env: dict[str, str] | None = None, timeout: float = 300) -> Measured:
    """Run ``command`` (its parts made text) in a fresh wrapper; what it did and cost."""
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *map(str, command)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )
    data = json.loads(out.stdout)
    kb = data["maxrss"] / 1024 if sys.platform == "darwin" else data["maxrss"]  # bytes on macOS
    return Measured(data["rc"], kb / 1024, data["seconds"], data["stdout"], data["stderr"])
