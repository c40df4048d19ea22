package org.rackboot.dhcp.wire;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The PXE sub-options carried in option 43 when option 60 starts with {@code PXEClient} (PXE
 * specification 2.1, section 2.2.5, table 2-1). Read them only for PXE clients: for anyone else
 * option 43 is vendor-defined.
 */
public final class PxeOptions {

  /** What option 60 starts with for PXE firmware, and for UEFI HTTP boot clients. */
  public static final String PXE_CLIENT = "PXEClient";
  public static final String HTTP_CLIENT = "HTTPClient";

  public static final int DISCOVERY_CONTROL = 6;
  public static final int MCAST_ADDR = 7;
  public static final int BOOT_SERVERS = 8;
  public static final int BOOT_MENU = 9;
  public static final int MENU_PROMPT = 10;
  public static final int BOOT_ITEM = 71;

  /** Discovery control bit 3: "download the boot file named in this offer, no discovery". */
  public static final int DC_USE_BOOT_FILE = 0x08;

  private PxeOptions() {}

  /** One boot server type and its addresses (sub-option 8). */
  public record BootServer(int type, List<Inet4Address> addresses) {
    public BootServer {
      addresses = List.copyOf(addresses);
    }
  }

  /** One boot menu entry (sub-option 9). */
  public record MenuItem(int type, String description) {}

  /** The menu prompt (sub-option 10): seconds to wait (255 = forever, 0 = boot at once). */
  public record MenuPrompt(int timeout, String prompt) {}

  /** The boot item a client asks a boot server for (sub-option 71): type and layer. */
  public record BootItem(int type, int layer) {}

  public static boolean isPxeClient(String vendorClass) {
    return vendorClass != null && vendorClass.startsWith(PXE_CLIENT);
  }

  /** The discovery control bits, or -1. */
  public static int discoveryControl(DhcpOptions sub) {
    return sub.u8(DISCOVERY_CONTROL, -1);
  }

  public static BootItem bootItem(DhcpOptions sub) {
    byte[] d = sub.get(BOOT_ITEM).orElse(null);
    if (d == null || d.length != 4) {
      return null;
    }
    return new BootItem(((d[0] & 0xFF) << 8) | (d[1] & 0xFF), ((d[2] & 0xFF) << 8) | (d[3] & 0xFF));
  }

  public static List<BootServer> bootServers(DhcpOptions sub) {
    List<BootServer> out = new ArrayList<>();
    byte[] d = sub.get(BOOT_SERVERS).orElse(new byte[0]);
    ByteBuffer b = ByteBuffer.wrap(d);
    while (b.remaining() >= 3) {
      int type = b.getShort() & 0xFFFF;
      int count = b.get() & 0xFF;
      if (b.remaining() < 4 * count) {
        throw MalformedPacketException.expected(
            "PXE boot server list", 4 * count + " address bytes", b.remaining());
      }
      List<Inet4Address> addrs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        addrs.add(Ipv4.of(d, b.position()));
        b.position(b.position() + 4);
      }
      out.add(new BootServer(type, addrs));
    }
    return out;
  }

  public static List<MenuItem> bootMenu(DhcpOptions sub) {
    List<MenuItem> out = new ArrayList<>();
    byte[] d = sub.get(BOOT_MENU).orElse(new byte[0]);
    int off = 0;
    while (off + 3 <= d.length) {
      int type = ((d[off] & 0xFF) << 8) | (d[off + 1] & 0xFF);
      int len = d[off + 2] & 0xFF;
      if (off + 3 + len > d.length) {
        throw MalformedPacketException.expected(
            "PXE boot menu description", len + " bytes", d.length - off - 3);
      }
      out.add(new MenuItem(type, new String(d, off + 3, len, StandardCharsets.ISO_8859_1)));
      off += 3 + len;
    }
    return out;
  }

  public static MenuPrompt menuPrompt(DhcpOptions sub) {
    byte[] d = sub.get(MENU_PROMPT).orElse(null);
    if (d == null || d.length < 1) {
      return null;
    }
    return new MenuPrompt(d[0] & 0xFF, new String(d, 1, d.length - 1, StandardCharsets.ISO_8859_1));
  }

  /** Sub-option 8 value; each server's address count is one byte. */
  public static byte[] encodeBootServers(List<BootServer> servers) {
    ByteBuffer b = ByteBuffer.allocate(servers.stream().mapToInt(s -> 3 + 4 * s.addresses().size()).sum());
    for (BootServer s : servers) {
      if (s.addresses().size() > 255) {
        throw new IllegalArgumentException("a PXE boot server type lists at most 255 addresses, not "
            + s.addresses().size());
      }
      b.putShort((short) s.type()).put((byte) s.addresses().size());
      s.addresses().forEach(a -> b.put(a.getAddress()));
    }
    return b.array();
  }

  /** Sub-option 9 value; each description is at most 255 bytes of ISO-8859-1. */
  public static byte[] encodeBootMenu(List<MenuItem> items) {
    List<byte[]> descriptions = new ArrayList<>(items.size());
    int length = 0;
    for (MenuItem i : items) {
      byte[] d = i.description().getBytes(StandardCharsets.ISO_8859_1);
      if (d.length > 255) {
        throw new IllegalArgumentException("a PXE boot menu description is at most 255 bytes, not "
            + d.length);
      }
      descriptions.add(d);
      length += 3 + d.length;
    }
    ByteBuffer b = ByteBuffer.allocate(length);
    for (int k = 0; k < items.size(); k++) {
      byte[] d = descriptions.get(k);
      b.putShort((short) items.get(k).type()).put((byte) d.length).put(d);
    }
    return b.array();
  }

  /** Sub-option 10 value. */
  public static byte[] encodeMenuPrompt(MenuPrompt p) {
    byte[] t = p.prompt().getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[1 + t.length];
    out[0] = (byte) p.timeout();
    System.arraycopy(t, 0, out, 1, t.length);
    return out;
  }

  /** Sub-option 71 value. */
  public static byte[] encodeBootItem(BootItem item) {
    return new byte[] {(byte) (item.type() >> 8), (byte) item.type(), (byte) (item.layer() >> 8),
        (byte) item.layer()};
  }
}
