package org.rackboot.api.boot;

import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.db.HostDao;

/**
 * A host's one-time provisioning token authorizes that host's installer calls and nothing else:
 * no token is a 401, another host's token (or a stale one) a 403.
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
    return host;
  }
}
