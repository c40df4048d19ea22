package org.rackboot.api.service;

import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.EnvironmentInfo;
import org.rackboot.api.core.KernelCommandLine;
import org.rackboot.api.core.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.db.CatalogDao;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.EventDao;
import org.rackboot.api.core.Inputs.EnvironmentInput;
import org.rackboot.api.core.Inputs.RoleInput;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.Names;

/** Environments and roles, with their events. */
public final class RoleCatalog {

  private static final int MAX_VARIABLES_JSON = 65536;

  private final Inventory inv;
  private final Predicate<String> templateExists;

  /**
   * @param templateExists whether an install template of that plain file name exists (built in
   *     or in boot.templateDir): a role may only name one that does
   */
  public RoleCatalog(Inventory inventory, Predicate<String> templateExists) {
    this.inv = inventory;
    this.templateExists = templateExists;
  }

  public List<EnvironmentInfo> environments(Caller c) {
    return inv.jdbi().withHandle(h -> new CatalogDao(h, inv.json()).environments().stream()
        .filter(e -> c.canSee(e.name())).toList());
  }

  public EnvironmentInfo environment(Caller c, String name) {
    c.requireSee(name);
    return inv.jdbi().withHandle(h -> new CatalogDao(h, inv.json()).environment(name))
        .orElseThrow(() -> ApiException.notFound("name", "no environment named " + name));
  }

  public EnvironmentInfo createEnvironment(Caller c, EnvironmentInput in) {
    Checks.required("body", in);
    String name = Checks.name("name", in.name());
    String description = Checks.text("description", in.description(), 1000);
    return inv.write(() -> inv.jdbi().inTransaction(h -> {
      CatalogDao dao = new CatalogDao(h, inv.json());
      if (dao.environment(name).isPresent()) {
        throw ApiException.conflict("name", "environment " + name + " already exists");
      }
      EnvironmentInfo e = new EnvironmentInfo(name, description, DbConventions.now());
      dao.insertEnvironment(e);
      new EventDao(h, inv.json()).insert(e.createdAt(), c.actor(), "environment.created", null,
          "environment:" + name, null, e, null);
      return e;
    }));
  }

  public void deleteEnvironment(Caller c, String name) {
    inv.write(() -> inv.jdbi().inTransaction(h -> {
      CatalogDao dao = new CatalogDao(h, inv.json());
      EnvironmentInfo e = dao.environment(name).orElseThrow(
          () -> ApiException.notFound("name", "no environment named " + name));
      long uses = dao.usesOfEnvironment(name);
      if (uses > 0) {
        throw ApiException.conflict("name", "environment " + name + " still has " + uses
            + " hosts and roles");
      }
      // Pins go by environment name: left behind, they would pin a future namesake.
      long pins = h.createQuery("SELECT COUNT(*) FROM image_pins WHERE environment = :e")
          .bind("e", name).mapTo(Long.class).one();
      if (pins > 0) {
        throw ApiException.conflict("name", "environment " + name + " still has " + pins
            + " image pins; delete or move them first");
      }
      dao.deleteEnvironment(name);
      new EventDao(h, inv.json()).insert(DbConventions.now(), c.actor(), "environment.deleted", null,
          "environment:" + name, e, null, null);
      return e;
    }));
  }

  /**
   * Refuses (with {@code status}, naming the field) a pin target that does not exist: the image
   * store's pins know nothing of environments and roles, so this is checked here first. A pin
   * belongs to a role of that name in that environment.
   */
  public void requirePinTarget(String role, String env, int status) {
    inv.jdbi().useHandle(h -> {
      CatalogDao dao = new CatalogDao(h, inv.json());
      if (dao.environment(env).isEmpty()) {
        throw new ApiException(status, "environment", "no environment named "
            + org.rackboot.api.core.Texts.quoteForMessage(env));
      }
      if (dao.role(env, role).isEmpty()) {
        throw new ApiException(status, "role", "no role named "
            + org.rackboot.api.core.Texts.quoteForMessage(role) + " in environment " + env);
      }
    });
  }

  public List<Role> roles(Caller c, String environment) {
    return inv.jdbi().withHandle(h -> new CatalogDao(h, inv.json())
        .roles(environment, c.unscoped() ? null : c.environments()));
  }

  public Role role(Caller c, String id) {
    Role r = inv.jdbi().withHandle(h -> new CatalogDao(h, inv.json()).role(id))
        .orElseThrow(() -> ApiException.notFound("id", "no role with id " + id));
    c.requireSee(r.environment());
    return r;
  }

  public Role createRole(Caller c, RoleInput in) {
    Checks.required("body", in);
    String env = Checks.name("environment", in.environment());
    c.requireChange(env);
    Instant now = DbConventions.now();
    Role r = validRole(UUID.randomUUID().toString(), env, in, 1, now, now);
    return inv.write(() -> inv.jdbi().inTransaction(h -> {
      CatalogDao dao = new CatalogDao(h, inv.json());
      if (dao.environment(env).isEmpty()) {
        throw ApiException.invalid("environment", "no environment named " + env);
      }
      if (dao.role(env, r.name()).isPresent()) {
        throw ApiException.conflict("name", "environment " + env + " already has a role named "
            + r.name());
      }
      requireImage(h, r);
      dao.insertRole(r);
      new EventDao(h, inv.json()).insert(now, c.actor(), "role.created", null,
          "role:" + env + "/" + r.name(), null, r, null);
      return r;
    }));
  }

  /** Replaces a role's definition; the environment of a role never changes. */
  public Role updateRole(Caller c, String id, RoleInput in, Long ifMatch) {
    Checks.required("body", in);
    return inv.write(() -> inv.jdbi().inTransaction(h -> {
      CatalogDao dao = new CatalogDao(h, inv.json());
      Role old = dao.role(id).orElseThrow(
          () -> ApiException.notFound("id", "no role with id " + id));
      c.requireChange(old.environment());
      if (in.environment() != null && !in.environment().equals(old.environment())) {
        throw ApiException.invalid("environment", "a role cannot move between environments"
            + " (it is in " + old.environment() + ")");
      }
      if (ifMatch != null && ifMatch != old.version()) {
        throw new ApiException(412, "If-Match", "role " + id + " is at version "
            + old.version() + ", not " + ifMatch);
      }
      Role r = validRole(id, old.environment(), in, old.version() + 1, old.createdAt(),
          DbConventions.now());
      if (!r.name().equals(old.name()) && dao.role(old.environment(), r.name()).isPresent()) {
        throw ApiException.conflict("name", "environment " + old.environment()
            + " already has a role named " + r.name());
      }
      // Pins are kept by role name: renamed, the role's hosts would silently fall back from the
      // pinned image to the role's own and a rebuild would install that.
      if (!r.name().equals(old.name()) && h.createQuery("SELECT COUNT(*) FROM image_pins"
              + " WHERE role = :r AND environment = :e")
          .bind("r", old.name()).bind("e", old.environment()).mapTo(Long.class).one() > 0) {
        throw ApiException.conflict("name", "role " + old.name() + " has an image pin in "
            + old.environment() + "; pins go by role name, so a pinned role keeps its name"
            + " (create a new role and move the hosts instead)");
      }
      requireImage(h, r);
      if (!dao.updateRole(r, old.version())) {
        throw new ApiException(ifMatch != null ? 412 : 409, "If-Match",
            "role " + id + " changed meanwhile; read it again and retry");
      }
      new EventDao(h, inv.json()).insert(r.updatedAt(), c.actor(), "role.updated", null,
          "role:" + r.environment() + "/" + r.name(), old, r, null);
      return r;
    }));
  }

  public void deleteRole(Caller c, String id) {
    inv.write(() -> inv.jdbi().inTransaction(h -> {
      CatalogDao dao = new CatalogDao(h, inv.json());
      Role old = dao.role(id).orElseThrow(
          () -> ApiException.notFound("id", "no role with id " + id));
      c.requireChange(old.environment());
      long hosts = dao.hostsWithRole(id);
      if (hosts > 0) {
        throw ApiException.conflict("id", hosts + " hosts still have role " + old.name());
      }
      dao.deleteRole(id);
      new EventDao(h, inv.json()).insert(DbConventions.now(), c.actor(), "role.deleted", null,
          "role:" + old.environment() + "/" + old.name(), old, null, null);
      return old;
    }));
  }

  /**
   * A role's image must be published: otherwise the role is accepted and its hosts fail only at
   * their next install. The store names images in lower case, as validRole spells them.
   */
  private static void requireImage(org.jdbi.v3.core.Handle h, Role r) {
    if (r.imageName() == null) {
      return;
    }
    long versions = h.createQuery("SELECT COUNT(*) FROM image_versions WHERE name = :n")
        .bind("n", r.imageName()).mapTo(Long.class).one();
    if (versions == 0) {
      throw ApiException.invalid("imageName", "no image named " + r.imageName()
          + " is published (GET /api/v1/images)");
    }
    if (r.imageVersion() != null && h.createQuery("SELECT COUNT(*) FROM image_versions"
            + " WHERE name = :n AND version = :v")
        .bind("n", r.imageName()).bind("v", r.imageVersion()).mapTo(Long.class).one() == 0) {
      throw ApiException.invalid("imageVersion", "image " + r.imageName() + " has no version "
          + r.imageVersion());
    }
  }

  private Role validRole(String id, String env, RoleInput in, long version, Instant created,
      Instant updated) {
    String name = Checks.name("name", in.name());
    String imageName = Checks.text("imageName", in.imageName(), 200);
    String imageVersion = Checks.text("imageVersion", in.imageVersion(), 200);
    if (imageVersion != null && imageName == null) {
      throw ApiException.invalid("imageName", "is required when imageVersion is given");
    }
    // Spelled as the image store spells them (lower case, its characters): "Base" would install
    // base, and then never match the "base" the host reports running.
    try {
      imageName = imageName == null ? null : Names.name("imageName", imageName);
      imageVersion = imageVersion == null ? null : Names.version("imageVersion", imageVersion);
    } catch (ImageStoreException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
    // Each value here reaches an iPXE script, a kernel command line or an install template:
    // checked for that language now, so a bad one is a 422 instead of a host that boots it.
    String kernelArgs = KernelCommandLine.check("kernelArgs", in.kernelArgs(), 4000);
    String template = Checks.installTemplate("installTemplate", in.installTemplate(),
        templateExists);
    JsonNode vars = in.variables();
    Checks.variables("variables", vars);
    try {
      if (vars != null && inv.json().writeValueAsString(vars).length() > MAX_VARIABLES_JSON) {
        throw ApiException.invalid("variables", "must be at most " + MAX_VARIABLES_JSON
            + " characters of JSON");
      }
    } catch (JsonProcessingException e) {
      throw ApiException.invalid("variables", "cannot be rendered as JSON");
    }
    return new Role(id, env, name, imageName, imageVersion, kernelArgs, template,
        vars == null || vars.isNull() ? inv.json().createObjectNode() : vars, version, created,
        updated);
  }
}
