package org.rackboot.tftp.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options a read transfer runs with, and the OACK that announces them (RFC 2347). An option
 * that is unknown, or whose value is bad, is left out of the OACK rather than failing the request.
 *
 * @param adaptiveTimeout the timeout may follow the round trip (the client fixed none)
 * @param oack the accepted options in request order; empty means "no OACK, start with DATA 1"
 */
public record Negotiation(int blockSize, int windowSize, long timeoutMicros,
    boolean adaptiveTimeout, Map<String, String> oack) {

  /** RFC 1350 block size when no blksize is accepted. */
  public static final int DEFAULT_BLKSIZE = 512;

  /** Per-datagram bytes beside the block: TFTP header 4, UDP 8, IPv4 20 (a little over for IPv6). */
  public static final int DATAGRAM_OVERHEAD = 32;

  public static Negotiation negotiate(Map<String, String> requested, long size, TransferLimits limits) {
    return negotiate(requested, size, limits, Long.MAX_VALUE);
  }

  /**
   * As {@link #negotiate(Map, long, TransferLimits)}, with windows held to {@code maxWindowBytes}:
   * a window goes out at once, and what does not fit in the socket's send buffer is dropped
   * before it leaves (Linux caps the buffer at net.core.wmem_max, 208 KiB on many distributions;
   * blksize 16384 at windowsize 64 is 1 MiB). RFC 7440 lets the server answer a smaller window.
   */
  public static Negotiation negotiate(Map<String, String> requested, long size, TransferLimits limits,
      long maxWindowBytes) {
    int blockSize = DEFAULT_BLKSIZE;
    int windowSize = 1;
    long timeoutMicros = limits.defaultTimeoutMicros();
    Map<String, String> oack = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : requested.entrySet()) {
      long v = parse(e.getValue());
      switch (e.getKey()) {
        case "blksize" -> {
          // RFC 2348: 8..65464; a larger request is answered with the largest we allow.
          if (v >= TransferLimits.MIN_BLKSIZE) {
            blockSize = (int) Math.min(v, limits.maxBlockSize());
            oack.put("blksize", Integer.toString(blockSize));
          }
        }
        case "windowsize" -> {
          // RFC 7440: 1..65535; the server may answer with a smaller window.
          if (v >= 1 && v <= 65535) {
            windowSize = (int) Math.min(v, limits.maxWindowSize());
            oack.put("windowsize", Integer.toString(windowSize));
          }
        }
        case "timeout" -> {
          // RFC 2349: 1..255 seconds, echoed unchanged if accepted.
          if (v >= 1 && v <= 255) {
            timeoutMicros = v * 1_000_000L;
            oack.put("timeout", Long.toString(v));
          }
        }
        case "tsize" -> {
          // RFC 2349: a read request carries 0 and gets the real size back.
          if (v >= 0) {
            oack.put("tsize", Long.toString(size));
          }
        }
        default -> {
          // RFC 2347: unknown options are ignored.
        }
      }
    }
    if (windowSize > 1 && (long) windowSize * (blockSize + DATAGRAM_OVERHEAD) > maxWindowBytes) {
      windowSize = (int) Math.max(1, maxWindowBytes / (blockSize + DATAGRAM_OVERHEAD));
      oack.put("windowsize", Integer.toString(windowSize));
    }
    boolean adaptive = limits.adaptiveTimeout() && !oack.containsKey("timeout");
    return new Negotiation(blockSize, windowSize, timeoutMicros, adaptive, oack);
  }

  /** A decimal option value, or -1 when it is not one (an over-long number counts as bad). */
  private static long parse(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
