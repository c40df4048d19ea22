package org.rackboot.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusNamesTest {

  @ParameterizedTest
  @CsvSource({
      // Rackboot's own metrics
      "tftp.bytesSent,                         rackboot_tftp_bytes_sent",
      "tftp.sends.segmentationRefused,         rackboot_tftp_sends_segmentation_refused",
      "tftp.refusals.not_found,                rackboot_tftp_refusals_not_found",
      "dhcpProxy.ignored.not-pxe,              rackboot_dhcp_proxy_ignored_not_pxe",
      "dhcpProxy.requests.arch.7,              rackboot_dhcp_proxy_requests_arch_7",
      "boot.events.dhcpSuppressed,             rackboot_boot_events_dhcp_suppressed",
      // library metrics: class names, acronyms, digits, dashes
      "http.2xx-responses,                     rackboot_http_2xx_responses",
      "http.percent-4xx-1m,                    rackboot_http_percent_4xx_1m",
      "org.eclipse.jetty.util.thread.QueuedThreadPool.dw.jobs,"
          + " rackboot_org_eclipse_jetty_util_thread_queued_thread_pool_dw_jobs",
      "HTTPServer.requests,                    rackboot_http_server_requests",
      "G1Young..count-,                        rackboot_g1_young_count",
  })
  void dropwizardNamesBecomeSnakeCaseWithThePrefix(String dropwizard, String prometheus) {
    assertThat(PrometheusNames.of(dropwizard)).isEqualTo(prometheus);
    assertThat(prometheus).matches("rackboot_[a-z0-9_]+").doesNotContain("__");
  }

  @ParameterizedTest
  @CsvSource({
      "http.requests,            rackboot_http_requests_seconds",
      "tftp.transferTime,        rackboot_tftp_transfer_time_seconds",
      "download.seconds,         rackboot_download_seconds",
  })
  void timersEndInSeconds(String dropwizard, String prometheus) {
    assertThat(PrometheusNames.ofSeconds(dropwizard)).isEqualTo(prometheus);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "...", "-"})
  void aNameWithoutLettersIsRefused(String dropwizard) {
    assertThatThrownBy(() -> PrometheusNames.of(dropwizard))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no letter or digit");
  }
}
