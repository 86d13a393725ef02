"""Run benchmarks: ``python -m benchmarks [NAME ...] [--size small|full] [--list]``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import print_table, write_results


def discover() -> dict[str, Any]:
    here = Path(__file__).resolve().parent
    mods = {}
    for info in pkgutil.iter_modules([str(here)]):
        if info.name.startswith("bench_"):
            mods[info.name.removeprefix("bench_")] = importlib.import_module(
                f"benchmarks.{info.name}"
            )
    return dict(sorted(mods.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--size", choices=["small", "full"], default="small")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    mods = discover()
    if args.list:
        for name, mod in mods.items():
            print(f"{name}: {(mod.__doc__ or '').strip().splitlines()[0] if mod.__doc__ else ''}")
        return 0
    unknown = [n for n in args.names if n not in mods]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(mods)}")
    failed = 0
    for name in args.names or list(mods):
        mod = mods[name]
        params = mod.SIZES[args.size]
        print(f"== {name} ({args.size}: {params})", flush=True)
        try:
            results = mod.run(args.size, params)
        except Exception as exc:  # a broken benchmark must not hide the others' figures
            print(f"!! {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        print_table(name, results)
        print(f"   written to {write_results(name, args.size, results)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
