package org.rackboot.dhcp.wire;

import java.util.List;

/**
 * One DHCP option definition: code, name and value type. The options this server knows are a
 * table (after ISC Kea's std_option_defs.h), not a switch; unknown codes are kept as raw bytes.
 */
public record OptionDef(int code, String name, OptionType type) {

  public static final int PAD = 0;
  public static final int SUBNET_MASK = 1;
  public static final int ROUTER = 3;
  public static final int HOST_NAME = 12;
  public static final int VENDOR_SPECIFIC = 43;
  public static final int REQUESTED_IP = 50;
  public static final int LEASE_TIME = 51;
  public static final int OVERLOAD = 52;
  public static final int MESSAGE_TYPE = 53;
  public static final int SERVER_ID = 54;
  public static final int PARAMETER_REQUEST_LIST = 55;
  public static final int MAX_MESSAGE_SIZE = 57;
  public static final int VENDOR_CLASS = 60;
  public static final int CLIENT_ID = 61;
  public static final int TFTP_SERVER_NAME = 66;
  public static final int BOOTFILE_NAME = 67;
  public static final int USER_CLASS = 77;
  public static final int RELAY_AGENT_INFO = 82;
  public static final int CLIENT_ARCH = 93;
  public static final int CLIENT_NDI = 94;
  public static final int CLIENT_UUID = 97;
  public static final int IPXE_ENCAP = 175;
  public static final int END = 255;

  private static final OptionDef[] TABLE = new OptionDef[256];

  static {
    for (OptionDef d :
        List.of(
            def(1, "subnet-mask", OptionType.IPV4),
            def(2, "time-offset", OptionType.U32),
            def(3, "router", OptionType.IPV4_LIST),
            def(4, "time-server", OptionType.IPV4_LIST),
            def(5, "name-server", OptionType.IPV4_LIST),
            def(6, "domain-name-server", OptionType.IPV4_LIST),
            def(7, "log-server", OptionType.IPV4_LIST),
            def(12, "host-name", OptionType.STRING),
            def(13, "boot-size", OptionType.U16),
            def(15, "domain-name", OptionType.STRING),
            def(17, "root-path", OptionType.STRING),
            def(26, "interface-mtu", OptionType.U16),
            def(28, "broadcast-address", OptionType.IPV4),
            def(40, "nis-domain", OptionType.STRING),
            def(41, "nis-servers", OptionType.IPV4_LIST),
            def(42, "ntp-servers", OptionType.IPV4_LIST),
            def(43, "vendor-specific", OptionType.ENCAPSULATED),
            def(50, "requested-ip", OptionType.IPV4),
            def(51, "lease-time", OptionType.U32),
            def(52, "overload", OptionType.U8),
            def(53, "message-type", OptionType.MESSAGE_TYPE),
            def(54, "server-id", OptionType.IPV4),
            def(55, "parameter-request-list", OptionType.U8_LIST),
            def(56, "message", OptionType.STRING),
            def(57, "max-message-size", OptionType.U16),
            def(58, "renewal-time", OptionType.U32),
            def(59, "rebinding-time", OptionType.U32),
            def(60, "vendor-class", OptionType.STRING),
            def(61, "client-id", OptionType.CLIENT_ID),
            def(66, "tftp-server-name", OptionType.STRING),
            def(67, "bootfile-name", OptionType.STRING),
            def(77, "user-class", OptionType.USER_CLASS),
            def(82, "relay-agent-info", OptionType.ENCAPSULATED),
            def(93, "client-arch", OptionType.U16_LIST),
            def(94, "client-ndi", OptionType.NDI),
            def(97, "client-uuid", OptionType.UUID),
            def(119, "domain-search", OptionType.BYTES),
            def(121, "classless-static-route", OptionType.BYTES),
            def(175, "ipxe-encap", OptionType.ENCAPSULATED),
            def(203, "ipxe-reserved-203", OptionType.BYTES))) {
      TABLE[d.code] = d;
    }
    // PXE "site specific" options 128-135 (RFC 4578 section 2.4 leaves them opaque).
    for (int c = 128; c <= 135; c++) {
      TABLE[c] = def(c, "pxe-" + c, OptionType.BYTES);
    }
  }

  private static OptionDef def(int code, String name, OptionType type) {
    return new OptionDef(code, name, type);
  }

  /** The definition of {@code code}, or an "option-N" definition of raw bytes if unknown. */
  public static OptionDef of(int code) {
    if (code < 1 || code > 254) {
      throw new IllegalArgumentException("option code must be 1..254, got " + code);
    }
    OptionDef d = TABLE[code];
    return d != null ? d : new OptionDef(code, "option-" + code, OptionType.BYTES);
  }

  public boolean known() {
    return TABLE[code] == this;
  }
}
