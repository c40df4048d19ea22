package org.rackboot.dhcp.wire;

/** How an option's bytes are read and rendered; the definition table maps codes to these. */
public enum OptionType {
  /** One IPv4 address. */
  IPV4(4, 4, 4),
  /** One or more IPv4 addresses. */
  IPV4_LIST(4, 4, 252),
  U8(1, 1, 1),
  U16(2, 2, 2),
  U32(4, 4, 4),
  /** A list of bytes (option 55: option codes). */
  U8_LIST(1, 1, 255),
  /** A list of 16-bit values (option 93: client architectures, RFC 4578 section 2.1). */
  U16_LIST(2, 2, 254),
  /** NVT ASCII, no terminating NUL required. */
  STRING(1, 1, Integer.MAX_VALUE),
  BYTES(0, 1, Integer.MAX_VALUE),
  /** Option 53. */
  MESSAGE_TYPE(1, 1, 1),
  /** Option 61: a type byte (1 = Ethernet) then the identifier (RFC 2132 section 9.14). */
  CLIENT_ID(2, 1, Integer.MAX_VALUE),
  /** Option 94: type 1 = UNDI, then major and minor version (RFC 4578 section 2.2). */
  NDI(3, 1, 3),
  /** Option 97: type 0, then 16 bytes of SMBIOS-ordered UUID (RFC 4578 section 2.3). */
  UUID(17, 1, 17),
  /** Option 77: RFC 3004 length-prefixed classes, or iPXE's bare string. */
  USER_CLASS(1, 1, Integer.MAX_VALUE),
  /** Sub-options in the same code/length/value format (43, 82, 175). */
  ENCAPSULATED(0, 1, Integer.MAX_VALUE);

  private final int minLength;
  private final int multiple;
  private final int maxLength;

  OptionType(int minLength, int multiple, int maxLength) {
    this.minLength = minLength;
    this.multiple = multiple;
    this.maxLength = maxLength;
  }

  /** Whether {@code length} bytes can be a value of this type. */
  public boolean accepts(int length) {
    return length >= minLength && length <= maxLength && length % multiple == 0;
  }
}
