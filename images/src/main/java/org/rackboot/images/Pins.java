package org.rackboot.images;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Per role and environment, the image version it runs. Every change is one transaction that
 * updates the pin and appends to its history under the store lock, then one event.
 */
public final class Pins {

  public static final String PIN = "pin";
  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";

  private final Jdbi jdbi;
  private final Catalog catalog;
  private final PinPolicy policy;
  private final EventSink events;
  private final java.time.Clock clock;

  public Pins(Jdbi jdbi, Catalog catalog, PinPolicy policy, EventSink events, java.time.Clock clock) {
    this.jdbi = jdbi;
    this.catalog = catalog;
    this.policy = policy;
    this.events = events;
    this.clock = clock;
  }

  public PinPolicy policy() {
    return policy;
  }

  /** Pins {@code role} in {@code environment} to an existing image version. */
  public Pin pin(String role, String environment, String image, String version, String actor) {
    String r = Names.name("role", role);
    String e = Names.name("environment", environment);
    String n = Names.name("image", image);
    String v = Names.version("version", version);
    if (!catalog.exists(n, v)) {
      throw ImageStoreException.invalid("version", "image " + n + "/" + v + " is not published");
    }
    return change(r, e, h -> new Target(n, v), actor, PIN);
  }

  /** Copies the pin of {@code fromEnvironment} to the next environment in the promotion order. */
  public Pin promote(String role, String fromEnvironment, String actor) {
    String r = Names.name("role", role);
    String from = Names.name("environment", fromEnvironment);
    String to = policy.next(from).orElseThrow(() -> ImageStoreException.invalid("environment",
        "'" + from + "' has no next environment in the promotion order " + policy.order()));
    return change(r, to, h -> {
      Pin source = current(h, r, from).orElseThrow(() -> ImageStoreException.notFound(
          "role " + r + " has no pin in environment " + from + " to promote"));
      return new Target(source.image(), source.version());
    }, actor, PROMOTE);
  }

  /**
   * Re-pins the version that was pinned before the current one. Repeated rollbacks walk further
   * back: an entry made by a rollback is skipped when looking for "the one before".
   */
  public Pin rollback(String role, String environment, String actor) {
    String r = Names.name("role", role);
    String e = Names.name("environment", environment);
    return change(r, e, h -> {
      Pin cur = current(h, r, e).orElseThrow(() ->
          ImageStoreException.notFound("role " + r + " has no pin in environment " + e));
      PinChange reached = history(h, r, e).stream()
          .filter(c -> !ROLLBACK.equals(c.action()))
          .filter(c -> c.toImage().equals(cur.image()) && c.toVersion().equals(cur.version()))
          // Entries from a version to itself (recorded before repeats became no-ops) lead nowhere.
          .filter(c -> !(c.toImage().equals(c.fromImage()) && c.toVersion().equals(c.fromVersion())))
          .findFirst()
          .orElseThrow(() -> ImageStoreException.conflict("no history for the current pin of " + r + " in " + e));
      if (reached.fromVersion() == null) {
        throw ImageStoreException.conflict("role " + r + " in " + e + " has no previous version to roll back to");
      }
      return new Target(reached.fromImage(), reached.fromVersion());
    }, actor, ROLLBACK);
  }

  /** The image version a change pins. */
  private record Target(String image, String version) {}

  /**
   * Moves the pin to {@code target}, computed under the store lock from the state the change
   * applies to: two rollbacks at once walk back two versions, not the same one twice.
   */
  private Pin change(String r, String e, Function<Handle, Target> target,
      String actor, String action) {
    Instant now = clock.instant();
    Pin[] before = new Pin[1];
    Pin[] after = new Pin[1];
    jdbi.useTransaction(h -> {
      Db.lockStore(h);
      Target t = target.apply(h);
      String image = t.image();
      String version = t.version();
      after[0] = new Pin(r, e, image, version, actor, now);
      if (!ROLLBACK.equals(action) && policy.requirePinnedInPrevious().contains(e)) {
        String prev = policy.previous(e).orElseThrow();
        if (!everPinned(h, r, prev, image, version)) {
          throw ImageStoreException.conflict("environment " + e + " accepts only versions pinned in " + prev
              + " before; " + image + "/" + version + " was never pinned there for role " + r);
        }
      }
      before[0] = current(h, r, e).orElse(null);
      if (before[0] != null && before[0].image().equals(image)
          && before[0].version().equals(version)) {
        // Already so (a retried PUT, a second promotion): no history entry, which would be a
        // step from a version to itself and make the next rollback land where it started.
        return;
      }
      if (before[0] == null) {
        h.createUpdate("INSERT INTO image_pins (role, environment, image_name, image_version, pinned_by, pinned_at)"
                + " VALUES (:r, :e, :n, :v, :by, :at)")
            .bind("r", r).bind("e", e).bind("n", image).bind("v", version).bind("by", actor).bind("at", Db.utc(now))
            .execute();
      } else {
        h.createUpdate("UPDATE image_pins SET image_name = :n, image_version = :v, pinned_by = :by, pinned_at = :at"
                + " WHERE role = :r AND environment = :e")
            .bind("r", r).bind("e", e).bind("n", image).bind("v", version).bind("by", actor).bind("at", Db.utc(now))
            .execute();
      }
      h.createUpdate("INSERT INTO image_pin_history (role, environment, action, from_name, from_version, to_name,"
              + " to_version, actor, changed_at) VALUES (:r, :e, :a, :fn, :fv, :tn, :tv, :by, :at)")
          .bind("r", r).bind("e", e).bind("a", action)
          .bind("fn", before[0] == null ? null : before[0].image())
          .bind("fv", before[0] == null ? null : before[0].version())
          .bind("tn", image).bind("tv", version).bind("by", actor).bind("at", Db.utc(now))
          .execute();
    });
    if (before[0] != null && before[0].image().equals(after[0].image())
        && before[0].version().equals(after[0].version())) {
      return before[0];
    }
    events.record("image.pin." + action, actor, "pin:" + r + "/" + e,
        before[0] == null ? null : pinJson(before[0]), pinJson(after[0]));
    return after[0];
  }

  private static boolean everPinned(Handle h, String role, String env, String image, String version) {
    return h.createQuery("SELECT COUNT(*) FROM image_pin_history WHERE role = :r AND environment = :e"
            + " AND to_name = :n AND to_version = :v")
        .bind("r", role).bind("e", env).bind("n", image).bind("v", version)
        .mapTo(Integer.class).one() > 0;
  }

  public Optional<Pin> current(String role, String environment) {
    String r = Names.name("role", role);
    String e = Names.name("environment", environment);
    return jdbi.withHandle(h -> current(h, r, e));
  }

  private static Optional<Pin> current(Handle h, String r, String e) {
    return h.createQuery("SELECT * FROM image_pins WHERE role = :r AND environment = :e")
        .bind("r", r).bind("e", e).map((rs, ctx) -> pin(rs)).findOne();
  }

  public List<Pin> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM image_pins ORDER BY role, environment")
        .map((rs, ctx) -> pin(rs)).list());
  }

  /** History of one pin, newest first. */
  public List<PinChange> history(String role, String environment) {
    String r = Names.name("role", role);
    String e = Names.name("environment", environment);
    return jdbi.withHandle(h -> history(h, r, e));
  }

  private static List<PinChange> history(Handle h, String r, String e) {
    return h.createQuery("SELECT * FROM image_pin_history WHERE role = :r AND environment = :e"
            + " ORDER BY id DESC")
        .bind("r", r).bind("e", e)
        .map((rs, ctx) -> new PinChange(rs.getLong("id"), rs.getString("role"), rs.getString("environment"),
            rs.getString("action"), rs.getString("from_name"), rs.getString("from_version"),
            rs.getString("to_name"), rs.getString("to_version"), rs.getString("actor"),
            Db.instant(rs.getObject("changed_at", LocalDateTime.class))))
        .list();
  }

  private static Pin pin(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Pin(rs.getString("role"), rs.getString("environment"), rs.getString("image_name"),
        rs.getString("image_version"), rs.getString("pinned_by"),
        Db.instant(rs.getObject("pinned_at", LocalDateTime.class)));
  }

  private static String pinJson(Pin p) {
    return "{\"role\":" + Db.json(p.role()) + ",\"environment\":" + Db.json(p.environment())
        + ",\"image\":" + Db.json(p.image()) + ",\"version\":" + Db.json(p.version()) + "}";
  }
}
