package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import org.rackboot.dhcp.wire.DhcpOption;

/** What a {@link BootPolicy} decided for one {@link BootRequest}. */
public sealed interface BootDecision {

  /** Send nothing; {@code reason} is for the debug log and metrics, never sent. */
  record Ignore(String reason) implements BootDecision {
    public Ignore {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Boot {@code bootFile} (a TFTP path, or a URL iPXE understands) from {@code nextServer}.
   *
   * @param nextServer siaddr of the reply; null means the local address that received the
   *     request
   * @param extraOptions added to the reply, replacing options of the same code
   */
  record Boot(Inet4Address nextServer, String bootFile, List<DhcpOption> extraOptions)
      implements BootDecision {
    public Boot {
      Objects.requireNonNull(bootFile, "bootFile");
      if (bootFile.isEmpty()) {
        throw new IllegalArgumentException("boot file must not be empty");
      }
      extraOptions = List.copyOf(extraOptions);
    }

    public Boot(Inet4Address nextServer, String bootFile) {
      this(nextServer, bootFile, List.of());
    }
  }

  /**
   * UEFI HTTP boot: the reply names {@code url} and carries vendor class HTTPClient (UEFI 2.5+
   * section 24.7), without PXE option 43.
   */
  record HttpBoot(String url, List<DhcpOption> extraOptions) implements BootDecision {
    public HttpBoot {
      Objects.requireNonNull(url, "url");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException("HTTP boot needs an http(s) URL, got '" + url + "'");
      }
      extraOptions = List.copyOf(extraOptions);
    }

    public HttpBoot(String url) {
      this(url, List.of());
    }
  }

  static Ignore ignore(String reason) {
    return new Ignore(reason);
  }
}
