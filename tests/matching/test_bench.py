"""The benchmark itself runs by hand (docs/matching.md); here only a small, quick run
on SQLite, to keep it working."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "matching.py"


def test_the_benchmark_prints_its_figures_as_json():
    command = [sys.executable, str(BENCH), "--helpers", "2000", "--missions", "500"]
    command += ["--samples", "30", "--databases", "sqlite", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    for data_set in ("uniform", "clustered"):
        result = figures["sqlite"][data_set]
        assert set(result) >= {
            "rank_median_ms",
            "rank_p99_ms",
            "feed_median_ms",
            "feed_p99_ms",
            "naive_median_ms",
            "speedup",
        }
        assert result["feed_cards_median"] > 0
