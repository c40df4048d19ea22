# shellcheck shell=bash
# Rackboot's proxy-DHCP (the api jar, the inventory's BootPlanner on H2, TFTP off) on {IFACE}.
RACKBOOT_BENCH_DIR=$(cd "$BENCH_DIR/../dhcp" && pwd)
ADAPTER_DESC="Rackboot proxy-DHCP (api jar, BootPlanner on H2)"
ADAPTER_VERSION_CMD="java -version 2>&1 | head -1; cd $RACKBOOT_BENCH_DIR && git rev-parse --short HEAD"
ADAPTER_CHECK() { [ -r "${RACKBOOT_JAR:-$RACKBOOT_BENCH_DIR/../../api/target/rackboot.jar}" ] ||
    die "no api/target/rackboot.jar: ./mvnw -B -q -pl api -am package -DskipTests"; }
SERVER_CMD="$RACKBOOT_BENCH_DIR/rackboot-server.sh {IFACE} {RUNDIR}"
