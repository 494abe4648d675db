"""Benchmark: verifying a signed return (export timing arrives with the return builder)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from returns_support import sealed_return  # noqa: E402

from lga_desktop.returns.verify import verify_bytes  # noqa: E402


def main() -> None:
    data = sealed_return().file_bytes
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        assert verify_bytes(data).valid
    per = (time.perf_counter() - start) / runs
    print(f"verify a small return: {per * 1000:.2f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
