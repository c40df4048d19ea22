package org.rackboot.api;

import org.rackboot.api.core.StartupFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UdpServiceTest {

  /** A listener whose bind always fails the way the kernel refuses it. */
  private record FailingListener(IOException failure) implements UdpService.Listener {
    @Override
    public void start() throws IOException {
      throw failure;
    }

    @Override
    public boolean isBound() {
      return false;
    }

    @Override
    public void close() {}
  }

  @Test
  void aPrivilegedPortNamesRootAndTheCapability() {
    UdpService tftp =
        new UdpService(
            "TFTP",
            "tftp.port",
            new InetSocketAddress("0.0.0.0", 69),
            new FailingListener(new BindException("Permission denied")));
    assertThatThrownBy(tftp::start)
        .isInstanceOf(StartupFailure.class)
        .hasMessage(
            "cannot bind TFTP to UDP 0.0.0.0:69: Permission denied; run as root, grant the JVM"
                + " CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep on the java binary),"
                + " or change tftp.port in the config");
  }

  @Test
  void aHighPortInUseNamesTheConfigKey() {
    UdpService dhcp =
        new UdpService(
            "proxy-DHCP",
            "dhcpProxy.bootServerPort",
            new InetSocketAddress("0.0.0.0", 4011),
            new FailingListener(new BindException("Address already in use")));
    assertThatThrownBy(dhcp::start)
        .hasMessage(
            "cannot bind proxy-DHCP to UDP 0.0.0.0:4011: Address already in use; stop whatever"
                + " holds the port, or change dhcpProxy.bootServerPort in the config");
    assertThat(dhcp.isBound()).isFalse();
  }
}
