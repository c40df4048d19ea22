package org.rackboot.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every 4xx and 5xx: the status, the field at fault (JSON path, parameter or
 * header; null when no single field is) and the reason. {@code host} names the other host in a
 * conflict such as a MAC that is already taken.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int code, String field, String message, String host) {}
