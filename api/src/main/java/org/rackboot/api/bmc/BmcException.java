package org.rackboot.api.bmc;

/**
 * A BMC call that did not succeed. {@link Kind#UNREACHABLE}: no answer within the timeout and
 * its retries; {@link Kind#REFUSED}: the BMC answered no (wrong user or password, a command it
 * does not support, an error code). The message is the BMC's (or the tool's) own words,
 * already cleaned for a log line and a JSON string, and never holds the password.
 */
public final class BmcException extends Exception {

  public enum Kind { UNREACHABLE, REFUSED }

  private final Kind kind;

  public BmcException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
