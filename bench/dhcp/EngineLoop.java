import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.rackboot.dhcp.pxe.DefaultBootPolicy;
import org.rackboot.dhcp.pxe.MacRateLimiter;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpStats;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.wire.Ipv4;

/**
 * The proxy's decision path without sockets: decode, filter, rate limit, DefaultBootPolicy,
 * build and encode the OFFER, for a real EDK2 DISCOVER from 10,000 MACs. Prints thread CPU per
 * packet (not wall time, so other load on the machine inflates it less). The rate limiter's
 * clock advances as if the packets came at 30,000 per second (3 per MAC per second).
 *   java -cp api/target/rackboot.jar bench/dhcp/EngineLoop.java [PACKETS]
 */
public class EngineLoop {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    byte[] seed = HexFormat.of().parseHex(new String(java.nio.file.Files.readAllBytes(
        java.nio.file.Path.of("dhcp-proxy/src/test/resources/vectors/edk2-uefi-discover.hex")))
        .replaceAll("\\s+", ""));
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    // The limiter's clock runs at the benchmark's top load: one packet every 1/30000 s.
    long[] clock = {0};
    ProxyDhcpStats stats = new ProxyDhcpStats();
    ProxyDhcpEngine engine = new ProxyDhcpEngine(DefaultBootPolicy.withDefaults(),
        List.of(new ServedInterface("pxs0", Ipv4.parse("198.18.0.1"), 24)), List.of(),
        ProxyDhcpEngine.Ports.STANDARD,
        new MacRateLimiter(5, 20, 100_000, () -> clock[0]), stats);
    InetSocketAddress from = new InetSocketAddress("198.18.0.2", 68);
    var bean = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) {
      long cpu0 = bean.getCurrentThreadCpuTime();
      long alloc0 = ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes();
      long replies = 0;
      for (int i = 0; i < n; i++) {
        clock[0] += 1_000_000_000L / 30_000;
        int mac = i % 10_000;
        seed[32] = (byte) (mac >> 8);
        seed[33] = (byte) mac;
        replies += engine.handle(ByteBuffer.wrap(seed), from, null, false).size();
      }
      long cpu = bean.getCurrentThreadCpuTime() - cpu0;
      long alloc = ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes()
          - alloc0;
      System.out.printf("round %d: %d DISCOVERs, %d offers, %.2f us CPU/packet, %d bytes"
          + " allocated/packet, rate-limited %d%n", round + 1, n, replies, cpu / 1e3 / n,
          alloc / n, stats.ignoredCount(org.rackboot.dhcp.pxe.IgnoreReason.RATE_LIMITED));
    }
  }
}
