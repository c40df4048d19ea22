# shellcheck shell=bash
# Rackboot's TFTP engine alone (org.rackboot.tftp.mina.TftpMain): MINA listener, one
# ephemeral socket per transfer driven by selector threads.  Needs
# RACKBOOT_TFTP_CP (bench/tftp/run.sh sets it: tftp/target/classes + MINA + SLF4J + JNA).
JAVA=${JAVA:-java}
# -XX:-TieredCompilation: C2 only, compiled once from a full profile. With tiered compilation
# the hot path sat in profiling C1 code and was recompiled when the load changed shape (8 -> 1
# clients), which on a pinned single core cost 20-40 % of a single-transfer run (bench/tftp/README.md).
RACKBOOT_JAVA_OPTS=${RACKBOOT_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:-TieredCompilation}
RACKBOOT_TFTP_OPTS=${RACKBOOT_TFTP_OPTS:-}
ADAPTER_DESC="Rackboot TFTP (Java 17, selector-driven per-transfer sockets)"
ADAPTER_VERSION_CMD="$JAVA -version 2>&1 | head -1"
ADAPTER_CHECK() { [ -n "${RACKBOOT_TFTP_CP:-}" ] || die "set RACKBOOT_TFTP_CP (bench/tftp/run.sh does)"; }
# What the application jar's manifest grants java -jar, needed as flags with -cp for Rackboot to
# send a window in one UDP GSO send (UdpSegmentation, through JNA; any JDK 17+).
RACKBOOT_GSO_FLAGS="--add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
SERVER_CMD="$JAVA $RACKBOOT_JAVA_OPTS $RACKBOOT_GSO_FLAGS -cp ${RACKBOOT_TFTP_CP:-} org.rackboot.tftp.mina.TftpMain --root {ROOT} --bind {ADDR} --port {PORT} $RACKBOOT_TFTP_OPTS"
