#!/usr/bin/env bash
# Code and dependency scanning, run by .ci/run (and `make audit`).
# - bandit: fails on any finding of medium or high severity in our code. Each reviewed
#   mark_safe carries `# nosec` with the reason on the line above.
# - pip-audit: fails on any known vulnerability in the installed dependencies. Where the
#   vulnerability service cannot be reached (a machine without access to PyPI's JSON API
#   or OSV), it says so loudly instead of passing as if it had checked.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

echo "== bandit (medium and high severity fail)"
"$VENV/bin/bandit" -q -r members meetings actions reports vru_governance \
  -x '*/migrations/*' -ll

echo "== pip-audit (known vulnerabilities in the installed dependencies)"
out=$(mktemp)
status=0
"$VENV/bin/pip-audit" --progress-spinner off --skip-editable --format json -o "$out" \
  2>/dev/null || status=$?
"$VENV/bin/python" - "$out" "$status" <<'PY'
import json, sys

path, status = sys.argv[1], int(sys.argv[2])
try:
    report = json.load(open(path))
except (OSError, ValueError):
    print("pip-audit produced no report", file=sys.stderr)
    sys.exit(1)
deps = report.get("dependencies", [])
vulnerable = [d for d in deps if d.get("vulns")]
unaudited = [d for d in deps if d.get("skip_reason")]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} "
              f"(fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release yet'})")
audited = len(deps) - len(unaudited)
print(f"{audited} of {len(deps)} dependencies audited, {len(vulnerable)} vulnerable")
if vulnerable:
    sys.exit(1)
if deps and not audited:
    print("WARNING: the vulnerability service could not be reached from this machine; "
          "no dependency was audited. Run `make audit` where PyPI's JSON API is reachable.")
PY
