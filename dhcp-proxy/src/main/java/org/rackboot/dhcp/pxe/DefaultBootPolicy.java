package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration-driven policy: a boot file per client architecture, and an HTTP script URL
 * for iPXE. A client whose user class is "iPXE" is given the script, never iPXE again, so iPXE
 * does not chain-load itself in a loop. An entry starting with http:// is a URL; for a UEFI
 * HTTP boot client (vendor class HTTPClient) it becomes an HTTP boot reply.
 *
 * <p>Reusable: an inventory-backed policy can wrap it and fall back to it for unknown hosts.
 */
public final class DefaultBootPolicy implements BootPolicy {

  /** The architecture mapping the issue asks for (RFC 4578 / IANA codes). */
  public static Map<Integer, String> defaultBootFiles() {
    Map<Integer, String> m = new TreeMap<>();
    m.put(0, "undionly.kpxe");
    m.put(6, "ipxe-i386.efi");
    m.put(7, "ipxe.efi");
    m.put(9, "ipxe.efi");
    m.put(11, "ipxe-arm64.efi");
    m.put(16, "http://{nextServer}:8080/boot/ipxe.efi");
    return m;
  }

  public static final String DEFAULT_IPXE_SCRIPT_URL = "http://{nextServer}:8080/boot/ipxe?mac={mac}";

  private final Map<Integer, UrlTemplate> bootFiles = new HashMap<>();
  private final UrlTemplate ipxeScript;
  private final Inet4Address nextServer;

  /**
   * @param bootFiles architecture (option 93) to file name or URL template
   * @param ipxeScriptUrl template of the URL given to iPXE (user class "iPXE"), or null to treat
   *     iPXE like any other client
   * @param nextServer the TFTP/HTTP server to name, or null for the address that received the
   *     request (the normal case)
   */
  public DefaultBootPolicy(Map<Integer, String> bootFiles, String ipxeScriptUrl,
      Inet4Address nextServer) {
    bootFiles.forEach((arch, file) -> {
      ClientArch.of(arch);
      if (file == null || file.isBlank()) {
        throw new IllegalArgumentException("empty boot file for architecture " + arch);
      }
      this.bootFiles.put(arch, new UrlTemplate(file));
    });
    this.ipxeScript = ipxeScriptUrl == null ? null : new UrlTemplate(ipxeScriptUrl);
    this.nextServer = nextServer;
  }

  public static DefaultBootPolicy withDefaults() {
    return new DefaultBootPolicy(defaultBootFiles(), DEFAULT_IPXE_SCRIPT_URL, null);
  }

  @Override
  public BootDecision decide(BootRequest r) {
    Inet4Address server = nextServer != null ? nextServer : r.localAddress();
    String host = server.getHostAddress();
    if (ipxeScript != null && r.isIpxe()) {
      return new BootDecision.Boot(nextServer, ipxeScript.expand(r, host));
    }
    if (r.arch() < 0) {
      return BootDecision.ignore("no client architecture (option 93)");
    }
    UrlTemplate t = bootFiles.get(r.arch());
    if (t == null) {
      return BootDecision.ignore("no boot file for architecture " + r.arch());
    }
    String file = t.expand(r, host);
    if (r.isHttpClient()) {
      if (!file.startsWith("http://") && !file.startsWith("https://")) {
        return BootDecision.ignore("HTTP boot client but architecture " + r.arch()
            + " maps to a TFTP file");
      }
      return new BootDecision.HttpBoot(file);
    }
    return new BootDecision.Boot(nextServer, file);
  }
}
