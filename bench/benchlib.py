"""What the benchmark modules share: where the project is, where results go, the time limit."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TIMEOUT = 300


def markdown_table(head, rows):
    """A Markdown table of `rows` (lists of cells) under `head`."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
