# shellcheck shell=bash
# Rackboot's TFTP engine alone (org.rackboot.tftp.TftpMain): MINA listener, one
# ephemeral socket per transfer driven by selector threads.  Needs
# RACKBOOT_TFTP_CP (bench/tftp/run.sh sets it: tftp/target/classes + MINA + SLF4J).
JAVA=${JAVA:-java}
RACKBOOT_JAVA_OPTS=${RACKBOOT_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
RACKBOOT_TFTP_OPTS=${RACKBOOT_TFTP_OPTS:-}
ADAPTER_DESC="Rackboot TFTP (Java 17, selector-driven per-transfer sockets)"
ADAPTER_VERSION_CMD="$JAVA -version 2>&1 | head -1"
ADAPTER_CHECK() { [ -n "${RACKBOOT_TFTP_CP:-}" ] || die "set RACKBOOT_TFTP_CP (bench/tftp/run.sh does)"; }
SERVER_CMD="$JAVA $RACKBOOT_JAVA_OPTS -cp ${RACKBOOT_TFTP_CP:-} org.rackboot.tftp.TftpMain --root {ROOT} --bind {ADDR} --port {PORT} $RACKBOOT_TFTP_OPTS"
