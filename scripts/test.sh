#!/usr/bin/env bash
# Installs what rarematch needs (with the reference tools tests compare against), builds, and runs the whole test
# suite: every test on the Release build, then the unit tests on an ASan+UBSan build.
# Tests that need ../shared/data skip without it, except when CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --with-tools

echo "== Release build and all tests"
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release

echo "== ASan+UBSan build and unit tests"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan
