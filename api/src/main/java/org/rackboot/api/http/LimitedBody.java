package org.rackboot.api.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks resources whose request bodies are capped at {@code api.maxBodySize} (413 above it).
 * Not global: image uploads are far larger than any inventory document.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface LimitedBody {}
