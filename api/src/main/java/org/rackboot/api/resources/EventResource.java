package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.Event;
import org.rackboot.api.service.Inventory;
import org.rackboot.api.core.Texts;
import org.rackboot.api.db.EventDao;

/**
 * The audit log. {@code since} is the id of the last event a client has; with {@code wait=N}
 * the request blocks up to N seconds until a newer event exists (long-poll), so following the
 * log is a loop of {@code GET ?since=<next>&wait=30}.
 */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventResource {

  private final Inventory inventory;
  private final int maxWaitSeconds;

  public EventResource(Inventory inventory, int maxWaitSeconds) {
    this.inventory = inventory;
    this.maxWaitSeconds = maxWaitSeconds;
  }

  /** Events after the cursor; {@code next} is the cursor to pass as {@code since} next time. */
  public record EventPage(List<Event> items, long next) {}

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public EventPage events(@Auth Caller caller, @QueryParam("type") String type,
      @QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("since") String since, @QueryParam("wait") String wait,
      @QueryParam("limit") String limit) throws InterruptedException {
    return page(caller, null, type, from, to, since, wait, limit);
  }

  /** The events of one host; served by HostResource under /api/v1/hosts/{id}/events. */
  EventPage hostEvents(Caller caller, String id, String type, String from, String to,
      String since, String wait, String limit) throws InterruptedException {
    String hostId = Checks.pathId("id", id);
    inventory.jdbi().useHandle(h -> inventory.visibleRow(h, caller, hostId));
    return page(caller, hostId, type, from, to, since, wait, limit);
  }

  private EventPage page(Caller caller, String hostId, String type, String from, String to,
      String since, String wait, String limit) throws InterruptedException {
    if (type != null && (type.length() > 100 || Texts.hasControl(type, false))) {
      throw new ApiException(400, "type", "must be an event type such as host.created");
    }
    Instant f = Http.instant("from", from);
    Instant t = Http.instant("to", to);
    int n = Http.limit(limit, 100, 1000);
    int waitSeconds = wait == null || wait.isEmpty() ? 0 : seconds(wait);
    // Token events describe the token inventory, which is the admins' alone (TokenResource).
    EventDao.Filter filter = new EventDao.Filter(type == null || type.isEmpty() ? null : type,
        hostId, f, t, caller.isAdmin());
    var scope = caller.unscoped() ? null : caller.environments();
    long cursor = "latest".equals(since)
        ? inventory.jdbi().withHandle(h -> new EventDao(h, inventory.json()).lastId())
        : sinceId(since);
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (true) {
      List<Event> items = inventory.jdbi().withHandle(
          h -> new EventDao(h, inventory.json()).list(filter, scope, cursor, n));
      if (!items.isEmpty()) {
        return new EventPage(items, items.get(items.size() - 1).id());
      }
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return new EventPage(items, cursor);
      }
      // Woken at once by a local write; the timer catches writes of other nodes.
      inventory.signal().await(Math.min(left, 250));
    }
  }

  private int seconds(String wait) {
    try {
      int w = Integer.parseInt(wait);
      if (w >= 0 && w <= maxWaitSeconds) {
        return w;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ApiException(400, "wait", "must be seconds between 0 and " + maxWaitSeconds
        + " (api.maxEventWaitSeconds), got " + Texts.quoteForMessage(wait));
  }

  private static long sinceId(String since) {
    if (since == null || since.isEmpty()) {
      return 0;
    }
    try {
      long v = Long.parseLong(since);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ApiException(400, "since", "must be an event id (the next of a previous page)"
        + " or latest, got " + Texts.quoteForMessage(since));
  }
}
