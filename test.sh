#!/usr/bin/env bash
# Every test of MerlinAdapt. Installs what is missing (as root), builds, runs the suite, and ends with the line
# "N passed, M failed, K skipped"; the exit code is non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# shellcheck source=tools/ensure-deps.sh
source tools/ensure-deps.sh
ensure_deps --tests || { echo "0 passed, 1 failed"; exit 1; }

results="$here/.test-results"
rm -rf "$results"
if ! dotnet build MerlinAdapt.slnx -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test tests/MerlinAdapt.Tests/MerlinAdapt.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "the test run produced no results (exit code $status)"
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
# xunit v3 reports skipped tests as not executed without counting them in notExecuted.
skipped=$(( ${total:-0} - ${executed:-0} ))
errors=$(count error)
failed=$(( ${failed:-0} + ${errors:-0} ))
echo "${passed:-0} passed, ${failed} failed, ${skipped} skipped"
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
exit 0
