#!/usr/bin/env bash
# Installs the Debian 12 packages rarematch needs to build, test and run.
# Idempotent: packages already installed are skipped, and apt is not touched when nothing is missing.
# Run as root (or with sudo available). Usage: scripts/setup.sh [--with-tools]
#   --with-tools  also install the reference tools used by tests and benchmarks (bcftools, tabix, ...)
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config
  libhts-dev libtbb-dev libprotobuf-dev protobuf-compiler
  libboost-program-options-dev libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev
)
tool_packages=(bcftools tabix samtools hyperfine)

packages=("${build_packages[@]}")
if [[ "${1:-}" == "--with-tools" ]]; then
  packages+=("${tool_packages[@]}")
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "setup: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
    exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
