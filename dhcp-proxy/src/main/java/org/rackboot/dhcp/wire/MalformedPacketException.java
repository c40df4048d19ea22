package org.rackboot.dhcp.wire;

/**
 * A datagram that is not a well-formed DHCP message. The message always says what was expected
 * and what came instead, so a debug log line is enough to find the bad byte.
 */
public final class MalformedPacketException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MalformedPacketException(String message) {
    super(message, null, false, false);
  }

  /** "{@code what}: expected {@code expected}, got {@code actual}". */
  public static MalformedPacketException expected(String what, Object expected, Object actual) {
    return new MalformedPacketException(what + ": expected " + expected + ", got " + actual);
  }
}
