package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

/**
 * A boot event still in the writer's buffer when the application stops is in the database
 * afterwards: the writer drains before the pool closes (managed objects stop in reverse order
 * of registration, and the pool is registered first).
 */
class BootEventsDrainApiTest {

  @DatabaseTest
  void aBootEventBufferedAtStopIsWritten(TestDatabase db) throws Exception {
    RunningApp app = RunningApp.start(db);
    String mac = Names.mac();
    // Recorded now, written by the background writer about a second later at the earliest.
    RunningApp.Resp r = app.call("GET", "/boot/ipxe?mac=" + mac, null, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    app.stopApp();
    long stored = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM events WHERE type = 'boot.script' AND subject = :mac")
        .bind("mac", mac).mapTo(Long.class).one());
    assertThat(stored).isEqualTo(1);
  }
}
