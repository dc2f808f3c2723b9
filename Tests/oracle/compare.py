#!/usr/bin/env python3
"""The loader's oracle test: `cove config` against Docker Compose v2.

For every case directory, Tests/CoveComposeTests/Fixtures/valid/*/ and examples/*/,
run `cove config --format json` and Compose v2's `docker-compose config --format json`
in that directory and compare the two documents; also validate cove's output against
Sources/CoveCompose/Schema/compose-spec.json.

A case directory may hold:
  cmd.args  extra CLI arguments, one per line, given to both tools before `config`
            (e.g. "-f", "base.yaml", "-f", "override.yaml" or "--profile", "debug")
  cmd.env   KEY=VALUE lines added to both tools' environment
  oracle.ignore
            known differences, one per line: a dotted path (`*` matches one key,
            `**` any number of keys, globs like `x-*` match key names) and, after
            `#`, the reason. The path is removed from both documents before they
            are compared; every other part of the case is still checked.

Each tool starts with a clean environment: PATH, HOME and cmd.env only.

Both documents are normalized the same way before comparing: object members whose
value is null or an empty object are dropped, recursively (v2's JSON prints
`command: null`, `networks: {default: null}`, `ipam: {}`, `placement: {}`).

Usage: compare.py [FILTER]   only cases whose name contains FILTER
  COVE        the cove binary (default: .build/debug/cove under the repo root)
  COMPOSE_V2  the Compose v2 binary (default: found by scripts/compose-v2)
  CI          when set, a missing Compose v2 or jsonschema is a failure, not a skip

Ends with the line `oracle: N passed, N failed`; exits 1 if any case failed.
"""

import difflib
import fnmatch
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASE_GLOBS = ["Tests/CoveComposeTests/Fixtures/valid/*/", "examples/*/"]
SCHEMA = ROOT / "Sources/CoveCompose/Schema/compose-spec.json"
TIMEOUT = 60
MAX_DIFF_LINES = 60


def find_compose_v2():
    """Path of the Compose v2 binary, or (None, why)."""
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts/compose-v2")], capture_output=True, text=True
    )
    if proc.returncode != 0:
        return None, proc.stderr.strip() or "scripts/compose-v2 failed"
    return proc.stdout.strip(), None


def load_validator():
    """A Draft 7 validator for the Compose schema, or (None, why)."""
    try:
        import jsonschema
    except ImportError:
        return None, "python module jsonschema is missing (run 'make deps')"
    with open(SCHEMA) as f:
        return jsonschema.Draft7Validator(json.load(f)), None


def cases(pattern):
    found = []
    for glob in CASE_GLOBS:
        found += sorted(p for p in ROOT.glob(glob) if p.is_dir())
    return [p for p in found if pattern in str(p.relative_to(ROOT))]


def read_args(case):
    path = case / "cmd.args"
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if line.strip()]


def read_env(case):
    path = case / "cmd.env"
    env = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise ValueError(f"{path}: not KEY=VALUE: {line!r}")
            env[key.strip()] = value
    return env


def clean_env(extra):
    env = {k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}
    env.update(extra)
    return env


def run_config(binary, case, args, env):
    """Runs `binary ARGS config --format json` in case; returns (document, error)."""
    cmd = [binary, *args, "config", "--format", "json"]
    try:
        proc = subprocess.run(
            cmd, cwd=case, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {TIMEOUT} s"
    except OSError as e:
        return None, str(e)
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {proc.stderr.strip()}"
    try:
        return json.loads(proc.stdout), None
    except json.JSONDecodeError as e:
        return None, f"output is not JSON ({e}): {proc.stdout[:300]!r}"


def normalize(value):
    """Drops object members that are null or empty objects, recursively."""
    if isinstance(value, dict):
        out = {}
        for key, member in value.items():
            member = normalize(member)
            if member is None or member == {}:
                continue
            out[key] = member
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def read_ignores(case):
    path = case / "oracle.ignore"
    if not path.exists():
        return []
    patterns = []
    for line in path.read_text().splitlines():
        pattern, _, reason = line.partition("#")
        pattern = pattern.strip()
        if not pattern:
            continue
        if not reason.strip():
            raise ValueError(f"oracle.ignore: no reason given for {pattern!r}")
        patterns.append(pattern.split("."))
    return patterns


def drop(value, pattern):
    """Removes the members a pattern names (see oracle.ignore above); lists are
    looked through."""
    if isinstance(value, list):
        return [drop(v, pattern) for v in value]
    if not pattern or not isinstance(value, dict):
        return value
    head, rest = pattern[0], pattern[1:]
    out = {}
    for key, member in value.items():
        if head == "**":
            if len(rest) == 1 and fnmatch.fnmatchcase(key, rest[0]):
                continue
            member = drop(member, pattern)
            if len(rest) > 1 and fnmatch.fnmatchcase(key, rest[0]):
                member = drop(member, rest[1:])
        elif fnmatch.fnmatchcase(key, head):
            if not rest:
                continue
            member = drop(member, rest)
        out[key] = member
    return out


def pretty(doc):
    return json.dumps(doc, indent=2, sort_keys=True).splitlines()


def diff(expected, actual):
    lines = list(
        difflib.unified_diff(
            pretty(expected), pretty(actual),
            "compose-v2", "cove", n=2, lineterm="",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = lines[:MAX_DIFF_LINES] + [f"... ({more} more diff lines)"]
    return "\n".join(lines)


def indent(text):
    return "\n".join("    " + line for line in text.splitlines())


def check(case, cove, v2, validator):
    """Returns None when the case passes, else what went wrong."""
    try:
        args, env = read_args(case), clean_env(read_env(case))
    except (OSError, ValueError) as e:
        return f"bad case files: {e}"

    expected, err = run_config(v2, case, args, env)
    if err:
        return f"fixture error: Compose v2 rejects it: {err}"
    actual, err = run_config(cove, case, args, env)
    if err:
        return f"cove config failed: {err}"

    problems = []
    if validator is not None:
        errors = sorted(validator.iter_errors(actual), key=lambda e: list(e.path))
        for e in errors[:10]:
            where = "/".join(str(p) for p in e.path) or "(root)"
            problems.append(f"schema: {where}: {e.message[:200]}")
        if len(errors) > 10:
            problems.append(f"schema: ... {len(errors) - 10} more errors")
    try:
        ignores = read_ignores(case)
    except ValueError as e:
        return f"bad case files: {e}"
    for pattern in ignores:
        expected, actual = drop(expected, pattern), drop(actual, pattern)
    expected, actual = normalize(expected), normalize(actual)
    if expected != actual:
        problems.append("differs from Compose v2:\n" + diff(expected, actual))
    return "\n".join(problems) or None


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    pattern = argv[1] if len(argv) == 2 else ""
    in_ci = bool(os.environ.get("CI"))

    v2, why = find_compose_v2()
    if v2 is None:
        print(f"oracle: Compose v2 is not available: {why}")
        if in_ci:
            print("oracle: 0 passed, 1 failed")
            return 1
        print("oracle: skipped (set CI=1 to make this a failure)")
        return 0

    validator, why = load_validator()
    if validator is None:
        print(f"oracle: {why}")
        if in_ci:
            print("oracle: 0 passed, 1 failed")
            return 1
        print("oracle: cove's output is not checked against the schema")

    cove = os.path.abspath(os.environ.get("COVE") or str(ROOT / ".build/debug/cove"))
    if not os.access(cove, os.X_OK):
        print(f"oracle: no cove binary at {cove} (run 'swift build', or set COVE)")
        print("oracle: 0 passed, 1 failed")
        return 1

    selected = cases(pattern)
    if not selected:
        print(f"oracle: no case matches {pattern!r}")
    passed = failed = 0
    for case in selected:
        name = str(case.relative_to(ROOT))
        problem = check(case, cove, v2, validator)
        if problem is None:
            passed += 1
            print(f"ok    {name}")
        else:
            failed += 1
            print(f"FAIL  {name}\n{indent(problem)}")
    print(f"oracle: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
