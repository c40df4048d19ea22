package org.rackboot.api.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A chassis power command. {@code soft} asks the operating system to shut down (ACPI); {@code
 * reset} is a warm reset; {@code cycle} is off, a pause, then on.
 */
public enum PowerAction {
  ON, OFF, CYCLE, RESET, SOFT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action named {@code s}; a 422 naming {@code field} with the choices otherwise. */
  public static PowerAction of(String field, String s) {
    Checks.required(field, s);
    for (PowerAction a : values()) {
      if (a.wire().equals(s)) {
        return a;
      }
    }
    throw ApiException.invalid(field, "must be one of " + choices() + ", got "
        + Texts.quoteForMessage(s));
  }

  public static String choices() {
    return Arrays.stream(values()).map(PowerAction::wire).collect(Collectors.joining(", "));
  }
}
