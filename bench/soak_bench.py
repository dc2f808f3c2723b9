"""A soak of cove's daemon: create/start/stop/rm cycles over the API, then what is left that should
not be: mounts under its root, cgroup directories under its cgroup parent, daemon fds, shims, and the
daemon's RSS before and after.

COVE_BENCH_SOAK sets the number of cycles (default 1000)."""

import os
import time

from engines import IMAGE, cgroup_dirs, cove_cgroup_parent
from unixhttp import EngineAPI, fd_count, mounts_under, processes, rss_kb

WARM_UP = 10
# What a cycle must give back: mounts under the root, container cgroups, daemon fds, shims, daemon children.
LEAKS = ("mounts", "cgroups", "fds", "shims", "children")


def soak_count():
    return int(os.environ.get("COVE_BENCH_SOAK", "1000"))


def cycle(api):
    """One create, start, stop (no grace period: busybox's `sleep` as pid 1 ignores SIGTERM), rm."""
    created = api.request("POST", "/containers/create", {"Image": IMAGE, "Cmd": ["sleep", "600"]})
    cid = created["Id"]
    api.request("POST", f"/containers/{cid}/start")
    api.request("POST", f"/containers/{cid}/stop?t=0")
    api.request("DELETE", f"/containers/{cid}")


def snapshot(engine):
    """What the daemon holds now: mounts under its root, container cgroups, its fds, shims, RSS."""
    daemon = engine.daemon_pids[0]
    cgroups = sum(len([e for e in d.iterdir() if e.is_dir()]) for d in cgroup_dirs(cove_cgroup_parent()))
    now = processes()
    shims = [pid for pid, argv, _ in now
             if argv and os.path.basename(argv[0]).startswith("cove-shim") and any(str(engine.root) in a for a in argv)]
    # The daemon's own children (a zombie it never reaped among them); its shims are not.
    children = [pid for pid, _, ppid in now if ppid == daemon]
    return {"mounts": len(mounts_under(engine.root)), "cgroups": cgroups, "fds": fd_count(daemon),
            "shims": len(shims), "children": len(children), "rss_kb": rss_kb(daemon)}


def settled(engine, before, seconds=10):
    """The snapshot after the cycles, taken again for up to `seconds` until the counts are back to
    `before` (the daemon reaps a shim and closes its pipes just after answering DELETE)."""
    deadline = time.monotonic() + seconds
    while True:
        after = snapshot(engine)
        same = all(after[k] == before[k] for k in LEAKS)
        if same or time.monotonic() > deadline:
            return after
        time.sleep(0.1)


def soak_row(engine):
    """The soak's row: cycles per second, and "no leak" or what leaked."""
    count = soak_count()
    label = f"{count} create/start/stop/rm cycles through the API"
    if engine.missing:
        return [label, engine.missing, "–"]
    api = EngineAPI(engine.socket)
    try:
        for _ in range(WARM_UP):
            cycle(api)
        before = snapshot(engine)
        start = time.monotonic()
        for i in range(count):
            cycle(api)
        seconds = time.monotonic() - start
        after = settled(engine, before)
    except (RuntimeError, OSError) as error:
        return [label, f"failed: {str(error)[:200]}", "–"]
    finally:
        api.close()
    leaks = [f"{after[k] - before[k]} {k}" for k in LEAKS if after[k] != before[k]]
    if after["mounts"] or after["cgroups"] or after["shims"]:
        leaks.append(f"left: {after['mounts']} mounts, {after['cgroups']} cgroups, {after['shims']} shims")
    verdict = "no leak" if not leaks else "leaked: " + ", ".join(leaks)
    rss = f"daemon RSS {before['rss_kb'] / 1024:.1f} → {after['rss_kb'] / 1024:.1f} MB"
    return [label, f"{seconds:.1f} s ({count / seconds:.0f} cycles/s)",
            f"{verdict} (mounts, cgroups, daemon fds {before['fds']} → {after['fds']}, shims, daemon children); {rss}"]
