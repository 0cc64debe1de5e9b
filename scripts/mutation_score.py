"""Print the mutation score of `make mutation` from mutmut's result files (mutants/**.meta).

Usage: python scripts/mutation_score.py PATTERN... (the mutant-name patterns that were run).
Score = killed / (killed + survived + no tests); timeouts and mutants mypy rejects count as
killed, as mutmut counts them. Each surviving mutant is listed: `mutmut show NAME` shows it.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 37, 152, 255}  # killed, pytest error, timeouts, type check
SURVIVED = {0}
NO_TESTS = {5, 33}


def main(patterns: list[str]) -> int:
    results: dict[str, int | None] = {}
    for meta in sorted(Path("mutants").rglob("*.meta")):
        results.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    chosen = {
        name: code
        for name, code in results.items()
        if not patterns or any(fnmatch.fnmatch(name, p) for p in patterns)
    }
    per_module: dict[str, Counter[str]] = {}
    survivors = []
    for name, code in sorted(chosen.items()):
        module = name.split(".x", 1)[0]
        kind = (
            "killed"
            if code in KILLED
            else "survived"
            if code in SURVIVED
            else "no tests"
            if code in NO_TESTS
            else "not run"
        )
        per_module.setdefault(module, Counter())[kind] += 1
        if kind in ("survived", "no tests"):
            survivors.append(f"{kind}: {name}")
    total: Counter[str] = Counter()
    for module, counts in per_module.items():
        total += counts
        sys.stdout.write(f"{module}: {_score(counts)}\n")
    sys.stdout.write(f"all: {_score(total)}\n")
    for line in survivors:
        sys.stdout.write(line + "\n")
    return 0


def _score(counts: Counter[str]) -> str:
    judged = counts["killed"] + counts["survived"] + counts["no tests"]
    score = 100 * counts["killed"] / judged if judged else 0.0
    return (
        f"{score:.1f} % ({counts['killed']} killed, {counts['survived']} survived, "
        f"{counts['no tests']} without tests, {counts['not run']} not run)"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
