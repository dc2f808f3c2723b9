"""The container engines the engine benchmarks compare, each isolated in the benchmark's temporary
directory: a cove daemon (--root, --socket, its own cgroup parent), a dockerd (its own data root,
exec root, pid file, socket and cgroup parent, no bridge, no iptables) unless one is already running,
and podman (its own --root, --runroot, --tmpdir and cgroup parent; no daemon). Each gets the same busybox image
(scripts/busybox-rootfs, imported). Everything started here is stopped by pid."""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from benchlib import ROOT, TIMEOUT
from unixhttp import mounts_under, ping, processes

IMAGE = "cove-bench-busybox:latest"
# Peers that need it get no network, as cove's containers by default: no host networking touched.
NO_NETWORK = ["--network", "none"]


@dataclass
class Engine:
    """One engine: how to call its CLI, which processes are its daemon and its shims."""

    name: str
    cli: list  # argv prefix of its CLI, socket included
    run_flags: list = field(default_factory=list)  # extra `run` flags the engine needs here
    daemon_pids: list = field(default_factory=list)  # pids whose RSS is the engine's daemon
    shim_name: str = ""  # the per-container process, by argv[0] basename
    started: Optional[subprocess.Popen] = None  # the daemon process started here, if any
    missing: str = ""  # why it is not available ("" when it is)
    socket: str = ""
    root: Optional[Path] = None  # cove's state root

    def run(self, args, timeout=TIMEOUT):
        return subprocess.run(self.cli + args, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def shims(self, ids):
        """The pids of this engine's per-container processes that name one of the container ids."""
        prefixes = {i[:12] for i in ids}
        found = []
        for pid, argv, _ in processes():
            if not argv or not os.path.basename(argv[0]).startswith(self.shim_name):
                continue
            if any(p in arg for arg in argv for p in prefixes):
                found.append(pid)
        return found


def wait_for_socket(proc, sock, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ping(sock):
            return True
        time.sleep(0.02)
    return False


def stop(proc):
    """SIGTERM to a daemon started here (by its pid), SIGKILL after 30 s."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def busybox_tar(tmp):
    path = Path(tmp) / "busybox-rootfs.tar"
    if not path.exists():
        with open(path, "wb") as out:
            subprocess.run(["bash", str(ROOT / "scripts/busybox-rootfs")], stdout=out, check=True)
    return path


def import_image(engine, tar):
    proc = engine.run(["import", "--change", 'CMD ["sh"]', str(tar), IMAGE] if engine.name != "cove"
                      else ["image", "import", "--change", 'CMD ["sh"]', str(tar), IMAGE])
    if proc.returncode != 0:
        engine.missing = "image import failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]


def start_cove(binary, tmp):
    base = Path(tmp) / "engine-cove"
    base.mkdir()
    sock = str(base / "cove.sock")
    engine = Engine("cove", [binary, "--host", f"unix://{sock}"], shim_name="cove-shim", socket=sock)
    if not binary:
        engine.missing = "not built"
        return engine
    log = open(base / "daemon.log", "w")
    engine.started = subprocess.Popen(
        [binary, "daemon", "--root", str(base / "root"), "--socket", sock,
         "--cgroup-parent", cove_cgroup_parent()],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    if not wait_for_socket(engine.started, sock):
        engine.missing = "daemon did not start"
        return engine
    engine.daemon_pids = [engine.started.pid]
    engine.root = base / "root"
    import_image(engine, busybox_tar(tmp))
    return engine


def cove_cgroup_parent():
    return f"cove-bench-{os.getpid()}"


def peer_cgroup_parent(name):
    """The cgroup a peer started here puts its containers (and podman its conmons) under, removed
    at the end: nothing of the run is left in the host's cgroup trees."""
    return f"{cove_cgroup_parent()}-{name}"


def start_docker(tmp):
    dockerd = shutil.which("dockerd")
    engine = Engine("docker", [], run_flags=NO_NETWORK, shim_name="containerd-shim")
    if not dockerd or not shutil.which("docker"):
        engine.missing = "not installed"
        return engine
    system = "/var/run/docker.sock"
    if ping(system):
        engine.socket = system
    else:
        base = Path(tmp) / "engine-docker"
        base.mkdir()
        engine.socket = str(base / "docker.sock")
        log = open(base / "dockerd.log", "w")
        engine.started = subprocess.Popen(
            [dockerd, "--data-root", str(base / "data"), "--exec-root", str(base / "exec"),
             "--pidfile", str(base / "docker.pid"), "-H", f"unix://{engine.socket}",
             "--bridge=none", "--iptables=false", "--ip6tables=false",
             "--cgroup-parent", "/" + peer_cgroup_parent("docker")],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        if not wait_for_socket(engine.started, engine.socket):
            engine.missing = "dockerd did not start"
            return engine
    engine.cli = ["docker", "--host", f"unix://{engine.socket}"]
    daemon = engine.started.pid if engine.started else pid_from(system.replace(".sock", ".pid"))
    engine.daemon_pids = [daemon] + [pid for pid, argv, ppid in processes()
                                     if argv and os.path.basename(argv[0]) == "containerd"
                                     and (ppid == daemon or engine.started is None)]
    import_image(engine, busybox_tar(tmp))
    return engine


def pid_from(path):
    try:
        return int(Path(path).read_text().strip())
    except (OSError, ValueError):
        return 0


def start_podman(tmp):
    engine = Engine("podman", [], shim_name="conmon")
    if not shutil.which("podman"):
        engine.missing = "not installed"
        return engine
    base = Path(tmp) / "engine-podman"
    base.mkdir()
    # runc: crun 1.8 refuses hybrid cgroup hosts. The ulimits: no CAP_SYS_RESOURCE here, and
    # podman's default rlimits exceed the hard limits.
    engine.cli = ["podman", "--root", str(base / "root"), "--runroot", str(base / "run"),
                  "--tmpdir", str(base / "tmp"), "--cgroup-manager", "cgroupfs",
                  "--events-backend", "file", "--runtime", "runc"]
    engine.run_flags = NO_NETWORK + ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000",
                                     "--cgroup-parent", "/" + peer_cgroup_parent("podman")]
    import_image(engine, busybox_tar(tmp))
    return engine


def start_engines(cove_binary, tmp):
    return [start_cove(cove_binary, tmp), start_docker(tmp), start_podman(tmp)]


def stop_engines(engines, tmp):
    """Removes every container left, stops the daemons started here, unmounts what they left
    under tmp, and removes cove's cgroup parent."""
    for engine in engines:
        if engine.missing and engine.started is None:
            continue
        if engine.name == "cove":
            ids = engine.run(["container", "ls", "-aq"]).stdout.split()
            if ids:
                engine.run(["container", "rm", "-f", *ids])
        elif engine.cli:
            ids = engine.run(["ps", "-aq", "--filter", f"ancestor={IMAGE}"]).stdout.split()
            if ids:
                engine.run(["rm", "-f", *(["-t", "0"] if engine.name == "podman" else []), *ids])
            if engine.name == "podman":
                engine.run(["rmi", "-f", IMAGE])
            elif engine.started is None:
                engine.run(["rmi", IMAGE])
        stop(engine.started)
    for point in reversed(mounts_under(tmp)):
        subprocess.run(["umount", "-l", point], capture_output=True)
    for name in (cove_cgroup_parent(), peer_cgroup_parent("docker"), peer_cgroup_parent("podman")):
        for top in cgroup_dirs(name):
            remove_cgroup_tree(top)


def remove_cgroup_tree(top):
    """rmdir of top and the cgroups below it, deepest first (only empty ones go)."""
    for directory, _, _ in sorted(os.walk(top), key=lambda entry: -entry[0].count("/")):
        try:
            os.rmdir(directory)
        except OSError:
            pass


def cgroup_dirs(name):
    """name's directory in every cgroup hierarchy mounted under /sys/fs/cgroup that has one."""
    base = Path("/sys/fs/cgroup")
    candidates = [base / name] + [d / name for d in base.iterdir() if d.is_dir()] if base.is_dir() else []
    return [d for d in candidates if d.is_dir()]
