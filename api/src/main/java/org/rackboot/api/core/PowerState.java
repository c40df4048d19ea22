package org.rackboot.api.core;

import java.util.Locale;

/** What a BMC says about the chassis power: on, off, or unknown when it could not be asked. */
public enum PowerState {
  ON, OFF, UNKNOWN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
