package org.rackboot.api.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test twice, with a {@link RunningApp} parameter: once on H2 ("[H2]") and
 * once on MariaDB ("[MariaDB]"), like {@code @DatabaseTest}. The app of each database is
 * started once per test class and shared by its tests, so tests must not assume an empty
 * inventory (use {@link Names} for unique names). Class-level {@link AppConfig} adds overrides.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(BothApps.class)
public @interface ApiTest {}
