"""Loading a ~200 MB image archive into `cove daemon` (store the blobs, check their digests,
unpack the layer into its snapshot), against skopeo copying the same archive into an OCI
directory (blobs only, no unpack) where skopeo is installed."""

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchlib import TIMEOUT, markdown_table
from daemon_bench import http_get
from layer_bench import make_layer


def docker_archive(tmp, layer):
    """A `docker save`-format archive holding one image whose single layer is `layer`."""
    import hashlib
    import json
    directory = Path(tmp) / "archive"
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    digest = hashlib.sha256()
    with open(layer, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    layer_hex = digest.hexdigest()
    os.link(layer, blobs / layer_hex)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_hex]}}).encode()
    config_hex = hashlib.sha256(config).hexdigest()
    (blobs / config_hex).write_bytes(config)
    (directory / "manifest.json").write_text(json.dumps([{
        "Config": f"blobs/sha256/{config_hex}", "RepoTags": ["bench/load:1"],
        "Layers": [f"blobs/sha256/{layer_hex}"]}]))
    archive = Path(tmp) / "image.tar"
    subprocess.run(["tar", "-C", str(directory), "-cf", str(archive), "."], check=True)
    subprocess.run(["rm", "-rf", str(directory)], check=True)
    return archive


def load_rows(cove, tmp, runs):
    """Median wall time of `cove image load -i ARCHIVE` (the image removed between runs, so each
    run stores and unpacks again) and of `skopeo copy docker-archive:… oci:…`."""
    label = "image load"
    if os.geteuid() != 0:
        return [[label, "needs root (the layer is unpacked with its owners)", "–"]]
    if not cove or not os.access(cove, os.X_OK):
        return [[label, "cove not built", "–"]]
    layer, _ = make_layer(tmp)
    archive = docker_archive(tmp, layer)
    layer.unlink()
    size_mb = archive.stat().st_size / (1 << 20)
    label = f"image load ({size_mb:.0f} MB archive, one uncompressed layer)"
    root = Path(tempfile.mkdtemp(prefix="cove-load-root-", dir=tmp))
    sock = str(root / "cove.sock")
    env = dict(os.environ, COVE_HOST="unix://" + sock, COVE_ROOT=str(root))
    daemon = subprocess.Popen([cove, "daemon", "--root", str(root), "--socket", sock],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while http_get(sock, "/_ping") != 200:
            if daemon.poll() is not None or time.monotonic() > deadline:
                return [[label, "the daemon did not start", "–"]]
            time.sleep(0.01)
        times = []
        for _ in range(runs):
            start = time.monotonic()
            proc = subprocess.run([cove, "image", "load", "-q", "-i", str(archive)], env=env,
                                  capture_output=True, text=True, timeout=TIMEOUT)
            elapsed = time.monotonic() - start
            if proc.returncode != 0:
                return [[label, "failed: " + proc.stderr.strip(), "–"]]
            times.append(elapsed)
            subprocess.run([cove, "image", "rm", "bench/load:1"], env=env, capture_output=True, timeout=TIMEOUT)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    cove_s = statistics.median(times)
    cells = [label, f"{cove_s * 1000:.0f} ms ({size_mb / cove_s:.0f} MB/s)"]
    if subprocess.run(["bash", "-c", "command -v skopeo"], capture_output=True).returncode != 0:
        return [cells + ["skopeo not installed"]]
    skopeo = []
    for run in range(runs):
        target = Path(tmp) / f"skopeo-{run}"
        start = time.monotonic()
        proc = subprocess.run(["skopeo", "copy", "-q", f"docker-archive:{archive}", f"oci:{target}:load"],
                              capture_output=True, text=True, timeout=TIMEOUT)
        skopeo.append(time.monotonic() - start)
        subprocess.run(["rm", "-rf", str(target)], check=True)
        if proc.returncode != 0:
            return [cells + ["failed: " + proc.stderr.strip()]]
    skopeo_s = statistics.median(skopeo)
    return [cells + [f"{skopeo_s * 1000:.0f} ms ({size_mb / skopeo_s:.0f} MB/s)"]]


def load_table(rows):
    return markdown_table(["operation", "cove daemon (store, verify, unpack)", "skopeo copy to an OCI dir"], rows)
