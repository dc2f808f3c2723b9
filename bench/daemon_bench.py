"""`cove daemon` against dockerd: start-up to the first answer, and memory."""

import os
import statistics
import subprocess
import time
from pathlib import Path

from benchlib import ROOT, TIMEOUT, markdown_table


# --- engine daemons -------------------------------------------------------------


def http_get(sock_path, path, timeout=1.0):
    """One HTTP/1.0 GET over a UNIX socket; returns the status code or None."""
    import socket
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(sock_path)
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
            head = s.recv(64).decode(errors="replace")
            return int(head.split()[1]) if head.startswith("HTTP/") else None
    except (OSError, ValueError, IndexError):
        return None


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def measure_daemon(name, argv, sock, env=None):
    """Starts a daemon, times it until /_ping answers, reads its idle RSS, then its RSS
    after 200 /info requests, and stops it with SIGTERM (only the pid started here)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        ready_ms = None
        while time.monotonic() - start < 20:
            if proc.poll() is not None:
                return [name, "failed to start", "–", "–"]
            if http_get(sock, "/_ping") == 200:
                ready_ms = (time.monotonic() - start) * 1000
                break
            time.sleep(0.005)
        if ready_ms is None:
            return [name, "no answer in 20 s", "–", "–"]
        time.sleep(1.0)
        idle = rss_mb(proc.pid)
        for _ in range(200):
            http_get(sock, "/info")
        busy = rss_mb(proc.pid)
        return [name, f"{ready_ms:.0f} ms", f"{idle:.1f} MB", f"{busy:.1f} MB"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def daemon_rows(tools, tmp):
    rows = []
    cove = tools[0].binary
    if cove:
        root = Path(tmp) / "cove-root"
        sock = str(Path(tmp) / "cove.sock")
        rows.append(measure_daemon("cove daemon", [cove, "daemon", "--root", str(root), "--socket", sock], sock))
    else:
        rows.append(["cove daemon", "not built", "–", "–"])
    dockerd = subprocess.run(["bash", "-c", "command -v dockerd"], capture_output=True, text=True).stdout.strip()
    if dockerd and os.geteuid() == 0:
        base = Path(tmp) / "dockerd"
        sock = str(base / "docker.sock")
        argv = [dockerd, "--data-root", str(base / "data"), "--exec-root", str(base / "exec"),
                "--pidfile", str(base / "docker.pid"), "--host", f"unix://{sock}",
                "--bridge", "none", "--iptables=false", "--ip6tables=false"]
        rows.append(measure_daemon("dockerd", argv, sock))
    else:
        rows.append(["dockerd", "not installed" if not dockerd else "needs root", "–", "–"])
    return rows


def daemon_table(rows):
    return markdown_table(["daemon", "start to first answer", "idle RSS", "RSS after 200 /info"], rows)
