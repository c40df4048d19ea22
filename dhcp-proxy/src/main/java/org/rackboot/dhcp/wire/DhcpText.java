package org.rackboot.dhcp.wire;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * A stable multi-line text rendering of a message: every field, every option with its name, its
 * decoded meaning and its hex. Used for golden test files and debug logs.
 */
public final class DhcpText {

  private static final HexFormat HEX = HexFormat.of();

  private DhcpText() {}

  public static String render(DhcpMessage m) {
    StringBuilder sb = new StringBuilder();
    sb.append("op=").append(m.op()).append(" htype=").append(m.htype()).append(" hlen=")
        .append(m.hlen()).append(" hops=").append(m.hops())
        .append(String.format(" xid=0x%08x secs=%d flags=0x%04x%n", m.xid(), m.secs(), m.flags()));
    sb.append("ciaddr=").append(ip(m.ciaddr())).append(" yiaddr=").append(ip(m.yiaddr()))
        .append(" siaddr=").append(ip(m.siaddr())).append(" giaddr=").append(ip(m.giaddr()))
        .append('\n');
    MacAddress mac = m.mac();
    sb.append("chaddr=").append(mac != null ? mac.toString() : HEX.formatHex(m.chaddr()))
        .append('\n');
    sb.append("sname=\"").append(m.sname()).append("\"\n");
    sb.append("file=\"").append(m.file()).append("\"\n");
    boolean pxe = PxeOptions.isPxeClient(m.options().string(OptionDef.VENDOR_CLASS));
    for (DhcpOption o : m.options().list()) {
      OptionDef def = OptionDef.of(o.code());
      sb.append(String.format("%3d %-22s %s  [hex %s]%n", o.code(), def.name(),
          meaning(def, o.data(), pxe), HEX.formatHex(o.data())));
    }
    return sb.toString();
  }

  static String meaning(OptionDef def, byte[] d, boolean pxe) {
    if (!def.type().accepts(d.length)) {
      return "(" + d.length + " bytes, not a valid " + def.type() + ")";
    }
    ByteBuffer b = ByteBuffer.wrap(d);
    switch (def.type()) {
      case IPV4:
        return ip(Ipv4.of(d, 0));
      case IPV4_LIST: {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < d.length; i += 4) {
          j.add(ip(Ipv4.of(d, i)));
        }
        return j.toString();
      }
      case U8:
        return Integer.toString(d[0] & 0xFF);
      case U16:
        return Integer.toString(b.getShort() & 0xFFFF);
      case U32:
        return Long.toString(b.getInt() & 0xFFFF_FFFFL);
      case U8_LIST: {
        StringJoiner j = new StringJoiner(",");
        for (byte x : d) {
          j.add(Integer.toString(x & 0xFF));
        }
        return j.toString();
      }
      case U16_LIST: {
        StringJoiner j = new StringJoiner(",");
        while (b.hasRemaining()) {
          j.add(Integer.toString(b.getShort() & 0xFFFF));
        }
        return j.toString();
      }
      case STRING:
        return '"' + new String(d, StandardCharsets.ISO_8859_1) + '"';
      case MESSAGE_TYPE:
        return MessageType.of(d[0] & 0xFF).toString();
      case CLIENT_ID:
        return (d[0] == 1 && d.length == 7)
            ? "type=1 mac=" + MacAddress.of(d, 1)
            : "type=" + (d[0] & 0xFF);
      case NDI:
        return d[0] == 1 ? "UNDI " + (d[1] & 0xFF) + "." + (d[2] & 0xFF) : "type=" + (d[0] & 0xFF);
      case UUID: {
        UUID u = SmbiosUuid.fromOption97(d);
        return u == null ? "type=" + (d[0] & 0xFF) : "type=0 smbios-uuid=" + u;
      }
      case USER_CLASS:
        return UserClass.decode(d) + (UserClass.isRfc3004(d) ? " (RFC 3004)" : " (bare string)");
      case ENCAPSULATED:
        return encapsulated(def.code(), d, pxe);
      default:
        return "(" + d.length + " bytes)";
    }
  }

  private static String encapsulated(int code, byte[] d, boolean pxe) {
    DhcpOptions sub;
    try {
      sub = DhcpOptions.decodeEncapsulated(d, "option " + code);
    } catch (MalformedPacketException e) {
      return "(not sub-options: " + e.getMessage() + ")";
    }
    StringJoiner j = new StringJoiner(" ", code == 43 && pxe ? "PXE{" : "{", "}");
    for (DhcpOption s : sub.list()) {
      if (code == 43 && pxe) {
        j.add(pxeSub(s, sub));
      } else {
        j.add(s.code() + "=" + HEX.formatHex(s.data()));
      }
    }
    return j.toString();
  }

  private static String pxeSub(DhcpOption s, DhcpOptions sub) {
    try {
      switch (s.code()) {
        case PxeOptions.DISCOVERY_CONTROL:
          return "discovery-control=" + PxeOptions.discoveryControl(sub);
        case PxeOptions.BOOT_SERVERS: {
          StringJoiner j = new StringJoiner(",", "boot-servers=", "");
          for (PxeOptions.BootServer bs : PxeOptions.bootServers(sub)) {
            j.add(bs.type() + ":" + bs.addresses().stream().map(DhcpText::ip).toList());
          }
          return j.toString();
        }
        case PxeOptions.BOOT_MENU: {
          List<PxeOptions.MenuItem> items = PxeOptions.bootMenu(sub);
          StringJoiner j = new StringJoiner(",", "boot-menu=", "");
          items.forEach(i -> j.add(i.type() + ":\"" + i.description() + "\""));
          return j.toString();
        }
        case PxeOptions.MENU_PROMPT: {
          PxeOptions.MenuPrompt p = PxeOptions.menuPrompt(sub);
          return "menu-prompt=" + p.timeout() + ":\"" + p.prompt() + "\"";
        }
        case PxeOptions.BOOT_ITEM: {
          PxeOptions.BootItem i = PxeOptions.bootItem(sub);
          return i == null ? "boot-item=" + HEX.formatHex(s.data())
              : "boot-item=" + i.type() + "/layer" + i.layer();
        }
        default:
          return s.code() + "=" + HEX.formatHex(s.data());
      }
    } catch (MalformedPacketException e) {
      return s.code() + "=" + HEX.formatHex(s.data());
    }
  }

  private static String ip(Inet4Address a) {
    return a.getHostAddress();
  }
}
