package org.rackboot.tftp.wire;

import java.util.Locale;

/** Transfer modes, RFC 1350 section 1; matched case-insensitively as the RFC says. */
public enum Mode {
  NETASCII,
  OCTET,
  /** Obsolete (RFC 1350: "should not be used"); decoded so it can be refused by name. */
  MAIL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Mode of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "netascii" -> NETASCII;
      case "octet" -> OCTET;
      case "mail" -> MAIL;
      default -> throw new MalformedPacketException("mode netascii, octet or mail", "'" + name + "'");
    };
  }
}
