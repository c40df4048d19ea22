package org.rackboot.dhcp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Real packets captured in the PXE lab (src/test/resources/vectors, see README.md there). */
public final class Vectors {

  /** Every captured vector, by file name without ".hex". */
  public static final List<String> ALL = List.of(
      "edk2-uefi-discover",
      "edk2-uefi-request",
      "edk2-uefi-binl-request-4011",
      "dnsmasq-proxy-offer-efi",
      "dnsmasq-binl-ack-4011",
      "site-dnsmasq-offer",
      "ipxe-efi-discover",
      "ipxe-efi-proxy-request-4011",
      "dnsmasq-proxy-ack-4011-ipxe",
      "linux-udhcpc-discover",
      "ipxe-bios-discover",
      "dnsmasq-proxy-offer-bios-menu",
      "ipxe-bios-pxebs-request-4011",
      "ipxe-bios-pxe-discover",
      "proxydhcp-py-offer-file43");

  private Vectors() {}

  public static byte[] bytes(String name) {
    return HexFormat.of().parseHex(text(name + ".hex").replaceAll("\\s+", ""));
  }

  public static String text(String resource) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource vectors/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static boolean exists(String resource) {
    return Vectors.class.getResource("/vectors/" + resource) != null;
  }
}
