"""Containers through whole engines, CLI → daemon → shim: `run --rm busybox true` through cove,
docker and podman against `crun run` and `runc run` of the same busybox bundle; 50 containers
started in parallel; with the 50 running, the PSS of each container's shim and the daemons' RSS.

COVE_BENCH_PARALLEL sets how many containers start in parallel (default 50)."""

import os
import statistics
import subprocess
import time
from pathlib import Path

from benchlib import TIMEOUT, markdown_table
from engines import IMAGE
from runtime_bench import busybox_bundle, time_oci
from unixhttp import pss_kb, rss_kb

PEERS = ("crun run", "runc run", "docker", "podman")


def parallel_count():
    return int(os.environ.get("COVE_BENCH_PARALLEL", "50"))


def run_argv(engine, detach, command):
    verb = ["container", "run"] if engine.name == "cove" else ["run"]
    mode = ["-d"] if detach else ["--rm"]
    return engine.cli + verb + mode + engine.run_flags + [IMAGE] + command


def time_run(engine, runs):
    """Median ms of `ENGINE run --rm IMAGE true` over runs (after a warm-up), or an error text."""
    times = []
    for i in range(runs + 1):
        start = time.monotonic()
        proc = subprocess.run(run_argv(engine, False, ["true"]), capture_output=True, text=True,
                              timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            return None, "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:200]
        if i:
            times.append((time.monotonic() - start) * 1000)
    return statistics.median(times), ""


def latency_row(engines, tmp, runs):
    """`run --rm busybox true`, CLI to exit, for each engine and the OCI runtimes; the targets."""
    work = Path(tmp) / "engine-bundle"
    work.mkdir()
    _, bundle = busybox_bundle(work)
    medians, cells = {}, {}
    for engine in engines:
        if engine.missing:
            cells[engine.name] = engine.missing
            continue
        medians[engine.name], error = time_run(engine, runs)
        cells[engine.name] = f"{medians[engine.name]:.0f} ms" if error == "" else error
    for tool in ("crun", "runc"):
        median, error = time_oci([tool], bundle, runs)
        medians[f"{tool} run"] = median
        if median is None:
            cells[f"{tool} run"] = "refuses this host (hybrid cgroups)" if "hybrid" in error else f"failed: {error}"
        else:
            cells[f"{tool} run"] = f"{median:.1f} ms"
    row = ["`run --rm busybox true`, CLI to exit", cells["cove"]] + [cells[p] for p in PEERS]
    return row, targets(medians)


def targets(medians):
    """The issue's targets: under 2× `crun run` of the same bundle (runc when crun refuses the
    host), under 0.3× `docker run`."""
    cove = medians.get("cove")
    if cove is None:
        return "targets: cove did not run"
    parts = []
    oci = "crun run" if medians.get("crun run") else "runc run" if medians.get("runc run") else None
    if oci:
        ratio = cove / medians[oci]
        parts.append(f"{ratio:.1f}× `{oci}` (target under 2×: {'met' if ratio < 2 else 'not met'})")
    if medians.get("docker"):
        ratio = cove / medians["docker"]
        parts.append(f"{ratio:.2f}× `docker run` (target under 0.3×: {'met' if ratio < 0.3 else 'not met'})")
    return "cove `run --rm` is " + ", ".join(parts) if parts else "targets: no peer measured"


def running_ids(engine):
    args = ["container", "ls", "-q"] if engine.name == "cove" else ["ps", "-q"]
    return engine.run(args).stdout.split()


def start_parallel(engine, count):
    """Starts count `run -d IMAGE sleep 600` at once; returns (wall ms until every CLI returned,
    the ids, an error text)."""
    start = time.monotonic()
    procs = [subprocess.Popen(run_argv(engine, True, ["sleep", "600"]), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
             for _ in range(count)]
    outputs = [p.communicate(timeout=TIMEOUT) for p in procs]
    wall = (time.monotonic() - start) * 1000
    failed = [err for p, (_, err) in zip(procs, outputs) if p.returncode != 0]
    ids = [out.strip().splitlines()[-1] for p, (out, _) in zip(procs, outputs) if p.returncode == 0 and out.strip()]
    error = f"{len(failed)} of {count} failed: {(failed[0].strip().splitlines() or ['?'])[-1][:200]}" if failed else ""
    return wall, ids, error


def measure_parallel(engine, count):
    """Cells for one engine: start time, shim PSS per container, daemon RSS, removal time."""
    if engine.missing:
        return [engine.missing] * 4
    wall, ids, error = start_parallel(engine, count)
    try:
        running = len(set(i[:12] for i in running_ids(engine)) & set(i[:12] for i in ids))
        if error or running != count:
            why = error or f"{running} of {count} running"
            return [f"failed: {why}"] + ["–"] * 3
        shims = engine.shims(ids)
        pss = sum(pss_kb(pid) for pid in shims)
        rss = sum(rss_kb(pid) for pid in shims)
        shim_cell = (f"{pss / count / 1024:.2f} MB PSS ({rss / count / 1024:.1f} MB RSS; {len(shims)} shims)"
                     if shims else "no shim found")
        if engine.daemon_pids:
            daemon_cell = " + ".join(f"{rss_kb(pid) / 1024:.0f}" for pid in engine.daemon_pids) + " MB"
        else:
            daemon_cell = "no daemon"
        return [f"{wall / 1000:.2f} s", shim_cell, daemon_cell, remove(engine, ids)]
    finally:
        if ids:
            engine.run(remove_argv(engine) + ids)


def remove_argv(engine):
    """`rm -f` as each CLI spells it; podman's waits the stop timeout first (busybox's `sleep` as
    pid 1 ignores SIGTERM), so it gets none, as docker's and cove's kill at once."""
    return {"cove": ["container", "rm", "-f"], "podman": ["rm", "-f", "-t", "0"]}.get(engine.name, ["rm", "-f"])


def remove(engine, ids):
    args = remove_argv(engine)
    start = time.monotonic()
    proc = engine.run(args + ids)
    if proc.returncode != 0:
        return "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:200]
    ids.clear()
    return f"{(time.monotonic() - start):.2f} s"


def parallel_rows(engines):
    count = parallel_count()
    columns = [measure_parallel(engine, count) for engine in engines]
    labels = [f"{count} × `run -d busybox sleep 600` in parallel, until all run",
              f"per-container shim with {count} running (cove-shim / containerd-shim-runc-v2 / conmon)",
              f"daemon RSS with {count} running (cove / dockerd + containerd / –)",
              f"`rm -f` of the {count}"]
    rows = []
    for i, label in enumerate(labels):
        by_name = {engine.name: column[i] for engine, column in zip(engines, columns)}
        rows.append([label, by_name["cove"], "–", "–", by_name["docker"], by_name["podman"]])
    return rows


def engine_table(rows, note):
    return markdown_table(["operation", "cove", *PEERS], rows) + f"\n\n{note}"
