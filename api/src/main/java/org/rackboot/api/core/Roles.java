package org.rackboot.api.core;

import java.util.List;

/** The four token roles, exactly as {@code @RolesAllowed} names them. */
public final class Roles {

  private Roles() {}

  /** Everything, in every environment: environments, tokens, roles, hosts. */
  public static final String ADMIN = "admin";

  /** Inventory edits, role assignment and rebuild in its environments. */
  public static final String OPERATOR = "operator";

  /** Read, and rebuild in its environments. */
  public static final String AUTOMATION = "automation";

  /** Read only. */
  public static final String VIEWER = "viewer";

  public static final List<String> ALL = List.of(ADMIN, OPERATOR, AUTOMATION, VIEWER);
}
