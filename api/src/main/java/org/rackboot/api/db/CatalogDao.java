package org.rackboot.api.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.rackboot.api.core.EnvironmentInfo;
import org.rackboot.api.core.Role;

/** Environments and roles. */
public final class CatalogDao {

  private final Handle h;
  private final ObjectMapper json;

  public CatalogDao(Handle h, ObjectMapper json) {
    this.h = h;
    this.json = json;
  }

  public List<EnvironmentInfo> environments() {
    return h.createQuery("SELECT * FROM environments ORDER BY name").map(CatalogDao::env).list();
  }

  public Optional<EnvironmentInfo> environment(String name) {
    return h.createQuery("SELECT * FROM environments WHERE name = :n").bind("n", name)
        .map(CatalogDao::env).findOne();
  }

  public void insertEnvironment(EnvironmentInfo e) {
    h.createUpdate("INSERT INTO environments (name, description, created_at)"
            + " VALUES (:n, :d, :t)")
        .bind("n", e.name()).bind("d", e.description()).bind("t", DbConventions.ts(e.createdAt()))
        .execute();
  }

  public void deleteEnvironment(String name) {
    h.createUpdate("DELETE FROM environments WHERE name = :n").bind("n", name).execute();
  }

  /** How many hosts and roles still belong to the environment. */
  public long usesOfEnvironment(String name) {
    return h.createQuery("SELECT (SELECT COUNT(*) FROM hosts WHERE environment = :n)"
            + " + (SELECT COUNT(*) FROM roles WHERE environment = :n)")
        .bind("n", name).mapTo(Long.class).one();
  }

  /** Roles, of one environment or (null) all; scope null is every environment. */
  public List<Role> roles(String environment, Set<String> scope) {
    StringBuilder sql = new StringBuilder("SELECT * FROM roles WHERE 1 = 1");
    if (environment != null) {
      sql.append(" AND environment = :env");
    }
    if (scope != null) {
      if (scope.isEmpty()) {
        return List.of();
      }
      sql.append(" AND environment IN (<scope>)");
    }
    var q = h.createQuery(sql.append(" ORDER BY environment, name").toString());
    if (environment != null) {
      q.bind("env", environment);
    }
    if (scope != null) {
      q.bindList("scope", List.copyOf(scope));
    }
    return q.map(this::mapRole).list();
  }

  public Optional<Role> role(String id) {
    return h.createQuery("SELECT * FROM roles WHERE id = :id").bind("id", id).map(this::mapRole)
        .findOne();
  }

  public Optional<Role> role(String environment, String name) {
    return h.createQuery("SELECT * FROM roles WHERE environment = :e AND name = :n")
        .bind("e", environment).bind("n", name).map(this::mapRole).findOne();
  }

  public void insertRole(Role r) {
    h.createUpdate("INSERT INTO roles (id, environment, name, image_name, image_version,"
            + " kernel_args, install_template, variables_json, version, created_at, updated_at)"
            + " VALUES (:id, :env, :name, :img, :ver, :args, :tpl, :vars, :version, :c, :u)")
        .bind("id", r.id()).bind("env", r.environment()).bind("name", r.name())
        .bind("img", r.imageName()).bind("ver", r.imageVersion()).bind("args", r.kernelArgs())
        .bind("tpl", r.installTemplate()).bind("vars", text(r.variables()))
        .bind("version", r.version()).bind("c", DbConventions.ts(r.createdAt()))
        .bind("u", DbConventions.ts(r.updatedAt()))
        .execute();
  }

  /** Conditional on the version read; false when someone else changed the role meanwhile. */
  public boolean updateRole(Role r, long expectedVersion) {
    return h.createUpdate("UPDATE roles SET name = :name, image_name = :img,"
            + " image_version = :ver, kernel_args = :args, install_template = :tpl,"
            + " variables_json = :vars, version = version + 1, updated_at = :u"
            + " WHERE id = :id AND version = :expected")
        .bind("id", r.id()).bind("name", r.name()).bind("img", r.imageName())
        .bind("ver", r.imageVersion()).bind("args", r.kernelArgs())
        .bind("tpl", r.installTemplate()).bind("vars", text(r.variables()))
        .bind("u", DbConventions.ts(r.updatedAt())).bind("expected", expectedVersion)
        .execute() == 1;
  }

  public void deleteRole(String id) {
    h.createUpdate("DELETE FROM roles WHERE id = :id").bind("id", id).execute();
  }

  public long hostsWithRole(String id) {
    return h.createQuery("SELECT COUNT(*) FROM hosts WHERE role_id = :id").bind("id", id)
        .mapTo(Long.class).one();
  }

  private String text(JsonNode node) {
    try {
      return node == null || node.isNull() ? null : json.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Role mapRole(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    JsonNode vars;
    try {
      String v = rs.getString("variables_json");
      vars = v == null ? json.createObjectNode() : json.readTree(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("roles.variables_json is not JSON", e);
    }
    return new Role(rs.getString("id"), rs.getString("environment"), rs.getString("name"),
        rs.getString("image_name"), rs.getString("image_version"), rs.getString("kernel_args"),
        rs.getString("install_template"), vars, rs.getLong("version"),
        DbConventions.instant(rs, "created_at"), DbConventions.instant(rs, "updated_at"));
  }

  private static EnvironmentInfo env(ResultSet rs, org.jdbi.v3.core.statement.StatementContext c)
      throws SQLException {
    return new EnvironmentInfo(rs.getString("name"), rs.getString("description"),
        DbConventions.instant(rs, "created_at"));
  }
}
