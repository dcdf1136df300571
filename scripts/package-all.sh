#!/usr/bin/env bash
# Packages the platform stack and every service offline (`sls package`), then lints each
# CloudFormation template with cfn-lint when it is on PATH. Usage: scripts/package-all.sh [stage]
set -euo pipefail
cd "$(dirname "$0")/.."
stage="${1:-local}"
dirs=(. services/*/)
for dir in "${dirs[@]}"; do
  dir="${dir%/}"
  echo "== sls package ($dir, stage $stage)"
  (cd "$dir" && sls package --stage "$stage")
done
if command -v cfn-lint >/dev/null 2>&1; then
  for dir in "${dirs[@]}"; do
    dir="${dir%/}"
    echo "== cfn-lint $dir/.serverless/cloudformation-template-update-stack.json"
    # Warnings (bit 4) and notes (bit 8) are printed; errors (bit 2) or a failure (bit 1) stop the build.
    set +e
    # W3005: serverless-iam-roles-per-function adds a DependsOn that a GetAtt already implies; harmless.
    cfn-lint --ignore-checks W3005 -- "$dir/.serverless/cloudformation-template-update-stack.json"
    status=$?
    set -e
    if (( status & 3 )); then echo "cfn-lint found errors in $dir (exit $status)"; exit 1; fi
  done
else
  echo "cfn-lint is not installed; skipped (pip install cfn-lint)"
fi
