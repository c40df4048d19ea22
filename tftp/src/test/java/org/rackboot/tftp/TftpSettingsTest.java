package org.rackboot.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TftpSettingsTest {

  @Test
  void oneWorkerPerTwoCoresBetweenOneAndFour() {
    assertThat(TftpSettings.defaultWorkerThreads(1)).isEqualTo(1);
    assertThat(TftpSettings.defaultWorkerThreads(2)).isEqualTo(1);
    assertThat(TftpSettings.defaultWorkerThreads(3)).isEqualTo(1);
    assertThat(TftpSettings.defaultWorkerThreads(4)).isEqualTo(2);
    assertThat(TftpSettings.defaultWorkerThreads(8)).isEqualTo(4);
    assertThat(TftpSettings.defaultWorkerThreads(64)).isEqualTo(4);
  }
}
