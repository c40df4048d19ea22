package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpxeScriptsTest {

  @Test
  void kernelScriptNamesTheInitrdForTheEfiStubAndRetriesOnFailure() {
    String s =
        IpxeScripts.kernel(
            "http://10.0.0.1:8080/boot/agent/vmlinuz",
            "http://10.0.0.1:8080/boot/agent/initrd.img",
            "console=ttyS0 rackboot.mode=discover",
            "Rackboot: discovery");
    assertThat(s)
        .startsWith("#!ipxe\n")
        .contains(
            "kernel http://10.0.0.1:8080/boot/agent/vmlinuz initrd=initrd.img console=ttyS0"
                + " rackboot.mode=discover || goto failed\n")
        .contains("initrd --name initrd.img http://10.0.0.1:8080/boot/agent/initrd.img")
        .contains(":failed\n");
  }

  @Test
  void textFromUsersCannotInjectIpxeSettingsOrLines() {
    assertThat(IpxeScripts.refuse("host ${net0/mac}\nshell")).isEqualTo(
        "#!ipxe\necho Rackboot: host ?{net0/mac}?shell\nexit\n");
  }

  @Test
  void localDiskExitsToTheFirmwareBootOrder() {
    assertThat(IpxeScripts.localDisk("web-01")).endsWith("exit\n").contains("web-01 is deployed");
  }

  @Test
  void waitScriptChainsBackToItsOwnUrl() {
    assertThat(IpxeScripts.waitAndRetry("nothing to do", 30, "http://h/boot/ipxe?mac=aa"))
        .contains("sleep 30\n")
        .contains("chain --replace --autofree http://h/boot/ipxe?mac=aa");
  }
}
