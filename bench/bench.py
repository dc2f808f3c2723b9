#!/usr/bin/env python3
"""Benchmarks: Cove against Docker Compose v2 and v1, same files, same run; and
`cove daemon` against dockerd (start-up, memory) where dockerd is installed and we are root;
and, as root, a container running `true` through cove's runtime against crun and runc, cove's
layer unpack against `tar -x` of the same uncompressed layer, and `cove image load` of a 200 MB
archive against skopeo; and, as root, whole engines (CLI → daemon → shim): `run --rm busybox true`,
50 containers started in parallel and their shims' and daemons' memory, cove against docker and
podman, and a soak of 1000 create/start/stop/rm cycles through cove's daemon that reports what
leaked (one module per table: daemon_bench, runtime_bench, engine_bench, soak_bench, layer_bench,
image_bench).

Generates Compose projects of 10, 100 and 1000 services in a temporary directory
and times each tool on each of them: median wall time and the highest peak RSS
(ru_maxrss of the child, from os.wait4) over several runs, all output to /dev/null.
A tool that is not installed is shown as such; a tool that exits non-zero on a
generated project is shown as "failed" and not timed.

The table is printed and written to bench/out/results.md.

Usage: bench.py [--sizes 10,100,1000] [--runs 5]
  COVE        cove binary (default .build/release/cove)
  COMPOSE_V2  Compose v2 binary (default: found by scripts/compose-v2)
  COMPOSE_V1  Compose v1 binary (default /usr/bin/docker-compose)
  COVE_RUNTIME_BENCH  the runtime bench helper (default .build/release/cove-runtime-bench)
  COVE_LAYER_HELPER  the layer unpack helper (default .build/release/cove-layer-helper)
  COVE_BENCH_PARALLEL  containers started in parallel (default 50)
  COVE_BENCH_SOAK  create/start/stop/rm cycles of the soak (default 1000)

To add a benchmark, write a Benchmark (an operation, the sizes, a generator for
the project and the arguments each tool gets) and append it to BENCHMARKS.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from benchlib import OUT, ROOT, TIMEOUT, markdown_table
from daemon_bench import daemon_rows, daemon_table
from engine_bench import engine_table, latency_row, parallel_rows
from engines import start_engines, stop_engines
from image_bench import load_rows, load_table
from layer_bench import unpack_rows, unpack_table
from runtime_bench import runtime_rows, runtime_table
from soak_bench import soak_row
import pull_bench


# --- tools -------------------------------------------------------------------


@dataclass
class Tool:
    name: str
    binary: Optional[str]  # None: not available
    missing: str = "not installed"  # what the table says when binary is None
    version: str = ""
    # Fewer runs where one run is slow: {min services: runs}.
    slow_runs: dict = field(default_factory=dict)


def find_tools():
    cove = os.environ.get("COVE") or str(ROOT / ".build/release/cove")
    cove_tool = Tool("cove", cove if os.access(cove, os.X_OK) else None, "not built")

    proc = subprocess.run(["bash", str(ROOT / "scripts/compose-v2")], capture_output=True, text=True)
    v2 = Tool("compose v2", proc.stdout.strip() if proc.returncode == 0 else None)

    v1_path = os.environ.get("COMPOSE_V1", "/usr/bin/docker-compose")
    # v1 (Python) takes ~3 s for `config` on 1000 services.
    v1 = Tool("compose v1", v1_path if os.access(v1_path, os.X_OK) else None,
              slow_runs={1000: 3})

    for tool in (cove_tool, v2, v1):
        if tool.binary:
            tool.version = version_of(tool.binary)
    return [cove_tool, v2, v1]


def version_of(binary):
    for args in (["version", "--short"], ["--version"]):
        try:
            proc = subprocess.run([binary, *args], capture_output=True, text=True,
                                  timeout=30, env=clean_env())
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip().splitlines()[0]
    return "?"


def clean_env():
    return {k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}


# --- measuring ---------------------------------------------------------------


@dataclass
class Sample:
    wall_ms: float
    maxrss_mb: float


def run_once(argv, cwd):
    """Runs argv with all output to /dev/null; returns (exit status, Sample)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=clean_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    return proc.returncode, Sample(wall * 1000, rusage.ru_maxrss / 1024)


def check_once(argv, cwd):
    """Runs argv once; returns None if it exits 0, else why not."""
    try:
        proc = subprocess.run(argv, cwd=cwd, env=clean_env(), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"timed out after {TIMEOUT} s"
    if proc.returncode != 0:
        return f"exit {proc.returncode}: {proc.stderr.strip()[:500]}"
    return None


@dataclass
class Result:
    text: str  # what the table shows when there is no measurement
    median_ms: Optional[float] = None
    maxrss_mb: Optional[float] = None


def measure(tool, argv_tail, cwd, size, runs):
    if tool.binary is None:
        return Result(tool.missing)
    if argv_tail is None:
        return Result("n/a")
    argv = [tool.binary, *argv_tail]
    why = check_once(argv, cwd)  # also the warm-up run
    if why:
        print(f"  {tool.name} failed on {size} services: {why}", file=sys.stderr)
        return Result("failed")
    for threshold, slow in sorted(tool.slow_runs.items()):
        if size >= threshold:
            runs = min(runs, slow)
    samples = []
    for _ in range(runs):
        code, sample = run_once(argv, cwd)
        if code != 0:
            print(f"  {tool.name} failed on {size} services (exit {code})", file=sys.stderr)
            return Result("failed")
        samples.append(sample)
    return Result("",
                  statistics.median(s.wall_ms for s in samples),
                  max(s.maxrss_mb for s in samples))


# --- generated projects ------------------------------------------------------


def generate_project(directory, size):
    """Writes a Compose project of `size` services into directory.

    Valid for Compose v2 and v1 alike. Every service uses: YAML anchors and `<<`
    merges, `extends` (of a service in the same file, or from common.yaml),
    `${VAR}` and `${VAR:-default}` interpolation with a .env file, 3 to 5 ports
    (short syntax, ranges with a host IP), 4 volumes (bind, bind :ro, named,
    anonymous), an environment list, labels, depends_on chains of 10 services,
    and a healthcheck. Host ports are distinct across services.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".env").write_text(
        "REGISTRY=registry.example.com\n"
        "TAG=1.8.0\n"
        "LOG_LEVEL=info\n"
        "DB_HOST=db.internal\n"
        "DB_PASSWORD=bench-secret\n"
    )
    (directory / "common.yaml").write_text(
        "services:\n"
        "  worker-base:\n"
        "    image: ${REGISTRY}/worker:${TAG:-latest}\n"
        "    restart: on-failure\n"
        "    stop_grace_period: 20s\n"
        "    environment:\n"
        "      - WORKER=1\n"
        "      - QUEUE=${QUEUE:-default}\n"
        "    labels:\n"
        "      com.example.role: worker\n"
    )
    out = [
        "x-logging: &logging",
        "  driver: json-file",
        "  options:",
        "    max-size: 10m",
        '    max-file: "3"',
        "",
        "x-defaults: &defaults",
        "  restart: unless-stopped",
        "  logging: *logging",
        "  networks:",
        "    - back",
        "",
        "x-labels: &labels",
        "  com.example.stack: bench",
        "  com.example.owner: platform",
        "",
        "x-healthcheck: &healthcheck",
        "  interval: 10s",
        "  timeout: 3s",
        "  retries: 3",
        "  start_period: 5s",
        "",
        "services:",
        "  app-base:",
        "    image: ${REGISTRY}/app:${TAG:-latest}",
        "    user: \"1000:1000\"",
        "    working_dir: /srv",
        "    environment:",
        "      - BASE=1",
        "    labels:",
        "      com.example.role: app",
    ]
    for i in range(size):
        name = f"svc{i:04d}"
        out += [f"  {name}:", "    <<: *defaults"]
        if i % 3 == 2:
            out += ["    extends:", "      file: common.yaml", "      service: worker-base"]
        else:
            out += ["    extends:", "      service: app-base"]
            out += [f"    image: ${{REGISTRY}}/{name}:${{TAG:-latest}}"]
        out += [f"    command: [\"serve\", \"--name\", \"{name}\", \"--log-level\", \"${{LOG_LEVEL}}\"]"]
        ports = [
            f'"{10000 + i}:80"',
            f'"127.0.0.1:{20000 + 3 * i}-{20002 + 3 * i}:8000-8002"',
            '"9000"',
            f'"{30000 + i}:443/tcp"',
            f'"0.0.0.0:{40000 + i}:53/udp"',
        ][: 3 + i % 3]
        out += ["    ports:"] + [f"      - {p}" for p in ports]
        out += [
            "    volumes:",
            f"      - ./data/{name}:/var/lib/{name}",
            f"      - ./config/{name}.conf:/etc/{name}.conf:ro",
            f"      - {name}-cache:/cache",
            "      - /tmp/scratch",
            "    environment:",
            f"      - SERVICE_NAME={name}",
            "      - LOG_LEVEL=${LOG_LEVEL}",
            "      - DB_HOST=${DB_HOST}",
            "      - DB_PASSWORD=${DB_PASSWORD}",
            "      - FEATURE_FLAGS=${FEATURE_FLAGS:-none}",
            "    labels:",
            "      <<: *labels",
            f"      com.example.service: {name}",
            f'      com.example.index: "{i}"',
            "    healthcheck:",
            "      <<: *healthcheck",
            f'      test: ["CMD", "wget", "-q", "--spider", "http://localhost:8000/health/{name}"]',
        ]
        if i % 10:
            previous = f"svc{i - 1:04d}"
            if i % 2:
                out += ["    depends_on:", f"      - {previous}"]
            else:
                out += ["    depends_on:", f"      {previous}:",
                        "        condition: service_healthy"]
    out += ["", "volumes:"] + [f"  svc{i:04d}-cache:" for i in range(size)]
    out += ["", "networks:", "  back:", "    driver: bridge", ""]
    (directory / "compose.yaml").write_text("\n".join(out))


# --- benchmarks --------------------------------------------------------------


@dataclass
class Benchmark:
    operation: str  # the row's label
    sizes: tuple
    generate: Callable[[Path, int], None]  # writes a project of N services
    args: Callable[[str], Optional[list]]  # tool name -> its arguments, None: n/a


BENCHMARKS = [
    Benchmark("config", (10, 100, 1000), generate_project, lambda tool: ["config"]),
]


# --- report ------------------------------------------------------------------


def cell(result):
    if result.median_ms is None:
        return result.text
    return f"{result.median_ms:.1f} ms, {result.maxrss_mb:.1f} MB"


def speedup(cove, peer):
    if cove.median_ms is None or peer.median_ms is None:
        return "–"
    return f"{peer.median_ms / cove.median_ms:.1f}×"


def table(tools, rows):
    peers = tools[1:]
    head = ["operation", "services"] + [t.name for t in tools] + [f"cove speed-up vs {p.name}" for p in peers]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for operation, size, results in rows:
        cells = [operation, str(size)] + [cell(r) for r in results]
        cells += [speedup(results[0], r) for r in results[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def whole_engines(cove, tmp, runs):
    """The tables of engine_bench and soak_bench: engines started here, stopped after."""
    if os.geteuid() != 0:
        return "Engines (cove, docker, podman): needs root."
    print("engines: run --rm, parallel start, memory, soak ...", flush=True)
    engines = start_engines(cove, tmp)
    try:
        latency, note = latency_row(engines, tmp, runs)
        rows = [latency] + parallel_rows(engines)
        soak = soak_row(engines[0])
    finally:
        stop_engines(engines, tmp)
    return engine_table(rows, note) + "\n\n" + markdown_table(["soak", "cove", "left after"], [soak])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated service counts, e.g. 10,100")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per cell (default 5)")
    opts = parser.parse_args()
    only = {int(s) for s in opts.sizes.split(",")} if opts.sizes else None

    tools = find_tools()
    for t in tools:
        print(f"{t.name}: {t.binary or t.missing}" + (f" ({t.version})" if t.version else ""))

    rows = []
    with tempfile.TemporaryDirectory(prefix="cove-bench-") as tmp:
        for bench in BENCHMARKS:
            for size in bench.sizes:
                if only and size not in only:
                    continue
                project = Path(tmp) / f"{bench.operation.replace(' ', '-')}-{size}"
                bench.generate(project, size)
                print(f"{bench.operation}, {size} services ...", flush=True)
                results = [measure(t, bench.args(t.name), project, size, opts.runs)
                           for t in tools]
                rows.append((bench.operation, size, results))
        print("engine daemons ...", flush=True)
        engines = daemon_table(daemon_rows(tools, tmp))
        print("containers ...", flush=True)
        containers = runtime_table(*runtime_rows(tmp, max(opts.runs, 10)))

        whole = whole_engines(tools[0].binary, tmp, max(opts.runs, 10))

        print("layer unpack ...", flush=True)
        unpacking = unpack_table(unpack_rows(tmp, opts.runs))

        print("image load ...", flush=True)
        loading = load_table(load_rows(tools[0].binary, tmp, min(opts.runs, 3)))

        print("registry pull ...", flush=True)
        pulls = pull_bench.table(pull_bench.rows(tools[0].binary, tmp))

    report = "\n\n".join([table(tools, rows), engines, containers, whole, unpacking, loading, pulls])
    print()
    print(report)
    OUT.mkdir(parents=True, exist_ok=True)
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    versions = ", ".join(f"{t.name} {t.version or t.missing}" for t in tools)
    (OUT / "results.md").write_text(
        f"# Cove benchmarks\n\n{when}; {platform.node()}, {os.cpu_count()} cores; {versions}.\n"
        f"Median wall time over {opts.runs} runs (fewer for slow tools) after a warm-up run,"
        f" and the highest peak RSS.\n\n{report}\n"
    )
    print(f"\nwritten to {(OUT / 'results.md').relative_to(ROOT)}")
    failed = any(r.text == "failed" for _, _, results in rows for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
