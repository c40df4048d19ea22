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

  public static Negotiation negotiate(Map<String, String> requested, long size, TransferLimits limits) {
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
