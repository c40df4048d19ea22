package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.db.DataSourceFactory;
import org.rackboot.api.db.Migrations;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

class MigrationsTest {

  private static Migrations migrationsFor(TestDatabase db) {
    DataSourceFactory f = new DataSourceFactory();
    f.setDriverClass(db.driverClass());
    f.setUrl(db.url());
    f.setUser(db.user());
    f.setPassword(db.password());
    return new Migrations(f);
  }

  @DatabaseTest(migrate = false)
  void migrateBringsAnEmptyDatabaseToTheLatestVersionOnce(TestDatabase db) {
    Migrations migrations = migrationsFor(db);
    migrations.checkReachable();
    assertThat(migrations.status()).startsWith("schema version: none").contains("PENDING");

    assertThat(migrations.migrate()).isPositive();
    assertThat(migrations.status()).doesNotStartWith("schema version: none").endsWith("0 pending\n");
    // A second run has nothing left to do.
    assertThat(migrations.migrate()).isZero();

    int events = db.jdbi().withHandle(h -> h.select("SELECT COUNT(*) FROM events").mapTo(Integer.class).one());
    assertThat(events).isZero();
  }

  @org.junit.jupiter.api.Test
  void redactsPasswordsInUrls() {
    assertThat(Migrations.redactedUrl("jdbc:mariadb://db:3306/rb?user=a&password=s3cret&x=1"))
        .isEqualTo("jdbc:mariadb://db:3306/rb?user=a&password=***&x=1");
  }
}
