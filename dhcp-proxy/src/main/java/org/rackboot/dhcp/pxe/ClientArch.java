package org.rackboot.dhcp.pxe;

/**
 * Client system architecture, option 93 (RFC 4578 section 2.1 and the IANA "Processor
 * Architecture Types" registry, which added the UEFI HTTP boot types).
 */
public enum ClientArch {
  X86_BIOS(0, false),
  NEC_PC98(1, false),
  ITANIUM(2, false),
  DEC_ALPHA(3, false),
  ARC_X86(4, false),
  INTEL_LEAN(5, false),
  EFI_IA32(6, false),
  EFI_BC(7, false),
  EFI_XSCALE(8, false),
  EFI_X86_64(9, false),
  EFI_ARM32(10, false),
  EFI_ARM64(11, false),
  EFI_IA32_HTTP(15, true),
  EFI_X86_64_HTTP(16, true),
  EFI_BC_HTTP(17, true),
  EFI_ARM32_HTTP(18, true),
  EFI_ARM64_HTTP(19, true),
  /** A legal 16-bit value that this table does not name. */
  UNKNOWN(-1, false);

  private final int code;
  private final boolean http;

  ClientArch(int code, boolean http) {
    this.code = code;
    this.http = http;
  }

  public int code() {
    return code;
  }

  /** Whether the type is a UEFI HTTP boot client (vendor class HTTPClient). */
  public boolean http() {
    return http;
  }

  /** Maps a 16-bit value; refuses anything else. */
  public static ClientArch of(int code) {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("client architecture is 16 bits, got " + code);
    }
    for (ClientArch a : values()) {
      if (a.code == code) {
        return a;
      }
    }
    return UNKNOWN;
  }
}
