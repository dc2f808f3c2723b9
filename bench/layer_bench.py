"""Layer unpacking: cove's unpacker against `tar -x` of the same uncompressed layer."""

import os
import statistics
import subprocess
import time
from pathlib import Path

from benchlib import ROOT, TIMEOUT, markdown_table


# --- layer unpacking ------------------------------------------------------------


LAYER_MB = 200


def make_layer(tmp):
    """An uncompressed layer tar of about LAYER_MB MB of mixed files from /usr (small
    documentation files first, then libraries and binaries up to 8 MB each), made by GNU tar."""
    limit, total, names = LAYER_MB << 20, 0, []
    for top in ("/usr/share", "/usr/lib", "/usr/bin", "/usr/sbin", "/usr/include"):
        for directory, dirs, files in os.walk(top):
            dirs.sort()
            names.append(directory)
            for name in sorted(files):
                path = os.path.join(directory, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                if info.st_size > 8 << 20:
                    continue
                names.append(path)
                total += 0 if os.path.islink(path) else info.st_size
                if total > limit:
                    break
            if total > limit:
                break
        if total > limit:
            break
    listing = Path(tmp) / "layer.list"
    listing.write_text("".join(n.lstrip("/") + "\n" for n in names))
    layer = Path(tmp) / "layer.tar"
    subprocess.run(["tar", "-cf", str(layer), "-C", "/", "--no-recursion", "-T", str(listing)],
                   check=True, stderr=subprocess.DEVNULL)
    return layer, len(names)


def unpack_rows(tmp, runs):
    """cove's layer unpack (cove-layer-helper: digest check, openat2-rooted writes, owners,
    modes, times) against `tar -x` of the same tar, alternating, median wall time of each."""
    helper = os.environ.get("COVE_LAYER_HELPER") or str(ROOT / ".build/release/cove-layer-helper")
    if os.geteuid() != 0:
        return [["layer unpack", "needs root", "–", "–"]]
    if not os.access(helper, os.X_OK):
        return [["layer unpack", "cove-layer-helper not built", "–", "–"]]
    layer, entries = make_layer(tmp)
    size_mb = layer.stat().st_size / (1 << 20)
    times = {"cove": [], "tar": []}
    for run in range(runs + 1):  # the first run warms the page cache and is not counted
        for tool in ("cove", "tar"):
            target = Path(tmp) / f"unpack-{tool}"
            subprocess.run(["rm", "-rf", str(target)], check=True)
            target.mkdir()
            subprocess.run(["sync"], check=True)
            if tool == "cove":
                proc = subprocess.run([helper, str(target), str(layer)], capture_output=True, text=True)
                if proc.returncode != 0 or not proc.stdout.startswith("unpacked "):
                    return [["layer unpack", "failed: " + (proc.stderr.strip() or proc.stdout.strip()), "–", "–"]]
                elapsed = float(proc.stdout.split()[1]) / 1000
            else:
                start = time.monotonic()
                subprocess.run(["tar", "-xf", str(layer), "-C", str(target)], check=True)
                elapsed = time.monotonic() - start
            if run:
                times[tool].append(elapsed)
    for tool in ("cove", "tar"):
        subprocess.run(["rm", "-rf", str(Path(tmp) / f"unpack-{tool}")], check=True)
    cove, tar = statistics.median(times["cove"]), statistics.median(times["tar"])
    label = f"layer unpack ({size_mb:.0f} MB, {entries} entries, uncompressed)"
    return [[label, f"{cove * 1000:.0f} ms ({size_mb / cove:.0f} MB/s)",
             f"{tar * 1000:.0f} ms ({size_mb / tar:.0f} MB/s)", f"{tar / cove:.2f}× (target ≥ 0.8×)"]]


def unpack_table(rows):
    return markdown_table(["operation", "cove", "tar -x", "cove speed vs tar"], rows)
