package org.rackboot.api.core;

/**
 * A reason the server cannot start that an operator can fix, told as one plain line. The server
 * command prints only the message for these, never a stack trace.
 */
public class StartupFailure extends RuntimeException {

  public StartupFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
