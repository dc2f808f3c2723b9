"""A container running `true`, and `exec true` in a running one, through cove's runtime against
crun and runc; the shim's PSS."""

import os
import statistics
import subprocess
import time
from pathlib import Path

from benchlib import ROOT, TIMEOUT, markdown_table


# --- containers -----------------------------------------------------------------


def busybox_bundle(tmp):
    """A busybox rootfs (scripts/busybox-rootfs) and an OCI bundle around it running `true`."""
    import json
    rootfs = Path(tmp) / "busybox-rootfs"
    rootfs.mkdir()
    subprocess.run(["bash", "-c", f'bash "{ROOT}/scripts/busybox-rootfs" | tar -x -C "{rootfs}"'], check=True)
    bundle = Path(tmp) / "bundle"
    bundle.mkdir()
    subprocess.run(["crun", "spec"], cwd=bundle, check=True, capture_output=True)
    config = json.loads((bundle / "config.json").read_text())
    config["process"]["args"] = ["true"]
    config["process"]["terminal"] = False
    config["root"] = {"path": str(rootfs), "readonly": False}
    (bundle / "config.json").write_text(json.dumps(config))
    return rootfs, bundle


def time_oci(argv_prefix, bundle, runs):
    """Median ms of `RUNTIME run --bundle B ID` over `runs` (after a warm-up), or an error text."""
    times = []
    for i in range(runs + 1):
        start = time.monotonic()
        proc = subprocess.run(argv_prefix + ["run", "--bundle", str(bundle), f"cove-bench-{os.getpid()}-{i}"],
                              capture_output=True, text=True, timeout=TIMEOUT)
        if proc.returncode != 0:
            return None, (proc.stderr.strip().splitlines() or ["failed"])[-1]
        if i:
            times.append((time.monotonic() - start) * 1000)
    return statistics.median(times), ""


def runtime_rows(tmp, runs):
    """`true` in a busybox container through cove's runtime (create, start, wait, delete, from
    one long-lived process as the daemon will) against `crun run` and `runc run` of the same
    bundle; and the shim's PSS while it holds a running container."""
    label = "container running `true`"
    if os.geteuid() != 0:
        return [[label, "needs root", "–", "–"]], "–"
    if subprocess.run(["bash", "-c", "command -v crun"], capture_output=True).returncode != 0:
        return [[label, "crun not installed", "–", "–"]], "–"
    rootfs, bundle = busybox_bundle(tmp)
    helper = os.environ.get("COVE_RUNTIME_BENCH") or next(
        (str(p) for p in (ROOT / ".build/release/cove-runtime-bench", ROOT / ".build/debug/cove-runtime-bench")
         if os.access(p, os.X_OK)), None)
    cove, pss = "not built", "–"
    if helper:
        import json
        work = Path(tmp) / "cove-runtime"
        work.mkdir()
        proc = subprocess.run([helper, str(rootfs), str(work), str(runs)], capture_output=True, text=True,
                              timeout=TIMEOUT)
        if proc.returncode == 0:
            result = json.loads(proc.stdout)
            cove, pss = f"{result['median_ms']:.1f} ms", f"{result['shim_pss_kb']} kB"
        else:
            cove = "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    cells = [label, cove]
    for tool in ("crun", "runc"):
        median, error = time_oci([tool], bundle, runs)
        if median is None and "hybrid" in error:
            # crun 1.8 refuses hosts with v1 controllers beside a v2 hierarchy (even with
            # --cgroup-manager=disabled); cove and runc run there.
            cells.append("refuses this host (hybrid cgroups)")
        else:
            cells.append(f"{median:.1f} ms" if median is not None else f"failed: {error}")
    return [cells, exec_row(tmp, rootfs, bundle, helper, runs)], pss


def time_oci_exec(tool, bundle, runs):
    """Median ms of `TOOL exec ID true` in a container of the bundle running `sleep 600`
    (`TOOL run -d`), or an error text; the container is killed and deleted after."""
    import json
    config_path = Path(bundle) / "config.json"
    original = config_path.read_text()
    config = json.loads(original)
    config["process"]["args"] = ["sleep", "600"]
    config_path.write_text(json.dumps(config))
    name = f"cove-bench-exec-{os.getpid()}"
    try:
        # The detached container keeps its stdio: a pipe would never reach EOF, so a file.
        log = Path(bundle) / f"{tool}-run.err"
        with open(log, "w") as err:
            proc = subprocess.run([tool, "run", "-d", "--bundle", str(bundle), name], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=err, timeout=TIMEOUT)
        if proc.returncode != 0:
            return None, (log.read_text().strip().splitlines() or ["failed"])[-1]
        times = []
        for i in range(runs + 1):
            start = time.monotonic()
            proc = subprocess.run([tool, "exec", name, "true"], capture_output=True, text=True, timeout=TIMEOUT)
            if proc.returncode != 0:
                return None, (proc.stderr.strip().splitlines() or ["failed"])[-1]
            if i:
                times.append((time.monotonic() - start) * 1000)
        return statistics.median(times), ""
    finally:
        subprocess.run([tool, "delete", "-f", name], capture_output=True, timeout=TIMEOUT)
        config_path.write_text(original)


def exec_row(tmp, rootfs, bundle, helper, runs):
    """`exec true` in a running busybox container: cove's runtime (exec, start, wait, delete of
    a `cove-shim exec`) against `crun exec` and `runc exec` of the same bundle."""
    label = "`exec true` in a running container"
    cove = "not built"
    if helper:
        import json
        work = Path(tmp) / "cove-exec"
        work.mkdir()
        proc = subprocess.run([helper, "exec", str(rootfs), str(work), str(runs)], capture_output=True, text=True,
                              timeout=TIMEOUT)
        if proc.returncode == 0:
            result = json.loads(proc.stdout)
            cove = f"{result['median_ms']:.1f} ms (its shim: {result['shim_pss_kb']} kB PSS)"
        else:
            cove = "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    cells = [label, cove]
    for tool in ("crun", "runc"):
        median, error = time_oci_exec(tool, bundle, runs)
        if median is None and "hybrid" in error:
            cells.append("refuses this host (hybrid cgroups)")
        else:
            cells.append(f"{median:.1f} ms" if median is not None else f"failed: {error}")
    return cells


def runtime_table(rows, pss):
    table = markdown_table(["operation", "cove runtime", "crun", "runc"], rows)
    return table + f"\n\ncove-shim PSS with a running container (smaps_rollup): {pss}"
