"""A minimal HTTP/1.1 client over a UNIX socket (the Docker Engine API's transport), and what the
engine benchmarks read from /proc about processes."""

import http.client
import json
import os
import socket


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over AF_UNIX: one keep-alive connection to an engine socket."""

    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class EngineAPI:
    """Docker Engine API calls used by the benchmarks; each raises RuntimeError on an error status."""

    def __init__(self, socket_path):
        self.conn = UnixHTTPConnection(socket_path)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload.decode(errors='replace').strip()}")
        if "json" not in (response.getheader("Content-Type") or ""):
            return payload.decode(errors="replace")
        return json.loads(payload) if payload.strip() else None

    def close(self):
        self.conn.close()


def ping(socket_path, timeout=1.0):
    """True when the engine on socket_path answers GET /_ping with 200."""
    try:
        conn = UnixHTTPConnection(socket_path, timeout=timeout)
        conn.request("GET", "/_ping")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def processes():
    """(pid, argv, parent pid) of every process that can be read now (a zombie's argv is empty)."""
    result = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        argv = cmdline(entry)
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        result.append((int(entry), argv, ppid))
    return result


def mounts_under(path):
    """Mount points at or below path (from /proc/self/mountinfo), deepest last."""
    prefix = str(path).rstrip("/")
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].replace("\\040", " ")
            if point == prefix or point.startswith(prefix + "/"):
                found.append(point)
    return found
