package org.rackboot.testdb;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test method twice: once on a fresh embedded H2 database and once on a
 * fresh MariaDB database, both migrated with every Flyway migration on the classpath. Declare a
 * {@link TestDatabase} parameter to receive it.
 *
 * <p>The MariaDB leg is skipped (reported as skipped, never as passed) when no server answers,
 * unless the system property {@code rackboot.mariadb.required=true} is set, as CI does: then an
 * unreachable server fails the test.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(BothDatabases.class)
public @interface DatabaseTest {
  /** Apply the migrations before the test; false hands the test an empty database. */
  boolean migrate() default true;
}
