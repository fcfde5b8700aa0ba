#!/usr/bin/env bash
# Compliance speed: a real 10,000-file course repository (git fast-import), pushed to a real Forge over smart HTTP,
# then the licence check (full, then after a one-file push) and the personal-data scan run in-process.
# Prints one line with the times; the test asserts the reports, never the times.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet test "$root/tests/Forge.Tests" --filter "FullyQualifiedName~ComplianceSpeedTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -m1 -o 'compliance: .*'
