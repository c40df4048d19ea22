package org.rackboot.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The body of every 4xx and 5xx: the status, the field at fault (JSON path, parameter or
 * header; null when no single field is) and the reason. {@code host} names the other host in a
 * conflict such as a MAC that is already taken.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(
    @Schema(requiredMode = RequiredMode.REQUIRED, description = "the HTTP status") int code,
    @Schema(description = "the field at fault; absent when no single field is") String field,
    @Schema(requiredMode = RequiredMode.REQUIRED) String message,
    @Schema(description = "the other host of a conflict") String host) {}
