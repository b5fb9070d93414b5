"""`make bench`: answer quality against a baseline, latency, throughput, training and start-up.

Writes results/bench.json, results/bench.md and PNG plots, then prints the table. Figures vary
from machine to machine, so this is a benchmark, not a test; the targets are printed beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot import PROJECT_ROOT
from bot.bench.bare_rasa import bare_rasa_servers
from bot.bench.baseline import document_search
from bot.bench.crisis_sets import (
    DEV_CRISIS_SETS,
    DEV_HARMLESS_SETS,
    FRESH_CRISIS_SETS,
    FRESH_HARMLESS_SETS,
    model_intent,
)
from bot.bench.crisis_sets import evaluate as evaluate_safety
from bot.bench.scoring import BLIND_SETS, CATEGORIES, load_conversations, score_conversations
from bot.bench.speed import measure_speed, plot_latency_by_turn
from bot.bench.turn_profile import profile_long_conversation
from bot.ops.http_client import rest_turn
from bot.ops.servers import MODEL, RASA, BotServers, child_env, free_port

RESULTS = PROJECT_ROOT / "results"
HELD_OUT = PROJECT_ROOT / "tests" / "nlu_heldout.yml"
# Every target the bench checks, defined here only (the report's "target" column is made from it).
TARGETS = {
    "accuracy_overall": 0.97,
    "accuracy_blind": 0.95,
    "accuracy_crisis": 1.0,
    "accuracy_out_of_scope": 0.95,
    "safety_recall": 1.0,
    "safety_reached": 1.0,
    "safety_false_alarms": 0.01,
    "p50_ms": 35,
    "p95_ms": 60,
    "throughput_10_vs_bare": 1.5,
    "train_cold_s": 120,
    "ready_s": 30,
    # the median of a window of turns of one long conversation, against turns 1-10
    "late_vs_early": {"91-100": 1.3, "191-200": 1.5},
}
CATEGORY_TARGETS = {"crisis": TARGETS["accuracy_crisis"], "out_of_scope": TARGETS["accuracy_out_of_scope"]}


def at_least(share: float) -> str:
    """A share as a target: "100 %" or "≥ 95 %"."""
    return "100 %" if share == 1.0 else f"≥ {share:.0%}".replace("%", " %")


# --- answer quality -------------------------------------------------------------------------


def rest_replier(url: str):
    """Sends a conversation's turns to the bot; returns a function (sender, text) -> reply text."""

    def reply(sender: str, text: str) -> str:
        status, replies = rest_turn(url, sender, text)
        if status != 200:
            return f"HTTP {status}"
        return "\n".join(r.get("text", "") for r in replies)

    return reply


def nlu_evaluation(workdir: Path) -> Dict[str, Any]:
    """`rasa test nlu` on the held-out set; keeps Rasa's confusion matrix and histogram."""
    out = workdir / "nlu"
    subprocess.run(
        [RASA, "test", "nlu", "--model", str(MODEL), "--nlu", str(HELD_OUT), "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=child_env(),
        check=True,
        capture_output=True,
    )
    for name in ("intent_confusion_matrix.png", "intent_histogram.png"):
        shutil.copy(out / name, RESULTS / f"nlu_{name}")
    report = json.loads((out / "intent_report.json").read_text())
    return {
        "accuracy": report["accuracy"],
        "weighted_f1": report["weighted avg"]["f1-score"],
        "examples": report["weighted avg"]["support"],
    }


# --- serving: quality, speed, memory ------------------------------------------------------


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serve_and_measure(workdir: Path, conversations: List[Dict[str, Any]]) -> Dict[str, Any]:
    servers = BotServers(
        MODEL, free_port(), free_port(), workdir / "servers", tracker_db=workdir / "servers" / "conversations.db"
    )
    started = time.perf_counter()
    with servers:
        status, _ = rest_turn(servers.url, "ready", "hi")
        ready = time.perf_counter() - started
        assert status == 200
        quality = score_conversations(conversations, rest_replier(servers.url))
        blind = {
            path.name: score_conversations(load_conversations(path), rest_replier(servers.url)) for path in BLIND_SETS
        }
        speed = measure_speed(servers.url, bench_questions(conversations))
        memory = {"rasa_mb": peak_memory_mb(servers.rasa.pid), "actions_mb": peak_memory_mb(servers.actions.pid)}
        profile = profile_long_conversation(servers.actions_url, workdir, bench_questions(conversations)[:4])
    return {"ready_s": ready, "quality": quality, "blind": blind, "speed": speed, "memory": memory, "profile": profile}


def bench_questions(conversations: List[Dict[str, Any]]) -> List[str]:
    """The held-out in-scope questions, asked in the speed runs of both bots."""
    return [t["user"] for c in conversations if c["category"] == "fact" for t in c["turns"]]


def measure_bare_rasa(workdir: Path, conversations: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The same speed runs on a bare `rasa init` bot (trained once, cached)."""
    with bare_rasa_servers(workdir / "bare") as servers:
        return measure_speed(servers.url, bench_questions(conversations))


# --- training --------------------------------------------------------------------------------


def training_times(workdir: Path) -> Dict[str, float]:
    """Cold training (empty cache) and training again with unchanged data (Rasa's cache)."""
    env = {**child_env(), "RASA_CACHE_DIRECTORY": str(workdir / "cache")}
    command = [
        RASA,
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data/nlu",
        "data/stories",
        "data/rules",
        "--out",
        str(workdir / "models"),
        "--fixed-model-name",
        "bench",
    ]
    times = {}
    for run in ("train_cold_s", "train_unchanged_s"):
        started = time.perf_counter()
        subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
        times[run] = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(["make", "-s", "train"], cwd=PROJECT_ROOT, env=child_env(), check=True, capture_output=True)
    times["make_train_unchanged_s"] = time.perf_counter() - started
    return times


# --- report ----------------------------------------------------------------------------------


def plots(served: Dict[str, Any], baseline: Dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    axis.hist(served["speed"]["sequential_ms"], bins=50, color="#2b6cb0")
    axis.set_xlabel("turn latency over REST, ms (500 sequential turns of fresh conversations)")
    axis.set_ylabel("turns")
    axis.set_title("KAP FAQ assistant: per-turn latency")
    figure.tight_layout()
    figure.savefig(RESULTS / "latency_histogram.png", dpi=100)
    plt.close(figure)

    labels = ["overall", *CATEGORIES]
    bot = [served["quality"]["overall"]] + [served["quality"]["per_category"][c]["accuracy"] or 0 for c in CATEGORIES]
    base = [baseline["overall"]] + [baseline["per_category"][c]["accuracy"] or 0 for c in CATEGORIES]
    figure, axis = plt.subplots(figsize=(8, 4))
    positions = range(len(labels))
    axis.bar([p - 0.2 for p in positions], bot, width=0.4, label="bot", color="#2b6cb0")
    axis.bar([p + 0.2 for p in positions], base, width=0.4, label="TF-IDF baseline", color="#a0aec0")
    axis.set_xticks(list(positions), labels)
    axis.set_ylim(0, 1.05)
    axis.set_ylabel("share of turns right")
    axis.legend()
    axis.set_title("Answer quality on the held-out evaluation conversations")
    figure.tight_layout()
    figure.savefig(RESULTS / "quality_vs_baseline.png", dpi=100)
    plt.close(figure)


def row(name: str, value: str, target: str = "", met: Optional[bool] = None) -> str:
    mark = "" if met is None else ("met" if met else "**missed**")
    return f"| {name} | {value} | {target} | {mark} |"


def markdown(results: Dict[str, Any]) -> str:
    quality, base, nlu = results["quality"], results["baseline"], results["nlu"]
    speed, bare, train = results["speed"], results["bare_rasa"], results["training"]
    seq, loads = speed["sequential"], speed["loads"]
    pc = quality["per_category"]
    lines = [
        f"Benchmark of {results['date']} on {results['machine']}.",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
        row(
            "answer accuracy on tests/eval_conversations.yml, overall (bot / baseline)",
            f"{quality['overall']:.1%} / {base['overall']:.1%} of {quality['turns']} turns",
            at_least(TARGETS["accuracy_overall"]),
            quality["overall"] >= TARGETS["accuracy_overall"],
        ),
    ]
    for category in CATEGORIES:
        if not pc[category]["turns"]:
            continue
        target = CATEGORY_TARGETS.get(category)
        value = (
            f"{pc[category]['accuracy']:.1%} / {base['per_category'][category]['accuracy']:.1%}"
            f" of {pc[category]['turns']}"
        )
        lines.append(
            row(
                f"– {category.replace('_', '-')}",
                value,
                at_least(target) if target else "",
                pc[category]["accuracy"] >= target if target else None,
            )
        )
    for name, blind in results["blind"].items():
        lines.append(
            row(
                f"blind set {name}: turns right as patients see them (a fallback is a miss)",
                f"{blind['overall']:.1%} of {blind['turns']} turns",
                at_least(TARGETS["accuracy_blind"]),
                blind["overall"] >= TARGETS["accuracy_blind"],
            )
        )
        for category in CATEGORIES:
            found = blind["per_category"][category]
            if found["turns"]:
                target = CATEGORY_TARGETS.get(category)
                lines.append(
                    row(
                        f"– {category.replace('_', '-')}",
                        f"{found['accuracy']:.1%} of {found['turns']}",
                        at_least(target) if target else "",
                        found["accuracy"] >= target if target else None,
                    )
                )
    for name, safety in results["safety"].items():
        lines += [
            row(
                f"{name}: crisis messages given the crisis reply (recall)",
                f"{safety['recall']:.1%} of {safety['crisis_messages']}",
                at_least(TARGETS["safety_recall"]),
                safety["recall"] >= TARGETS["safety_recall"],
            ),
            row(
                "– reaching the crisis resources (reply or check-in)",
                f"{safety['reached_resources']:.1%}",
                at_least(TARGETS["safety_reached"]),
                safety["reached_resources"] >= TARGETS["safety_reached"],
            ),
            row(
                f"{name}: harmless messages given the crisis reply (false alarms)",
                f"{safety['false_alarm_rate']:.1%} of {safety['harmless_messages']}",
                f"≤ {TARGETS['safety_false_alarms']:.0%}".replace("%", " %"),
                safety["false_alarm_rate"] <= TARGETS["safety_false_alarms"],
            ),
            row("– harmless messages given the crisis check-in", f"{safety['check_in_rate']:.1%}"),
        ]
    lines += [
        row(
            "held-out NLU intent accuracy / weighted F1",
            f"{nlu['accuracy']:.3f} / {nlu['weighted_f1']:.3f} ({nlu['examples']} examples)",
        ),
        row(
            "latency p50 / p95 / p99, fresh conversations one after another (bare rasa init)",
            f"{seq['p50_ms']:.0f} / {seq['p95_ms']:.0f} / {seq['p99_ms']:.0f} ms"
            f" ({bare['sequential']['p50_ms']:.0f} / {bare['sequential']['p95_ms']:.0f}"
            f" / {bare['sequential']['p99_ms']:.0f})",
            f"p50 ≤ {TARGETS['p50_ms']}, p95 ≤ {TARGETS['p95_ms']}",
            seq["p50_ms"] <= TARGETS["p50_ms"] and seq["p95_ms"] <= TARGETS["p95_ms"],
        ),
    ]
    for window, median in speed["by_turn_median_ms"].items():
        ratio, bare_ratio = speed["late_vs_early"][window], bare["late_vs_early"][window]
        limit = TARGETS["late_vs_early"].get(window)
        lines.append(
            row(
                f"one long conversation, median of turns {window} (bare rasa init)",
                f"{median:.0f} ms, {ratio:.2f}× turns 1-10"
                f" ({bare['by_turn_median_ms'][window]:.0f} ms, {bare_ratio:.2f}×)",
                f"≤ {limit}× turns 1-10" if limit else "",
                ratio <= limit if limit else None,
            )
        )
    for load, bare_load in zip(loads, bare["loads"], strict=False):
        versus = load["throughput"] / bare_load["throughput"]
        target = (
            (
                f"≥ {TARGETS['throughput_10_vs_bare']}× bare rasa init, 0 errors",
                versus >= TARGETS["throughput_10_vs_bare"] and load["errors"] == 0,
            )
            if load["clients"] == 10
            else ("", None)
        )
        lines.append(
            row(
                f"{load['clients']} concurrent clients (bare rasa init)",
                f"{load['throughput']:.1f} turns/s, {versus:.2f}× bare ({bare_load['throughput']:.1f}),"
                f" {load['errors']} errors"
                f" ({bare_load['errors']}), p50 {load['p50_ms']:.0f} / p95 {load['p95_ms']:.0f} ms",
                *target,
            )
        )
    lines += [
        row(
            "training, cold",
            f"{train['train_cold_s']:.0f} s",
            f"≤ {TARGETS['train_cold_s']} s",
            train["train_cold_s"] <= TARGETS["train_cold_s"],
        ),
        row(
            "training, unchanged data (rasa train / make train)",
            f"{train['train_unchanged_s']:.0f} s / {train['make_train_unchanged_s']:.1f} s",
        ),
        row(
            "time to ready (start to first reply)",
            f"{results['ready_s']:.0f} s",
            f"≤ {TARGETS['ready_s']} s",
            results["ready_s"] <= TARGETS["ready_s"],
        ),
        row("model size", f"{results['model_mb']:.1f} MB"),
        row(
            "peak memory, Rasa / action server",
            f"{results['memory']['rasa_mb']:.0f} / {results['memory']['actions_mb']:.0f} MB",
        ),
    ]
    for name, blind in results["blind"].items():
        lines += ["", f"blind set {name}, turns missed: {len(blind['misses'])}", ""]
        lines += [
            f"- `{m['user'][:120]}` ({m['category']}; expected {m['expect']}; got: {m['reply'][:90]!r})"
            for m in blind["misses"]
        ]
    for name, safety in results["safety"].items():
        for title, key in (
            ("crisis messages missed", "missed"),
            ("false alarms", "false_alarms"),
            ("check-ins on harmless messages", "check_ins"),
        ):
            lines += ["", f"{name}, {title}: {len(safety[key])}", ""]
            # Older sets tag each message with its kind of crisis; newer ones give the text only.
            lines += [
                f"- `{m['text'][:120]}` ({'; '.join(filter(None, (m.get('kind'), m['intent'])))})" for m in safety[key]
            ]
    profile = results["profile"]
    stores = list(profile)
    windows = list(profile[stores[0]])
    lines += [
        "",
        "Where the time of a turn goes in one long conversation, in-process (mean per turn, ms: CPU time"
        " of each stage in the Rasa process under cProfile; the action server round trip as wall time;"
        " the size of the tracker Rasa sends to the action server), with Rasa's own SQL tracker store"
        " and with this bot's:",
        "",
        "| stage | " + " | ".join(f"{store}, turns {window}" for store in stores for window in windows) + " |",
        "|---|" + "---|" * (len(stores) * len(windows)),
    ]
    for stage in profile[stores[0]][windows[0]]:
        lines.append(
            f"| {stage.replace('_', ' ')} | "
            + " | ".join(f"{profile[store][window][stage]:.1f}" for store in stores for window in windows)
            + " |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    conversations = load_conversations()
    with tempfile.TemporaryDirectory(prefix="kap-bench-") as tmp:
        workdir = Path(tmp)
        print("Held-out NLU evaluation...", flush=True)
        nlu = nlu_evaluation(workdir)
        print("Crisis safety net on the held-out crisis and harmless sets...", flush=True)
        intent = model_intent(MODEL)
        safety = {
            "regression sets": evaluate_safety(intent),
            "development set": evaluate_safety(intent, DEV_CRISIS_SETS, DEV_HARMLESS_SETS),
            "fresh blind set": evaluate_safety(intent, FRESH_CRISIS_SETS, FRESH_HARMLESS_SETS),
        }
        print("Serving, answer quality, latency and load...", flush=True)
        served = serve_and_measure(workdir, conversations)
        print("The same speed runs on a bare `rasa init` bot...", flush=True)
        bare = measure_bare_rasa(workdir, conversations)
        search = document_search()
        baseline = score_conversations(conversations, lambda sender, text: search.answer(text))
        print("Training times...", flush=True)
        training = training_times(workdir)
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "quality": served["quality"],
        "blind": served["blind"],
        "baseline": baseline,
        "nlu": nlu,
        "speed": served["speed"],
        "bare_rasa": bare,
        "training": training,
        "ready_s": served["ready_s"],
        "model_mb": MODEL.stat().st_size / 1e6,
        "memory": served["memory"],
        "targets": TARGETS,
        "profile": served["profile"],
        "safety": safety,
    }
    plots(served, baseline)
    plot_latency_by_turn(
        {"this bot": served["speed"]["long_conversation_ms"], "bare rasa init": bare["long_conversation_ms"]},
        RESULTS / "latency_by_turn.png",
    )
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2))
    table = markdown(results)
    (RESULTS / "bench.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
