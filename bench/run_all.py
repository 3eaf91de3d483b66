"""Every benchmark, one after the other: ``make bench`` runs this.

    python -m bench.run_all [--quick]

``--quick`` runs small sizes (2,000 organisations, fewer clients and rounds) to check that
everything works; without it, the sizes of issue 7. A benchmark that fails is reported
and the others still run: benchmarks measure, they never fail a build.
"""

import argparse
import subprocess
import sys

from bench.common import PYTHON, ROOT

FULL = [
    ["bench.http_bench", "--organisations", "10000"],
    ["bench.search_bench", "--sizes", "10000,100000"],
    ["bench.live_bench", "--clients", "100,500,1000"],
    ["bench.race_bench", "--members", "500", "--seats", "100"],
    ["bench.matchmaking_bench", "--participants", "300", "--slots", "40", "--tables", "30"],
    ["bench.memory_bench", "--sockets", "1000"],
]
QUICK = [
    ["bench.http_bench", "--organisations", "2000", "--runs", "1", "--seconds", "2"],
    ["bench.search_bench", "--sizes", "2000", "--runs", "10"],
    ["bench.live_bench", "--clients", "50", "--posts", "5"],
    ["bench.race_bench", "--members", "100", "--seats", "20"],
    ["bench.matchmaking_bench", "--participants", "60", "--slots", "8", "--tables", "6"],
    ["bench.memory_bench", "--sockets", "100", "--seconds", "2"],
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    failed = []
    for command in QUICK if args.quick else FULL:
        print(f"\n=== {' '.join(command)}", flush=True)
        if subprocess.run([PYTHON, "-m", *command], cwd=ROOT).returncode != 0:
            failed.append(command[0])
    if failed:
        print(f"\nthese benchmarks did not finish: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
