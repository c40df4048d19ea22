package org.rackboot.api.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MessageType;

/**
 * The whole application with proxy-DHCP on loopback (high ports): a real EDK2 DISCOVER gets the
 * proxy offer, and the service shows up in the health checks and metrics.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DhcpProxyAppTest {

  private static final int CLIENT_PORT = 10068;

  static final DropwizardAppExtension<RackbootConfiguration> APP = new DropwizardAppExtension<>(
      RackbootApplication.class, ResourceHelpers.resourceFilePath("dhcp/rackboot-dhcp-test.yml"),
      ConfigOverride.config("dhcpProxy.ipxeScriptUrl", "http://{nextServer}:9999/s?m={mac}"));

  @Test
  void edk2DiscoverGetsAProxyOfferAndIsCounted() throws Exception {
    byte[] discover = vector("edk2-uefi-discover");
    try (DatagramSocket client = new DatagramSocket(null)) {
      client.setReuseAddress(true);
      client.bind(new InetSocketAddress("0.0.0.0", CLIENT_PORT));
      client.setSoTimeout(5000);
      client.send(new DatagramPacket(discover, discover.length,
          InetAddress.getByName("127.0.0.1"), 10067));
      DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
      client.receive(p);
      DhcpMessage offer = DhcpMessage.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
      assertThat(offer.messageType()).isEqualTo(MessageType.OFFER);
      assertThat(offer.file()).isEqualTo("ipxe.efi");
      assertThat(offer.siaddr()).isEqualTo(Ipv4.parse("127.0.0.1"));
    }
    assertThat(APP.getEnvironment().metrics().getGauges().get("dhcpProxy.offers").getValue())
        .isEqualTo(1L);
    assertThat(APP.getEnvironment().metrics().getGauges().get("dhcpProxy.requests.arch.7")
        .getValue()).isEqualTo(1L);
    assertThat(APP.getEnvironment().healthChecks().runHealthCheck("dhcpProxy").isHealthy())
        .isTrue();
  }

  @Test
  void theConfiguredIpxeScriptUrlIsUsed() throws Exception {
    byte[] discover = vector("ipxe-efi-discover");
    try (DatagramSocket client = new DatagramSocket(null)) {
      client.setReuseAddress(true);
      client.bind(new InetSocketAddress("0.0.0.0", CLIENT_PORT));
      client.setSoTimeout(5000);
      client.send(new DatagramPacket(discover, discover.length,
          InetAddress.getByName("127.0.0.1"), 10067));
      DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
      client.receive(p);
      DhcpMessage offer = DhcpMessage.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
      assertThat(offer.file()).isEqualTo("http://127.0.0.1:9999/s?m=52:54:00:77:39:11");
    }
  }

  @Test
  void metricsArePublishedOnTheAdminPort() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).contains("\"dhcpProxy.ignored.rate-limited\"")
        .contains("\"dhcpProxy.malformed\"");
  }

  /** The captured packets live in the dhcp-proxy module's test resources; a copy is here. */
  private static byte[] vector(String name) throws IOException {
    try (InputStream in = DhcpProxyAppTest.class.getResourceAsStream("/dhcp/" + name + ".hex")) {
      return HexFormat.of().parseHex(new String(in.readAllBytes()).replaceAll("\\s+", ""));
    }
  }
}
