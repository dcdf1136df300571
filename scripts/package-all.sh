#!/usr/bin/env bash
# Packages the platform stack and every service offline (`sls package`), then proves what was packaged:
#   cfn-lint  every template: errors (or a failure) stop the build, warnings are printed;
#   checkov   every template: any failed check stops the build. A check that does not apply is
#             skipped in the template itself, with its reason (Metadata.checkov.skip), never here;
#   policy    the jest project `policy` (tests/policy) over every template.
# The stage checked is the first argument (default `local`, what CI and the local stack run), with
# its own `vpc` setting (serverless.common.yml's network: off unless set). `prod` is packaged too,
# with the VPC on (`--param vpc=true`), and its templates kept in .serverless/prod/: what differs by
# stage (tables kept, deletion protection) and every function attached to the private network, so
# each template is linted and policy-tested both with the VPC option off and on, at no extra
# packaging. services/network (the network itself) is packaged like the rest. Two services are
# packaged at a time, one per core.
# Usage: scripts/package-all.sh [stage]
set -euo pipefail
cd "$(dirname "$0")/.."
stage="${1:-local}"
start=$(date +%s)
# .ci/run installs cfn-lint and checkov in this venv; elsewhere they may be on PATH already.
if [ -d .ci/.venv/bin ]; then export PATH="$PWD/.ci/.venv/bin:$PATH"; fi
for tool in cfn-lint checkov; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is not installed: python3 -m venv .ci/.venv && .ci/.venv/bin/pip install cfn-lint checkov"
    exit 1
  fi
done

template=cloudformation-template-update-stack.json
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Lints one template; prints what cfn-lint and checkov say. Fails on an error or a failed check.
check_template() {
  local file="$1" status=0
  echo "-- cfn-lint $file"
  # W3005: serverless-iam-roles-per-function adds a DependsOn that a GetAtt already implies; harmless.
  cfn-lint --ignore-checks W3005 -- "$file" || status=$?
  # Warnings (bit 4) and notes (bit 8) are printed; errors (bit 2) or a failure (bit 1) stop the build.
  if (( status & 3 )); then echo "cfn-lint found errors in $file (exit $status)"; return 1; fi
  echo "-- checkov $file"
  # --skip-download: offline, without Prisma Cloud's guidelines; the checks ship with checkov.
  checkov -f "$file" --framework cloudformation --quiet --compact --skip-download || return 1
}

# Packages one serverless.yml for prod with the VPC on (its template kept in .serverless/prod/), then
# for the stage checked with its own setting (left in .serverless/, as `sls package` leaves it), and
# checks both templates. Runs as a background job, so every step says itself whether it failed.
package_dir() {
  local dir="$1" name="$2"
  echo "== sls package ($dir, stage prod, vpc on)"
  (cd "$dir" && sls package --stage prod --param vpc=true) || return 1
  cp "$dir/.serverless/$template" "$work/$name.prod.json" || return 1
  echo "== sls package ($dir, stage $stage)"
  (cd "$dir" && sls package --stage "$stage") || return 1
  mkdir -p "$dir/.serverless/prod" || return 1
  cp "$work/$name.prod.json" "$dir/.serverless/prod/$template" || return 1
  check_template "$dir/.serverless/$template" || return 1
  check_template "$dir/.serverless/prod/$template" || return 1
}

dirs=(. services/*/)
names=()
for dir in "${dirs[@]}"; do
  dir="${dir%/}"
  name="$(basename "$(cd "$dir" && pwd)")"
  names+=("$name")
  while (( $(jobs -rp | wc -l) >= 2 )); do wait -n || true; done
  { if package_dir "$dir" "$name" >"$work/$name.log" 2>&1; then echo 0; else echo 1; fi >"$work/$name.status"; } &
done
wait

failed=()
for name in "${names[@]}"; do
  cat "$work/$name.log"
  if [ "$(cat "$work/$name.status")" != 0 ]; then failed+=("$name"); fi
done
if (( ${#failed[@]} > 0 )); then echo "== packaging or its checks failed for: ${failed[*]}"; exit 1; fi

echo "== policy tests (tests/policy) over the packaged templates"
CENTLI_PACKAGED_STAGE="$stage" npx jest --selectProjects policy

echo "== packaged and checked in $(( $(date +%s) - start )) s"
