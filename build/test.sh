#!/usr/bin/env bash
# README's second command: installs and starts what the tests need, then runs the whole suite.
#   * the Debian packages each area's tests use (.ci/install-*.sh: tftp-hpa, atftp, busybox,
#     dnsmasq, isc-dhcp-relay, QEMU with SeaBIOS/iPXE and OVMF, MariaDB, ...), only when missing;
#   * a local MariaDB (.ci/start-mariadb.sh), so every database test runs on H2 and on MariaDB;
#   * ./mvnw -B verify with the MariaDB leg made mandatory, then a check that it really ran;
#   * the Debian package installed, run unprivileged, upgraded and purged (.ci/test-deb.sh);
#   * the server's start and the TFTP client tests on the newest JDK (.ci/test-jdk-matrix.sh);
#   * a fresh clone started with README's first command and PXE-booted by a VM
#     (.ci/test-fresh-clone.sh).
# Needs root (packages, network namespaces, privileged ports); without it, it says so and stops.
# Idempotent: safe to run again on the same machine. .ci/run (what CI runs) is this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "$(id -u)" != 0 ]; then
  echo "test: the suite needs root (Debian packages, network namespaces, ports 67/69);" \
       "run: sudo build/test.sh" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

for script in .ci/install-*.sh; do
  echo "== $script"
  bash "$script"
done
bash .ci/start-mariadb.sh

echo "== tests"
./mvnw -B verify -Drackboot.mariadb.required=true

# A run whose MariaDB tests were skipped must not pass: count the MariaDB invocations that ran.
ran=$(grep -ho 'testcase name="[^"]*\[MariaDB\][^"]*"' */target/surefire-reports/TEST-*.xml \
        */target/failsafe-reports/TEST-*.xml 2>/dev/null | wc -l)
skipped=$(grep -A1 -h 'testcase name="[^"]*\[MariaDB\]' */target/surefire-reports/TEST-*.xml \
        */target/failsafe-reports/TEST-*.xml 2>/dev/null | grep -c '<skipped' || true)
echo "MariaDB test invocations: $ran, skipped: $skipped"
if [ "$ran" -eq 0 ] || [ "$skipped" -ne 0 ]; then
  echo "FAIL: the MariaDB tests did not all run" >&2
  exit 1
fi

echo "== Debian package"
bash .ci/test-deb.sh

echo "== newest JDK"
# The main run used the default java (JDK 17); start the jar and run the TFTP client tests on
# the newest JDK installed too, with no JVM flags.
bash .ci/test-jdk-matrix.sh

if [ -f .ci/test-fresh-clone.sh ]; then
  echo "== fresh clone"
  bash .ci/test-fresh-clone.sh
fi
