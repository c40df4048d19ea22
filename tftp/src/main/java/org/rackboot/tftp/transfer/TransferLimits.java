package org.rackboot.tftp.transfer;

/**
 * Bounds a transfer negotiates within and runs under.
 *
 * @param maxBlockSize largest blksize granted (RFC 2348 allows 8..65464)
 * @param maxWindowSize largest windowsize granted (RFC 7440 allows 1..65535)
 * @param defaultTimeoutMicros retransmit timeout when the client sends no timeout option
 * @param maxRetries retransmissions of one window before the transfer is abandoned
 * @param adaptiveTimeout when the client sets no timeout, follow the measured round trip (RFC
 *     1123 section 4.2.3.2) with {@code defaultTimeoutMicros} as the initial and largest value
 */
public record TransferLimits(int maxBlockSize, int maxWindowSize, long defaultTimeoutMicros,
    int maxRetries, boolean adaptiveTimeout) {

  public static final int MIN_BLKSIZE = 8;
  public static final int MAX_BLKSIZE = 65464;

  public TransferLimits {
    if (maxBlockSize < 512 || maxBlockSize > MAX_BLKSIZE) {
      throw new IllegalArgumentException("maxBlockSize must be 512..65464, got " + maxBlockSize);
    }
    // Below 32768 a window can never hold two blocks with the same 16-bit number.
    if (maxWindowSize < 1 || maxWindowSize > 32767) {
      throw new IllegalArgumentException("maxWindowSize must be 1..32767, got " + maxWindowSize);
    }
    if (defaultTimeoutMicros < 1000) {
      throw new IllegalArgumentException("timeout must be at least 1 ms");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0");
    }
  }

  public static TransferLimits defaults() {
    return new TransferLimits(MAX_BLKSIZE, 64, 1_000_000, 5, true);
  }
}
