package org.rackboot.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** Which failures are the database being away (wait and retry) and which are bugs. */
class DatabaseOutageTest {

  @Test
  void connectionFailuresAreOutages() {
    assertThat(DatabaseOutage.is(new ConnectionException(new SQLException("refused")))).isTrue();
    assertThat(DatabaseOutage.is(new UnableToExecuteStatementException(
        new SQLNonTransientConnectionException("Socket error", "08000"), null))).isTrue();
    // SQLState class 08 whatever the exception class.
    assertThat(DatabaseOutage.is(new SQLException("link failure", "08S01"))).isTrue();
    // H2: connection broken, database closed.
    assertThat(DatabaseOutage.is(new SQLException("Connection is broken", "90067", 90067)))
        .isTrue();
    assertThat(DatabaseOutage.is(new SQLException("Database is already closed", "90121", 90121)))
        .isTrue();
  }

  @Test
  void refusalsAndBugsAreNot() {
    assertThat(DatabaseOutage.is(new UnableToExecuteStatementException(
        new SQLIntegrityConstraintViolationException("duplicate", "23000", 1062), null)))
        .isFalse();
    assertThat(DatabaseOutage.is(new SQLException("syntax error", "42000", 1064))).isFalse();
    assertThat(DatabaseOutage.is(new IllegalStateException("bug"))).isFalse();
  }
}
