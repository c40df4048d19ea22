#!/usr/bin/env bash
# Power through the BMC: the ipmi driver runs ipmitool, and the tests' BMC is OpenIPMI's
# ipmi_sim (package openipmi) on a loopback UDP port.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages ipmitool openipmi
