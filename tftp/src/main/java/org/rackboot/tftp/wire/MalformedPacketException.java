package org.rackboot.tftp.wire;

/** A datagram that is not a well-formed TFTP packet; the message says what was expected and what came. */
public final class MalformedPacketException extends RuntimeException {

  public MalformedPacketException(String expected, String actual) {
    super("expected " + expected + ", got " + actual);
  }
}
