package org.rackboot.api.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import java.util.Arrays;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.core.Roles;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.ApiToken;
import org.rackboot.api.service.Tokens;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.Migrations;
import org.rackboot.api.http.JsonSettings;

/**
 * {@code token create|list|revoke ... rackboot.yml}: API tokens from the shell, which is how the
 * first admin token comes to exist. {@code create} prints the token once, on the last line.
 */
public final class TokenCommand extends ConfiguredCommand<RackbootConfiguration> {

  public TokenCommand() {
    super("token", "Create, list or revoke API bearer tokens");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("create", "list", "revoke")
        .help("create a token (printed once), list tokens, or revoke one");
    subparser.addArgument("--name").help("token name (create; revoke by name)");
    subparser.addArgument("--id").help("token id (revoke)");
    subparser.addArgument("--role").choices(Roles.ALL.toArray(String[]::new))
        .help("admin, operator, automation or viewer (create)");
    subparser.addArgument("--environments").setDefault("")
        .help("comma-separated environments the token is limited to; empty = all (create);"
            + " not for admin tokens, which reach every environment");
    subparser.addArgument("--expires-at").dest("expiresAt")
        .help("when the token stops working, ISO-8601 with a zone such as"
            + " 2026-11-25T12:00:00Z (create); default: never");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<RackbootConfiguration> bootstrap, Namespace ns,
      RackbootConfiguration configuration) {
    DataSourceFactory db = configuration.getDatabase();
    Jdbi jdbi = DbConventions.configure(Migrations.openForCommand(db, configuration.isMigrateOnStart()));
    Tokens tokens = new Tokens(jdbi, JsonSettings.apply(bootstrap.getObjectMapper().copy()));
    String actor = "cli:" + System.getProperty("user.name", "unknown");
    try {
      switch (ns.getString("action")) {
        case "create" -> {
          if (ns.getString("role") == null) {
            throw ApiException.invalid("--role", "is required: admin, operator, automation or"
                + " viewer");
          }
          List<String> envs = Arrays.stream(ns.getString("environments").split(","))
              .map(String::strip).filter(s -> !s.isEmpty()).toList();
          Tokens.Created c = tokens.create(actor, ns.getString("name"), ns.getString("role"),
              envs, ns.getString("expiresAt"));
          System.out.println("created token " + describe(c.info()));
          System.out.println("the token is shown only now; store it safely:");
          System.out.println(c.token());
        }
        case "list" -> {
          for (ApiToken t : tokens.list()) {
            System.out.println(describe(t));
          }
        }
        default -> {
          String key = ns.getString("id") != null ? ns.getString("id") : ns.getString("name");
          if (key == null) {
            throw ApiException.invalid("--id", "give --id or --name of the token to revoke");
          }
          System.out.println("revoked " + describe(tokens.revoke(actor, key)));
        }
      }
    } catch (ApiException e) {
      throw new org.rackboot.api.core.StartupFailure(
          (e.field() == null ? "" : e.field() + ": ") + e.getMessage(), e);
    }
  }

  private static String describe(ApiToken t) {
    return t.name() + " id=" + t.id() + " role=" + t.role() + " environments="
        + (t.environments().isEmpty() ? "(all)" : String.join(",", t.environments()))
        + " created=" + t.createdAt()
        + " expires=" + (t.expiresAt() == null ? "never" : t.expiresAt())
        + " lastUsed=" + (t.lastUsedAt() == null ? "never" : t.lastUsedAt())
        + (t.revokedAt() == null ? "" : " revoked=" + t.revokedAt());
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    StartupFailures.print(cli, e);
  }
}
