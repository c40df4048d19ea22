package org.rackboot.api.auth;

import java.security.Principal;
import java.time.Instant;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Roles;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who is calling: the name of the bearer token, its role ({@link Roles}) and the environments
 * it is scoped to (empty = every environment). Injected with {@code @Auth Caller} or read from
 * {@code SecurityContext.getUserPrincipal()}.
 *
 * <p>Scope rules, the same for every resource: an admin reaches everything (an admin token
 * never carries a scope: Tokens refuses one); any other token reaches only hosts, roles and pins
 * of its environments, and a scoped token does not reach things that belong to no environment
 * (unassigned hosts) either. {@code expiresAt} is null for a token that does not expire.
 */
public record Caller(String tokenId, String name, String role, SortedSet<String> environments,
    Instant expiresAt) implements Principal {

  public Caller {
    environments = new TreeSet<>(environments);
  }

  public static Caller of(String tokenId, String name, String role, Set<String> environments) {
    return of(tokenId, name, role, environments, null);
  }

  public static Caller of(String tokenId, String name, String role, Set<String> environments,
      Instant expiresAt) {
    return new Caller(tokenId, name, role, new TreeSet<>(environments), expiresAt);
  }

  /**
   * Who did it, as the audit log records it: the token's name and its id, since a name alone
   * can be read by people as someone else's (the id is what {@code DELETE /tokens/{id}} and the
   * token list show). Callers that are no API token (the boot flow, a host) are their name.
   */
  public String actor() {
    return tokenId == null ? name : name + " (token " + tokenId + ")";
  }

  /** True when the token has an expiry and it has passed. */
  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  @Override
  public String getName() {
    return name;
  }

  public boolean isAdmin() {
    return Roles.ADMIN.equals(role);
  }

  /** True when the token covers every environment (admin, or no scope given). */
  public boolean unscoped() {
    return isAdmin() || environments.isEmpty();
  }

  /** May this caller read things of environment {@code env} (null: of no environment)? */
  public boolean canSee(String env) {
    return unscoped() || (env != null && environments.contains(env));
  }

  /**
   * May this caller change things of environment {@code env}, scope-wise and as a non-viewer?
   * Which kind of change a role may make is still up to {@code @RolesAllowed}.
   */
  public boolean canChange(String env) {
    return canSee(env) && !Roles.VIEWER.equals(role);
  }

  /** Refuses (403) a caller whose token does not reach environment {@code env}. */
  public void requireSee(String env) {
    if (!canSee(env)) {
      throw new ApiException(403, "environment", "token " + name + " is not scoped to "
          + (env == null ? "hosts without an environment" : "environment " + env));
    }
  }

  /** Refuses (403) a caller that may not change things of environment {@code env}. */
  public void requireChange(String env) {
    requireSee(env);
    if (!canChange(env)) {
      throw new ApiException(403, "Authorization", "role " + role + " may not change this");
    }
  }
}
