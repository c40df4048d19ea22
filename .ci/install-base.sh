#!/usr/bin/env bash
# The database tests' MariaDB server and client, and curl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages mariadb-server mariadb-client curl
