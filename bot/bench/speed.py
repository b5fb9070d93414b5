"""How fast a Rasa bot answers over REST: one long conversation turn by turn, fresh conversations
one after another, and concurrent clients. `make bench` runs it on this bot and on a bare
`rasa init` bot (bot/bench/bare_rasa.py) in the same run, so that the two can be compared.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bot.ops.http_client import rest_turn

# Turns of the long conversation whose medians are compared (1-based, inclusive).
TURN_WINDOWS = ((1, 10), (41, 50), (91, 100), (191, 200))
LONG_CONVERSATION_TURNS = 200


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed_turns(url: str, messages: List[str], sender_prefix: str, turns_per_sender: int = 10):
    """Sends messages one after another, `turns_per_sender` per conversation; returns
    (latencies in ms, errors: a status other than 200, or no reply at all)."""
    latencies, errors = [], 0
    for i, message in enumerate(messages):
        sender = f"{sender_prefix}-{i // turns_per_sender}"
        started = time.perf_counter()
        status, replies = rest_turn(url, sender, message)
        latencies.append((time.perf_counter() - started) * 1000)
        errors += status != 200 or not replies
    return latencies, errors


def load_run(url: str, messages: List[str], clients: int, turns_each: int) -> Dict[str, Any]:
    """`clients` concurrent clients, each sending `turns_each` turns; throughput and latency."""
    results: List[Tuple[List[float], int]] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        mine = [messages[(index * turns_each + k) % len(messages)] for k in range(turns_each)]
        outcome = timed_turns(url, mine, f"load{clients}-{index}-{uuid.uuid4().hex[:6]}", turns_each)
        with lock:
            results.append(outcome)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    latencies = [ms for lat, _ in results for ms in lat]
    return {
        "clients": clients,
        "turns": len(latencies),
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed,
        "errors": sum(e for _, e in results),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
    }


def window_medians(latencies: List[float]) -> Dict[str, float]:
    """The median latency of each window of TURN_WINDOWS, keyed "1-10", "41-50", ..."""
    return {f"{first}-{last}": statistics.median(latencies[first - 1 : last]) for first, last in TURN_WINDOWS}


def measure_speed(url: str, questions: List[str], sequential_turns: int = 500) -> Dict[str, Any]:
    """The long conversation (the first four questions in turn), `sequential_turns` turns of fresh
    conversations (ten turns each), then 10 and 50 concurrent clients."""
    timed_turns(url, questions[:20], f"warmup-{uuid.uuid4().hex[:6]}")
    four = questions[:4]
    long_turns = [four[i % len(four)] for i in range(LONG_CONVERSATION_TURNS)]
    long_ms, long_errors = timed_turns(url, long_turns, f"long-{uuid.uuid4().hex[:6]}", LONG_CONVERSATION_TURNS)
    sequential, errors = timed_turns(
        url, [questions[i % len(questions)] for i in range(sequential_turns)], f"seq-{uuid.uuid4().hex[:6]}"
    )
    medians = window_medians(long_ms)
    return {
        "long_conversation_ms": long_ms,
        "long_conversation_errors": long_errors,
        "by_turn_median_ms": medians,
        "late_vs_early": {window: medians[window] / medians["1-10"] for window in medians},
        "sequential_ms": sequential,
        "sequential": {
            "turns": len(sequential),
            "errors": errors,
            "mean_ms": statistics.mean(sequential),
            "p50_ms": percentile(sequential, 0.5),
            "p95_ms": percentile(sequential, 0.95),
            "p99_ms": percentile(sequential, 0.99),
        },
        "loads": [load_run(url, questions, 10, 30), load_run(url, questions, 50, 8)],
    }


def plot_latency_by_turn(runs: Dict[str, List[float]], path: Path) -> None:
    """Latency against turn index, one line per bot (each turn, and a running median of 10)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4))
    for (name, latencies), color in zip(runs.items(), ("#2b6cb0", "#dd6b20"), strict=False):
        turns = range(1, len(latencies) + 1)
        axis.plot(turns, latencies, color=color, alpha=0.25, linewidth=0.8)
        running = [statistics.median(latencies[max(0, i - 9) : i + 1]) for i in range(len(latencies))]
        axis.plot(turns, running, color=color, label=f"{name} (running median of 10)")
    axis.set_xlabel("turn of one conversation")
    axis.set_ylabel("latency over REST, ms")
    axis.set_ylim(bottom=0)
    axis.legend()
    axis.set_title("Latency against conversation length")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
