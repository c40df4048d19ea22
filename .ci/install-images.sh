#!/usr/bin/env bash
# The image-store tests use curl (HTTP checks), GNU tar and gzip (real tarballs), and mount a
# small tmpfs (util-linux) to fill a disk. nginx-light is only for bench/images, not for CI tests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages curl tar gzip util-linux
