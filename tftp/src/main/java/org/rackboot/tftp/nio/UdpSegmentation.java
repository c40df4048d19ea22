package org.rackboot.tftp.nio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP generic segmentation offload (Linux 4.18+, {@code UDP_SEGMENT}): with it set on a socket,
 * one send of several blocks' datagrams laid end to end leaves as that many datagrams of the set
 * size, so a TFTP window (RFC 7440) costs one system call and one trip down the stack instead of
 * one per block. The kernel segments in software where the NIC cannot.
 *
 * <p>The JDK has no socket option for it: it is set with one {@code setsockopt} through JNA,
 * which works the same on JDK 17, 21 and 25 and needs no JVM flag. The channel's descriptor is
 * read from {@code sun.nio.ch.DatagramChannelImpl}; the application jar's manifest opens that
 * package ({@code Add-Opens: java.base/sun.nio.ch}) and allows JNA's native library
 * ({@code Enable-Native-Access: ALL-UNNAMED}, which JDK 24+ would otherwise warn about). Started
 * with {@code -cp} instead of {@code -jar}, the JVM needs those two as flags. Without any of it
 * {@link #probe()} says why, and windows go out a datagram per send.
 */
final class UdpSegmentation {

  private static final Logger LOG = LoggerFactory.getLogger(UdpSegmentation.class);
  private static final int SOL_UDP = 17;
  private static final int UDP_SEGMENT = 103;
  /** The kernel's limit per send (UDP_MAX_SEGMENTS, 64 before Linux 6.9). */
  static final int MAX_SEGMENTS = 64;
  /** At most this many bytes per send: a 64 KiB IP packet less the IPv4/IPv6 and UDP headers. */
  static final int MAX_SEND_BYTES = 65_000;

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

  /** Null when available; otherwise what is missing, one line that reads after "because". */
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
      int errno = setter.set(channel, segmentSize);
      if (errno != 0) {
        LOG.debug("UDP_SEGMENT refused: errno {}", errno);
      }
      return errno == 0;
    } catch (IllegalAccessException | RuntimeException e) {
      LOG.debug("UDP_SEGMENT not set", e);
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
    } catch (IllegalAccessException | RuntimeException e) {
      LOG.debug("UDP_SEGMENT not reset", e);
    }
  }

  private static UdpSegmentation load() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return off("this is not Linux");
    }
    Field fdVal;
    try {
      fdVal = Class.forName("sun.nio.ch.DatagramChannelImpl").getDeclaredField("fdVal");
      fdVal.setAccessible(true);
    } catch (InaccessibleObjectException e) {
      return off("java.base/sun.nio.ch is not opened, so a socket's descriptor cannot be read"
          + " (java -jar opens it from the jar's manifest; with -cp add --add-opens"
          + " java.base/sun.nio.ch=ALL-UNNAMED)");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return off("this JDK keeps a socket's descriptor elsewhere (" + e + ")");
    }
    Setter s;
    try {
      s = new JnaSetter(fdVal);
    } catch (LinkageError | RuntimeException e) {
      // UnsatisfiedLinkError: JNA could not unpack or load its native library (a noexec
      // temporary directory, an unknown platform); NoClassDefFoundError: JNA is not there.
      return off("JNA cannot call setsockopt (" + firstLine(e) + ")");
    }
    // Proves the whole path once (descriptor, call, kernel) on a throwaway socket.
    try (DatagramChannel probe = DatagramChannel.open()) {
      int errno = s.set(probe, 1472);
      if (errno != 0) {
        return off("the kernel refused UDP_SEGMENT (errno " + errno
            + "; Linux 4.18 or later has it)");
      }
      return new UdpSegmentation(s, null);
    } catch (Exception | LinkageError e) {
      return off("setting UDP_SEGMENT failed (" + firstLine(e) + ")");
    }
  }

  /** The start of a throwable's text: the reason goes into one log line. */
  private static String firstLine(Throwable e) {
    String s = e.toString();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).strip();
  }

  private interface Setter {
    /** Sets the segment size (0: off); returns 0, or the errno the kernel answered. */
    int set(DatagramChannel channel, int segmentSize) throws IllegalAccessException;
  }

  /** The C library's setsockopt, bound by JNA; only this class touches JNA's types. */
  private static final class JnaSetter implements Setter {

    /** The one libc function used. */
    public interface LibC extends Library {
      int setsockopt(int fd, int level, int optname, IntByReference optval, int optlen);
    }

    private final LibC libc;
    private final Field fdVal;

    JnaSetter(Field fdVal) {
      this.libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      this.fdVal = fdVal;
    }

    @Override
    public int set(DatagramChannel channel, int segmentSize) throws IllegalAccessException {
      int fd = fdVal.getInt(channel);
      if (libc.setsockopt(fd, SOL_UDP, UDP_SEGMENT, new IntByReference(segmentSize), 4) == 0) {
        return 0;
      }
      return Native.getLastError();
    }
  }
}
