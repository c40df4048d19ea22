package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rackboot.dhcp.pxe.DefaultBootPolicy;
import org.rackboot.dhcp.pxe.MacRateLimiter;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpStats;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.dhcp.testing.Vectors;

/**
 * Mutation fuzzing in every build: 100,000 mutants of the real captured packets (seeded, so a
 * failure is reproducible from the printed seed and iteration). The decoder either returns a
 * message that round-trips or throws {@link MalformedPacketException}, nothing else; the engine
 * never throws. {@link DhcpDecoderFuzzTest} is the coverage-guided Jazzer counterpart.
 */
class DecoderMutationTest {

  private static final int MUTANTS = 100_000;
  private static final long SEED = 0x5eed_d4c9L;

  @Test
  void hundredThousandMutatedRealPacketsNeverBreakTheDecoderOrTheEngine() {
    List<byte[]> seeds = Vectors.ALL.stream().map(Vectors::bytes).toList();
    Random rnd = new Random(SEED);
    ByteBuffer out = ByteBuffer.allocate(70_000);
    ProxyDhcpStats stats = new ProxyDhcpStats();
    ProxyDhcpEngine engine = new ProxyDhcpEngine(DefaultBootPolicy.withDefaults(),
        List.of(new ServedInterface("br0", org.rackboot.dhcp.wire.Ipv4.parse("10.77.0.1"), 24)),
        List.of(Subnet.parse("0.0.0.0/0")), ProxyDhcpEngine.Ports.STANDARD,
        MacRateLimiter.unlimited(), stats);
    InetSocketAddress from = new InetSocketAddress("0.0.0.0", 68);
    int decoded = 0;
    for (int i = 0; i < MUTANTS; i++) {
      byte[] p = mutate(seeds.get(rnd.nextInt(seeds.size())), seeds, rnd);
      try {
        DhcpMessage m;
        try {
          m = DhcpMessage.decode(ByteBuffer.wrap(p));
        } catch (MalformedPacketException expected) {
          engine.handle(ByteBuffer.wrap(p), from, null, rnd.nextBoolean());
          continue;
        }
        decoded++;
        out.clear();
        m.encode(out, out.capacity());
        out.flip();
        assertThat(DhcpMessage.decode(out)).isEqualTo(m);
        engine.handle(ByteBuffer.wrap(p), from, null, rnd.nextBoolean());
      } catch (RuntimeException | AssertionError e) {
        fail("mutant " + i + " (seed " + Long.toHexString(SEED) + ") "
            + java.util.HexFormat.of().formatHex(p), e);
      }
    }
    // Both outcomes must be well represented, or the mutator is not testing much.
    assertThat(decoded).isBetween(MUTANTS / 10, MUTANTS - MUTANTS / 10);
    assertThat(stats.received()).isEqualTo(MUTANTS);
    assertThat(stats.malformedCount()).isPositive();
    assertThat(stats.offers() + stats.acks()).isPositive();
  }

  /** One to four random edits of a real packet, biased towards the option area. */
  static byte[] mutate(byte[] seed, List<byte[]> all, Random rnd) {
    byte[] p = seed.clone();
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = p.length == 0 ? 0 : optionBiased(p.length, rnd);
      switch (rnd.nextInt(8)) {
        case 0, 1 -> {
          if (p.length > 0) {
            p[at] = (byte) rnd.nextInt(256); // any byte
          }
        }
        case 2 -> {
          if (p.length > 0) {
            p[at] = (byte) new int[] {0, 1, 52, 53, 255, 43, 60, 77, 82, 97}[rnd.nextInt(10)];
          }
        }
        case 3 -> p = Arrays.copyOf(p, rnd.nextInt(p.length + 1)); // truncate
        case 4 -> { // insert a run of bytes
          byte[] ins = new byte[1 + rnd.nextInt(8)];
          rnd.nextBytes(ins);
          p = splice(p, at, ins, 0);
        }
        case 5 -> { // delete a run
          int n = Math.min(p.length - at, 1 + rnd.nextInt(8));
          p = splice(p, at, new byte[0], n);
        }
        case 6 -> { // graft the tail of another packet
          byte[] other = all.get(rnd.nextInt(all.size()));
          int from = rnd.nextInt(other.length);
          p = splice(Arrays.copyOf(p, at), at, Arrays.copyOfRange(other, from, other.length), 0);
        }
        default -> p = Arrays.copyOf(p, p.length + rnd.nextInt(2000)); // zero padding
      }
    }
    return p;
  }

  private static int optionBiased(int length, Random rnd) {
    if (length > DhcpMessage.HEADER_LENGTH && rnd.nextInt(4) != 0) {
      return DhcpMessage.HEADER_LENGTH + rnd.nextInt(length - DhcpMessage.HEADER_LENGTH);
    }
    return rnd.nextInt(length);
  }

  private static byte[] splice(byte[] p, int at, byte[] insert, int delete) {
    byte[] r = new byte[p.length - delete + insert.length];
    System.arraycopy(p, 0, r, 0, at);
    System.arraycopy(insert, 0, r, at, insert.length);
    System.arraycopy(p, at + delete, r, at + insert.length, p.length - at - delete);
    return r;
  }
}
