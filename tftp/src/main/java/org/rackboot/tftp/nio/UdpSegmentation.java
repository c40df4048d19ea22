package org.rackboot.tftp.nio;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.channels.DatagramChannel;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SegmentAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP generic segmentation offload (Linux 4.18+, {@code UDP_SEGMENT}): with it set on a socket,
 * one send of several blocks' datagrams laid end to end leaves as that many datagrams of the set
 * size, so a TFTP window (RFC 7440) costs one system call and one trip down the stack instead of
 * one per block. The kernel segments in software where the NIC cannot.
 *
 * <p>Java 17 has no API for the option: it is set with one {@code setsockopt} through the
 * incubating foreign-function API on the channel's descriptor. That needs the JVM started with
 * {@code --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED} and the
 * descriptor's field opened ({@code Add-Opens: java.base/sun.nio.ch}, in the application jar's
 * manifest). Without them, {@link #probe()} says why and windows go out a datagram per send.
 */
final class UdpSegmentation {

  private static final Logger LOG = LoggerFactory.getLogger(UdpSegmentation.class);
  private static final int SOL_UDP = 17;
  private static final int UDP_SEGMENT = 103;
  /** The kernel's limit per send (UDP_MAX_SEGMENTS, 64 before Linux 6.9). */
  static final int MAX_SEGMENTS = 64;
  /** At most this many bytes per send: a 64 KiB IP packet less the IPv4/IPv6 and UDP headers. */
  static final int MAX_SEND_BYTES = 65_000;

  /** What the JVM needs on its command line for the offload (besides the opened package). */
  static final String JVM_FLAGS =
      "--add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED";

  private static final UdpSegmentation INSTANCE = load();

  private final Setter setter;
  private final String unavailable;

  private UdpSegmentation(Setter setter, String unavailable) {
    this.setter = setter;
    this.unavailable = unavailable;
  }

  /** The process's one instance: usable, or not with the reason. */
  static UdpSegmentation probe() {
    return INSTANCE;
  }

  /** A stand-in that is never available (tests, and a server told not to use it). */
  static UdpSegmentation off(String why) {
    return new UdpSegmentation(null, why);
  }

  boolean available() {
    return setter != null;
  }

  /** Null when available; otherwise what is missing. */
  String unavailableReason() {
    return unavailable;
  }

  /** How many segments of {@code segmentSize} bytes one send may carry (at least 1). */
  static int segmentsPerSend(int segmentSize) {
    return Math.max(1, Math.min(MAX_SEGMENTS, MAX_SEND_BYTES / segmentSize));
  }

  /**
   * Sets the socket's segment size; true when the kernel took it. Only worth it when two
   * segments fit one send.
   */
  boolean enable(DatagramChannel channel, int segmentSize) {
    if (setter == null || segmentsPerSend(segmentSize) < 2) {
      return false;
    }
    try {
      return setter.set(channel, segmentSize) == 0;
    } catch (Throwable e) {
      LOG.debug("UDP_SEGMENT refused", e);
      return false;
    }
  }

  /**
   * Turns the option off again. Needed after a refused send: while it is set, the kernel also
   * refuses a single datagram larger than the path MTU (EMSGSIZE) instead of fragmenting it.
   */
  void disable(DatagramChannel channel) {
    if (setter == null) {
      return;
    }
    try {
      setter.set(channel, 0);
    } catch (Throwable e) {
      LOG.debug("UDP_SEGMENT not reset", e);
    }
  }

  private static UdpSegmentation load() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return off("not Linux");
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
      return off("the JVM was started without --add-modules jdk.incubator.foreign");
    }
    try {
      Setter s = new NativeSetter();
      // Proves the whole path once (descriptor access, the call) on a throwaway socket.
      try (DatagramChannel probe = DatagramChannel.open()) {
        if (s.set(probe, 1472) != 0) {
          return off("the kernel refused UDP_SEGMENT (Linux 4.18 or later has it)");
        }
      }
      return new UdpSegmentation(s, null);
    } catch (Throwable e) {
      // IllegalCallerException without --enable-native-access, InaccessibleObjectException
      // without the opened sun.nio.ch: either way, sends stay one datagram each.
      return off(e.toString());
    }
  }

  private interface Setter {
    int set(DatagramChannel channel, int segmentSize) throws Throwable;
  }

  /** Loaded only once the incubator module is known to be there. */
  private static final class NativeSetter implements Setter {
    private final MethodHandle setsockopt;
    private final Field fdVal;

    NativeSetter() throws ReflectiveOperationException {
      CLinker linker = CLinker.getInstance();
      setsockopt = linker.downcallHandle(
          CLinker.systemLookup().lookup("setsockopt").orElseThrow(),
          MethodType.methodType(int.class, int.class, int.class, int.class, MemoryAddress.class,
              int.class),
          FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT, CLinker.C_INT, CLinker.C_INT,
              CLinker.C_POINTER, CLinker.C_INT));
      fdVal = Class.forName("sun.nio.ch.DatagramChannelImpl").getDeclaredField("fdVal");
      fdVal.setAccessible(true);
    }

    @Override
    public int set(DatagramChannel channel, int segmentSize) throws Throwable {
      int fd = fdVal.getInt(channel);
      try (ResourceScope scope = ResourceScope.newConfinedScope()) {
        MemorySegment value = SegmentAllocator.ofScope(scope).allocate(CLinker.C_INT, segmentSize);
        return (int) setsockopt.invokeExact(fd, SOL_UDP, UDP_SEGMENT, value.address(), 4);
      }
    }
  }
}
