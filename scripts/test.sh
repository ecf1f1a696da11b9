#!/usr/bin/env bash
# Runs every test: installs what is missing, checks formatting, builds, runs the xunit suite, and ends with the
# line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build Video2TfRecord.slnx -c Release --nologo >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
dotnet format Video2TfRecord.slnx --verify-no-changes --no-restore
status=0
dotnet test tests/Video2TfRecord.Tests -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?
summary=$(grep -E "(Passed|Failed)!" "$log" | tail -n 1 || true)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+), Passed.*/\1/p' <<<"$summary")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
