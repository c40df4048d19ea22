package org.rackboot.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.bmc.BmcDriver;
import org.rackboot.api.bmc.BmcException;
import org.rackboot.api.bmc.CredentialCipher;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.BmcCredentials;
import org.rackboot.api.core.BmcView;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.Inputs.BmcInput;
import org.rackboot.api.core.PowerAction;
import org.rackboot.api.core.PowerResult;
import org.rackboot.api.core.PowerState;
import org.rackboot.api.core.Texts;
import org.rackboot.api.db.BmcDao;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.EventDao;
import org.rackboot.api.db.FactsDao;
import org.rackboot.api.db.HostDao;

/**
 * Power through hosts' BMCs: their credentials (sealed at rest, write-only in the API), power
 * status and commands, and the network-once boot plus power cycle of a rebuild. BMC calls run
 * on a bounded executor, never on the request thread, and the request waits for them only up
 * to a deadline (every attempt's timeout plus slack), so a rack of dead BMCs cannot hold the
 * API's threads. A BMC call never changes the host: only its event is written.
 */
public final class Power {

  /** Field named by the errors of a BMC call. */
  public static final String FIELD = "bmc";
  public static final String KEY_FIELD = "bmc.credentialKey";

  private static final int MAX_USERNAME = 16;   // IPMI v2.0 user names: 16 bytes
  private static final int MAX_PASSWORD = 20;   // IPMI v2.0 passwords: 20 bytes

  private final Inventory inventory;
  private final CredentialCipher cipher;        // null: no key configured
  private final BmcDriver ipmi;
  private final ExecutorService calls;
  private final Duration callDeadline;

  /**
   * @param cipher null when bmc.credentialKey is unset
   * @param callDeadline how long a request waits for one BMC call, retries included
   */
  public Power(Inventory inventory, CredentialCipher cipher, BmcDriver ipmi,
      ExecutorService calls, Duration callDeadline) {
    this.inventory = inventory;
    this.cipher = cipher;
    this.ipmi = ipmi;
    this.calls = calls;
    this.callDeadline = callDeadline;
  }

  // ---------------------------------------------------------------- credentials

  public BmcView credentials(Caller c, String id) {
    return inventory.jdbi().withHandle(h -> {
      inventory.visibleRow(h, c, id);
      return new BmcDao(h).byHost(id).map(Power::view).orElseThrow(() -> ApiException.notFound(
          FIELD, "host " + id + " has no BMC credentials; set them with PUT"
              + " /api/v1/hosts/{id}/bmc"));
    });
  }

  /** Sets (replaces) the host's BMC credentials; a password left out keeps the stored one. */
  public BmcView setCredentials(Caller c, String id, BmcInput in) {
    Checks.required("body", in);
    String driver = driver(in.driver());
    String address = Checks.hostOrAddress("address", in.address());
    int port = in.port() == null ? BmcCredentials.IPMI_PORT : in.port();
    if (port < 1 || port > 65535) {
      throw ApiException.invalid("port", "must be a UDP port 1-65535, got " + port);
    }
    String user = Checks.text("username", Checks.required("username", in.username()),
        MAX_USERNAME);
    if (user == null) {
      throw ApiException.invalid("username", "must not be empty");
    }
    String password = in.password();
    if (password != null) {
      if (password.isEmpty() || password.length() > MAX_PASSWORD) {
        throw ApiException.invalid("password", "must be 1-" + MAX_PASSWORD + " characters, got "
            + password.length());
      }
      if (Texts.hasControl(password, false) || Texts.unpairedSurrogate(password) >= 0) {
        throw ApiException.invalid("password", "must not contain control characters");
      }
    }
    return inventory.write(() -> inventory.jdbi().inTransaction(h -> {
      HostRow row = new HostDao(h).byIdForUpdate(id).orElseThrow(
          () -> ApiException.notFound("id", "no host with id " + id));
      c.requireChange(row.environment);
      if (cipher == null) {
        throw keyMissing();
      }
      String addr = address != null ? address : row.bmcAddress;
      if (addr == null) {
        throw ApiException.invalid("address", "is required: host " + id + " has no bmcAddress"
            + " reported by its agent");
      }
      BmcDao dao = new BmcDao(h);
      Optional<BmcDao.Row> old = dao.byHost(id);
      String sealed;
      if (password != null) {
        sealed = cipher.seal(id, password);
      } else if (old.isPresent()) {
        sealed = old.get().passwordSealed();
      } else {
        throw ApiException.invalid("password", "is required: host " + id + " has no BMC"
            + " password stored yet");
      }
      Instant now = DbConventions.now();
      BmcDao.Row r = new BmcDao.Row(id, driver, addr, port, user, sealed, now, c.actor());
      dao.put(r);
      new EventDao(h, inventory.json()).insert(now, c.actor(), "bmc.credentials_set", id,
          row.hostname, old.map(Power::eventView).orElse(null), eventView(r),
          "bmc credentials set by " + c.actor() + (password == null ? " (password kept)" : ""));
      return view(r);
    }));
  }

  private static String driver(String d) {
    String s = Checks.required("driver", d);
    if (BmcCredentials.IPMI.equals(s)) {
      return s;
    }
    if ("redfish".equals(s)) {
      throw ApiException.invalid("driver", "redfish is not supported yet; use ipmi");
    }
    throw ApiException.invalid("driver", "must be ipmi, got " + Texts.quoteForMessage(s));
  }

  private static ApiException keyMissing() {
    return ApiException.conflict(KEY_FIELD, "no key to encrypt BMC passwords with: set"
        + " bmc.credentialKey (or the RACKBOOT_BMC_KEY environment variable) to base64 of 32"
        + " random bytes, e.g. the output of `head -c 32 /dev/urandom | base64`, and restart");
  }

  private static BmcView view(BmcDao.Row r) {
    return new BmcView(r.driver(), r.address(), r.port(), r.username(), true, r.updatedAt(),
        r.updatedBy());
  }

  /** What an event shows of the credentials: where and who, never the password. */
  private static Map<String, Object> eventView(BmcDao.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("driver", r.driver());
    m.put("address", r.address());
    m.put("port", r.port());
    m.put("username", r.username());
    return m;
  }

  // ---------------------------------------------------------------- power

  /** The power state; a BMC that cannot be asked gives state unknown with its words. */
  public PowerResult status(Caller c, String id) {
    Target t = target(c, id, false, FIELD);
    try {
      return PowerResult.state(call(() -> ipmi.status(t.creds()), 1), null);
    } catch (BmcException e) {
      return PowerResult.state(PowerState.UNKNOWN, e.getMessage());
    }
  }

  /**
   * Sends a power command and records it on the host ({@code bmc.power}). A BMC that answers
   * no is a 502, one that does not answer a 504; either way the host itself is left alone.
   */
  public PowerResult act(Caller c, String id, PowerAction action) {
    Target t = target(c, id, true, FIELD);
    try {
      String ack = call(() -> ipmi.power(t.creds(), action), 1);
      powerEvent(c, t, action.wire(), "ok", ack);
      return new PowerResult(action.wire(), null, "ok", ack);
    } catch (BmcException e) {
      powerEvent(c, t, action.wire(), outcome(e), e.getMessage());
      throw failure(e);
    }
  }

  /**
   * Checked before a rebuild with power is written: the caller may change the host, and the
   * host has BMC credentials that open. Refusals name {@code field} (the rebuild's "power").
   */
  public void requireReady(Caller c, String id, String field) {
    target(c, id, true, field);
  }

  /**
   * After a rebuild was recorded: the next boot from the network once (the UEFI flag when the
   * host's facts say UEFI), then a power cycle, or power on when the host is off. Never
   * throws for the BMC: a failure is told in the result and the event, and the rebuild stays.
   */
  public PowerResult rebootIntoNetwork(Caller c, String id) {
    Target t;
    try {
      t = target(c, id, true, "power");
    } catch (ApiException e) {
      return new PowerResult("cycle", null, "failed", e.getMessage());
    }
    try {
      String ack = call(() -> {
        String boot = ipmi.bootFromNetworkOnce(t.creds(), t.uefi());
        PowerState s = ipmi.status(t.creds());
        PowerAction a = s == PowerState.OFF ? PowerAction.ON : PowerAction.CYCLE;
        return boot + "; " + ipmi.power(t.creds(), a);
      }, 3);
      String what = "next boot: network once" + (t.uefi() ? " (UEFI)" : "") + "; " + ack;
      powerEvent(c, t, "cycle", "ok", what);
      return new PowerResult("cycle", null, "ok", what);
    } catch (BmcException e) {
      powerEvent(c, t, "cycle", outcome(e), e.getMessage());
      return new PowerResult("cycle", null, outcome(e), e.getMessage());
    } catch (ApiException e) {
      powerEvent(c, t, "cycle", "failed", e.getMessage());
      return new PowerResult("cycle", null, "failed", e.getMessage());
    }
  }

  /** A rebuild's answer: the host, and what its power step did (null when none was asked). */
  public record Rebuilt(org.rackboot.api.core.Host host, PowerResult power) {}

  /**
   * POST /hosts/{id}/rebuild: with {@code power: cycle}, checks first that the host's BMC can
   * be used (409 naming {@code power} otherwise, nothing written), then records the rebuild,
   * then sets the network boot and power-cycles. A BMC failure after the write is told in the
   * answer and the event; the rebuild stays requested.
   */
  public Rebuilt rebuild(Caller c, String id, Long ifMatch,
      org.rackboot.api.core.Inputs.RebuildInput in) {
    String p = in == null ? null : in.power();
    if (p != null && !"cycle".equals(p)) {
      throw ApiException.invalid("power", "must be cycle (or left out), got "
          + Texts.quoteForMessage(p));
    }
    if (p != null) {
      requireReady(c, id, "power");
    }
    org.rackboot.api.core.Host h = inventory.rebuild(c, id, ifMatch);
    return new Rebuilt(h, p == null ? null : rebootIntoNetwork(c, id));
  }

  /** A host's BMC, ready to call: credentials opened, firmware known. */
  private record Target(String id, String hostname, BmcCredentials creds, boolean uefi) {}

  private Target target(Caller c, String id, boolean change, String field) {
    return inventory.jdbi().withHandle(h -> {
      HostRow row = inventory.visibleRow(h, c, id);
      if (change) {
        c.requireChange(row.environment);
      }
      BmcDao.Row r = new BmcDao(h).byHost(id).orElseThrow(() -> ApiException.conflict(field,
          "host " + id + " has no BMC credentials; set them with PUT /api/v1/hosts/{id}/bmc"));
      if (cipher == null) {
        throw ApiException.conflict(field, "bmc.credentialKey is not set, so the stored BMC"
            + " password cannot be opened; set it (or RACKBOOT_BMC_KEY) to the key it was"
            + " stored with and restart");
      }
      String password;
      try {
        password = cipher.open(id, r.passwordSealed());
      } catch (CredentialCipher.SealedValueException e) {
        throw ApiException.conflict(field, "the stored BMC password " + e.getMessage()
            + "; set the credentials again with PUT /api/v1/hosts/{id}/bmc");
      }
      return new Target(id, row.hostname, new BmcCredentials(r.driver(), r.address(),
          r.port(), r.username(), password), uefi(h, id));
    });
  }

  /** UEFI when the agent's last report says so ({@code firmware: uefi}). */
  private boolean uefi(Handle h, String id) {
    return new FactsDao(h, inventory.json()).current(id)
        .map(f -> f.facts().path("firmware"))
        .filter(JsonNode::isTextual)
        .map(n -> n.asText().toLowerCase(Locale.ROOT).contains("efi"))
        .orElse(false);
  }

  @FunctionalInterface
  private interface BmcCall<T> {
    T run() throws BmcException;
  }

  /** Runs a BMC call of {@code steps} calls on the executor and waits up to its deadline. */
  private <T> T call(BmcCall<T> work, int steps) throws BmcException {
    Future<T> f;
    try {
      f = calls.submit(work::run);
    } catch (RejectedExecutionException e) {
      throw new ApiException(503, FIELD, "too many BMC calls are waiting; retry in a moment");
    }
    try {
      return f.get(callDeadline.toMillis() * steps, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new BmcException(BmcException.Kind.UNREACHABLE, "no answer from the BMC within "
          + callDeadline.toMillis() * steps + " ms");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new BmcException(BmcException.Kind.UNREACHABLE, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BmcException b) {
        throw b;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String outcome(BmcException e) {
    return e.kind() == BmcException.Kind.UNREACHABLE ? "unreachable" : "refused";
  }

  private static ApiException failure(BmcException e) {
    return new ApiException(e.kind() == BmcException.Kind.UNREACHABLE ? 504 : 502, FIELD,
        e.getMessage());
  }

  private void powerEvent(Caller c, Target t, String action, String outcome, String detail) {
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("action", action);
    after.put("outcome", outcome);
    inventory.write(() -> {
      inventory.jdbi().useTransaction(h -> new EventDao(h, inventory.json()).insert(
          DbConventions.now(), c.actor(), "bmc.power", t.id(), t.hostname(), null, after,
          detail));
      return null;
    });
  }
}
