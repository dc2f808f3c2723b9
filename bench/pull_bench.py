"""The registry pull row of `make bench`: `cove image pull` of a ~200 MB image from Debian's
docker-registry on a loopback port, against `skopeo copy docker://… dir:…` of the same image in
the same run (where skopeo is installed).

The image has four layers of 50 MB of random bytes (incompressible, as real layers are after
gzip), uploaded straight through the registry API. Each cove run pulls into a fresh daemon root, so
every layer is downloaded, verified, unpacked into its snapshot and the image registered; each
skopeo run only copies the blobs into a fresh directory. Only the processes started here are
stopped, by pid.
"""

import hashlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

from benchlib import markdown_table

LAYERS = 4
LAYER_MB = 50
RUNS = 3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def upload(port, repo, data, digest):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", f"/v2/{repo}/blobs/uploads/", headers={"Content-Length": "0"})
    answer = conn.getresponse()
    answer.read()
    location = answer.getheader("Location")
    if answer.status != 202 or not location:
        raise RuntimeError(f"upload start failed: {answer.status}")
    if location.startswith("http"):
        location = "/" + location.split("/", 3)[3]
    separator = "&" if "?" in location else "?"
    conn.request("PUT", f"{location}{separator}digest={digest}",
                 body=data, headers={"Content-Type": "application/octet-stream", "Content-Length": str(len(data))})
    answer = conn.getresponse()
    answer.read()
    if answer.status != 201:
        raise RuntimeError(f"blob upload failed: {answer.status}")


def tar_of(name, payload):
    """A one-file ustar archive holding `payload` as `name`."""
    import io
    import tarfile
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        info = tarfile.TarInfo(name)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def seed(port, repo, tag):
    """Uploads the image; returns its total size in bytes."""
    layers, diff_ids = [], []
    for index in range(LAYERS):
        data = tar_of(f"layer{index}.bin", os.urandom(LAYER_MB * 1000 * 1000))
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        upload(port, repo, data, digest)
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": len(data)})
        diff_ids.append(digest)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    upload(port, repo, config, config_digest)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                   "size": len(config)},
        "layers": layers}).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("PUT", f"/v2/{repo}/manifests/{tag}", body=manifest,
                 headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    answer = conn.getresponse()
    answer.read()
    if answer.status != 201:
        raise RuntimeError(f"manifest upload failed: {answer.status}")
    return sum(layer["size"] for layer in layers) + len(config) + len(manifest)


def time_cove(cove, reference, tmp):
    """Median seconds of `cove image pull` into a fresh daemon root, or a reason."""
    times = []
    for run in range(RUNS):
        root = Path(tmp) / f"pull-root-{run}"
        sock = str(Path(tmp) / f"pull-{run}.sock")
        daemon = subprocess.Popen([cove, "daemon", "--root", str(root), "--socket", sock],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not os.path.exists(sock) and time.monotonic() < deadline and daemon.poll() is None:
                time.sleep(0.01)
            env = dict(os.environ, COVE_HOST=f"unix://{sock}", COVE_CONFIG=str(Path(tmp) / "cove-config"))
            env.pop("DOCKER_HOST", None)
            start = time.monotonic()
            result = subprocess.run([cove, "image", "pull", reference], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            elapsed = time.monotonic() - start
            if result.returncode != 0:
                return None, f"failed: {result.stderr.strip()[:80]}"
            times.append(elapsed)
        finally:
            stop(daemon)
            shutil.rmtree(root, ignore_errors=True)
    return statistics.median(times), None


def time_skopeo(reference, tmp):
    skopeo = shutil.which("skopeo")
    if not skopeo:
        return None, "not installed"
    times = []
    for run in range(RUNS):
        target = Path(tmp) / f"skopeo-{run}"
        start = time.monotonic()
        result = subprocess.run([skopeo, "copy", "--src-tls-verify=false", f"docker://{reference}", f"dir:{target}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.monotonic() - start
        shutil.rmtree(target, ignore_errors=True)
        if result.returncode != 0:
            return None, f"failed: {result.stderr.strip()[:80]}"
        times.append(elapsed)
    return statistics.median(times), None


def rows(cove, tmp):
    """[tool, time, throughput] rows, or one row saying why the benchmark could not run."""
    registry = shutil.which("docker-registry")
    if not registry:
        return [["registry pull", "docker-registry not installed", "–"]]
    if not cove:
        return [["cove image pull", "not built", "–"]]
    base = Path(tmp) / "registry"
    base.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (base / "config.yml").write_text(
        f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {base}/storage\n"
        f"http:\n  addr: 127.0.0.1:{port}\n")
    proc = subprocess.Popen([registry, "serve", str(base / "config.yml")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for_port(port, proc):
            return [["registry pull", "docker-registry did not start", "–"]]
        size = seed(port, "bench/big", "1")
        reference = f"127.0.0.1:{port}/bench/big:1"
        out = []
        for name, (seconds, reason) in (("cove image pull", time_cove(cove, reference, tmp)),
                                        ("skopeo copy to dir: (no unpacking)", time_skopeo(reference, tmp))):
            if seconds is None:
                out.append([name, reason, "–"])
            else:
                out.append([name, f"{seconds * 1000:.0f} ms", f"{size / seconds / 1e6:.0f} MB/s"])
        return out
    finally:
        stop(proc)
        shutil.rmtree(base, ignore_errors=True)


def table(rows):
    head = [f"pull of a {LAYERS * LAYER_MB} MB image ({LAYERS} layers) from a local registry",
            f"median of {RUNS}", "throughput"]
    return markdown_table(head, rows)
