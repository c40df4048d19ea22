package org.rackboot.api.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.config.DhcpProxyFactory;
import org.rackboot.dhcp.pxe.BootDecision;
import org.rackboot.dhcp.pxe.BootRequest;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.dhcp.wire.MessageType;

/** The shipped rackboot.yml's dhcpProxy section parses, validates and means the defaults. */
class DhcpProxyFactoryTest {

  private final ObjectMapper mapper = Jackson.newObjectMapper();
  private final YamlConfigurationFactory<RackbootConfiguration> factory =
      new YamlConfigurationFactory<>(RackbootConfiguration.class,
          Validators.newValidator(), mapper, "dw");

  @Test
  void shippedConfigGivesTheIssuesMapping() throws Exception {
    RackbootConfiguration c = factory.build(new SubstitutingSourceProvider(
        new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
        new File("../rackboot.yml").getPath());
    DhcpProxyFactory d = c.getDhcpProxy();
    assertThat(d.isEnabled()).isTrue();
    assertThat(d.getPort()).isEqualTo(67);
    assertThat(d.getBootServerPort()).isEqualTo(4011);
    assertThat(d.getInterfaces()).isEmpty();
    assertThat(d.getRealtimePriority()).isEqualTo(1);
    assertThat(d.getBootFiles()).containsEntry(0, "undionly.kpxe").containsEntry(7, "ipxe.efi")
        .containsEntry(9, "ipxe.efi").containsEntry(11, "ipxe-arm64.efi")
        .containsEntry(6, "ipxe-i386.efi");
    BootRequest ipxe = new BootRequest(MessageType.DISCOVER, MacAddress.parse("52:54:00:00:00:01"),
        UUID.randomUUID(), 0, null, "PXEClient", List.of("iPXE"), null, null, null, null,
        Ipv4.parse("10.1.2.3"), false);
    assertThat(d.buildDefaultPolicy().decide(ipxe)).isEqualTo(
        new BootDecision.Boot(null, "http://10.1.2.3:8080/boot/ipxe?mac=52:54:00:00:00:01"));
  }

  @Test
  void badValuesAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    Path yml = dir.resolve("bad.yml");
    Files.writeString(yml,
        "dhcpProxy:\n  port: 0\n  realtimePriority: 100\n  rateLimit:\n    burst: 0\n");
    assertThatThrownBy(() -> factory.build(new FileConfigurationSourceProvider(), yml.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("dhcpProxy.port")
        .hasMessageContaining("dhcpProxy.realtimePriority")
        .hasMessageContaining("dhcpProxy.rateLimit.burst");
  }
}
