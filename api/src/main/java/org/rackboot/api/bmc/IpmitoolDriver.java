package org.rackboot.api.bmc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rackboot.api.core.BmcCredentials;
import org.rackboot.api.core.PowerAction;
import org.rackboot.api.core.PowerState;

/**
 * IPMI v2.0 over LAN through ipmitool's lanplus interface. The password travels in the
 * process environment ({@code -E} reads {@code IPMI_PASSWORD}), never on the command line where
 * {@code ps} and /proc/PID/cmdline show it to every local user. Each attempt is one ipmitool
 * process killed at the timeout; a BMC that does not answer is asked again up to
 * {@code retries} times, one that answers no (wrong password, unsupported command) is not:
 * asking again changes nothing and may lock the account.
 */
public final class IpmitoolDriver implements BmcDriver {

  private static final Pattern STATUS = Pattern.compile("Chassis Power is (on|off)",
      Pattern.CASE_INSENSITIVE);

  /**
   * ipmitool's words (with -v) for a session that never started because nothing answered;
   * with a wrong password it says "RAKP 2 HMAC is invalid", with a wrong user "unauthorized
   * name", both after the BMC answered.
   */
  private static final List<String> SILENT = List.of("get auth capabilities error",
      "no response from remote controller", "error issuing get channel authentication",
      "insufficient resources for session");

  /** Lines -v adds on every call that say nothing about the outcome. */
  private static final List<String> NOISE = List.of("loading iana pen registry",
      "unable to get channel cipher suites", "running get vso capabilities",
      "discovered ipmb address");

  private static final int MAX_DETAIL = 400;

  private final String ipmitool;
  private final Duration timeout;
  private final int retries;

  public IpmitoolDriver(String ipmitool, Duration timeout, int retries) {
    this.ipmitool = ipmitool;
    this.timeout = timeout;
    this.retries = retries;
  }

  @Override
  public PowerState status(BmcCredentials c) throws BmcException {
    String out = run(c, List.of("chassis", "power", "status"));
    Matcher m = STATUS.matcher(out);
    if (!m.find()) {
      throw new BmcException(BmcException.Kind.REFUSED, "unexpected answer to chassis power"
          + " status: " + clean(out, c.password()));
    }
    return m.group(1).equalsIgnoreCase("on") ? PowerState.ON : PowerState.OFF;
  }

  @Override
  public String power(BmcCredentials c, PowerAction action) throws BmcException {
    return clean(run(c, List.of("chassis", "power", action.wire())), c.password());
  }

  @Override
  public String bootFromNetworkOnce(BmcCredentials c, boolean uefi) throws BmcException {
    // Without "persistent" the override applies to the next boot only (IPMI boot flags
    // parameter 5); efiboot sets its "BIOS boot type: EFI" bit for UEFI machines.
    return clean(run(c, bootdevArgs(uefi)), c.password());
  }

  /** The chassis arguments of a network-once boot override, for tests of the command line. */
  public static List<String> bootdevArgs(boolean uefi) {
    return uefi ? List.of("chassis", "bootdev", "pxe", "options=efiboot")
        : List.of("chassis", "bootdev", "pxe");
  }

  /** The whole command line of a call (no secret in it: the password is in the environment). */
  public List<String> command(BmcCredentials c, List<String> args) {
    long perTry = Math.max(1, timeout.toSeconds() / 3);
    List<String> cmd = new ArrayList<>(List.of(ipmitool, "-v", "-I", "lanplus",
        "-H", c.address(), "-p", Integer.toString(c.port()), "-U", c.username(), "-E",
        "-N", Long.toString(perTry), "-R", "1"));
    cmd.addAll(args);
    return cmd;
  }

  private String run(BmcCredentials c, List<String> args) throws BmcException {
    BmcException last = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new BmcException(BmcException.Kind.UNREACHABLE, "cancelled");
      }
      try {
        return once(c, args);
      } catch (BmcException e) {
        if (e.kind() != BmcException.Kind.UNREACHABLE) {
          throw e;
        }
        last = e;
      }
    }
    throw new BmcException(BmcException.Kind.UNREACHABLE, last.getMessage() + " (after "
        + (retries + 1) + " attempt" + (retries == 0 ? "" : "s") + ")");
  }

  private String once(BmcCredentials c, List<String> args) throws BmcException {
    Path out = null;
    Path err = null;
    Process p = null;
    try {
      out = Files.createTempFile("rackboot-ipmi", ".out");
      err = Files.createTempFile("rackboot-ipmi", ".err");
      ProcessBuilder pb = new ProcessBuilder(command(c, args))
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("IPMI_PASSWORD", c.password());
      pb.environment().put("LC_ALL", "C");
      p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        throw new BmcException(BmcException.Kind.UNREACHABLE, "no answer from " + where(c)
            + " within " + timeout.toMillis() + " ms");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() == 0) {
        return stdout;
      }
      String lower = stderr.toLowerCase(Locale.ROOT);
      boolean silent = SILENT.stream().anyMatch(lower::contains);
      String words = clean(stderr + "\n" + stdout, c.password());
      if (silent) {
        throw new BmcException(BmcException.Kind.UNREACHABLE, "no answer from " + where(c)
            + ": " + words);
      }
      throw new BmcException(BmcException.Kind.REFUSED, where(c) + " refused: "
          + (words.isEmpty() ? "ipmitool exit status " + p.exitValue() : words));
    } catch (IOException e) {
      throw new BmcException(BmcException.Kind.REFUSED, "cannot run " + ipmitool + ": "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BmcException(BmcException.Kind.UNREACHABLE, "cancelled");
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      delete(out);
      delete(err);
    }
  }

  private static String where(BmcCredentials c) {
    return "the BMC at " + c.address() + ":" + c.port();
  }

  /**
   * The tool's words made fit for a JSON field, an event and a log line: noise lines dropped,
   * one line, printable characters only, bounded, and the password blotted out should a tool
   * ever echo it.
   */
  static String clean(String text, String password) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\\R")) {
      String t = line.strip();
      String lower = t.toLowerCase(Locale.ROOT);
      if (t.isEmpty() || NOISE.stream().anyMatch(lower::startsWith)) {
        continue;
      }
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(t);
    }
    String s = b.toString();
    if (password != null && !password.isEmpty()) {
      s = s.replace(password, "(hidden)");
    }
    s = s.replaceAll("[^\\x20-\\x7e]", "?");
    return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "…" : s;
  }

  private static void delete(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // A temporary file of ipmitool's output; nothing secret in it.
      }
    }
  }
}
