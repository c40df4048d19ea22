package org.rackboot.api.boot;

import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.db.HostDao;

/**
 * A host's provisioning token authorizes that host's installer calls (and its rendered install
 * templates) during one install attempt; its check-in token, that host's check-ins after the
 * install. Nothing else: no token is a 401, another host's token, a token of an ended attempt
 * or the wrong kind of token a 403.
 */
final class ProvisionAuth {

  private ProvisionAuth() {}

  static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  static HostRow hostFor(Jdbi jdbi, String hostId, String token) {
    if (token == null || token.isEmpty()) {
      throw new ApiException(401, "Authorization", "a provisioning token is required");
    }
    HostRow host =
        jdbi.withHandle(h -> new HostDao(h).byId(hostId))
            .orElseThrow(() -> ApiException.notFound("id", "no host " + hostId));
    if (!ProvisionTokens.matches(token, host.provisioningTokenHash)) {
      throw new ApiException(
          403, "Authorization", "this provisioning token does not belong to host " + hostId);
    }
    if (host.provisioningTokenPending != null) {
      // The installer is running: from now on no script fetch is shown the token again.
      jdbi.useHandle(h -> new HostDao(h).claimProvisioningToken(hostId, host.provisioningTokenHash));
      host.provisioningTokenPending = null;
    }
    return host;
  }

  /** The host whose check-in token {@code token} is. */
  static HostRow checkInHostFor(Jdbi jdbi, String hostId, String token) {
    if (token == null || token.isEmpty()) {
      throw new ApiException(401, "Authorization", "the host's check-in token is required");
    }
    HostRow host =
        jdbi.withHandle(h -> new HostDao(h).byId(hostId))
            .orElseThrow(() -> ApiException.notFound("id", "no host " + hostId));
    if (!ProvisionTokens.matches(token, host.checkinTokenHash)) {
      throw new ApiException(403, "Authorization", "this is not host " + hostId + "'s check-in"
          + " token (issued with a successful install result; a provisioning token ends there)");
    }
    return host;
  }
}
