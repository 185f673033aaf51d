#!/bin/bash
# Install the host packages needed to build Trellis and run its tests.
# Idempotent: only packages that are not installed yet are fetched.
set -euo pipefail

PKGS=(
    build-essential gcc make binutils clang
    qemu-system-x86
    grub-pc-bin grub-common xorriso mtools
    musl-tools busybox-static cpio
    linux-image-amd64
    gdb manpages-dev cloc expect
    clang-14 python3
    gnuplot-nox
)

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#PKGS[@]} packages already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
else
    SUDO=(sudo)
fi

log=$(mktemp /tmp/trellis-setup.XXXXXX)
trap 'rm -f "$log"' EXIT

run_apt() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$log" 2>&1
}

if ! run_apt update -q || ! run_apt install -y -q --no-install-recommends "${missing[@]}"; then
    cat "$log" >&2
    echo "setup: apt-get failed installing: ${missing[*]}" >&2
    exit 1
fi
echo "setup: installed ${missing[*]}"
