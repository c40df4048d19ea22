package org.rackboot.api.core;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Host lifecycle (DESIGN.md): discovered -> ready -> provisioning -> deployed; failed from
 * provisioning; a rebuild takes ready, deployed or failed back to provisioning; retired from
 * anywhere, and nothing leaves retired.
 */
public enum HostState {
  DISCOVERED,
  READY,
  PROVISIONING,
  DEPLOYED,
  FAILED,
  RETIRED;

  /** The states a host may be in for it to move to {@code this}. */
  public Set<HostState> allowedFrom() {
    return switch (this) {
      case DISCOVERED -> EnumSet.noneOf(HostState.class);
      case READY -> EnumSet.of(DISCOVERED, READY);
      case PROVISIONING -> EnumSet.of(READY, DEPLOYED, FAILED, PROVISIONING);
      case DEPLOYED -> EnumSet.of(PROVISIONING);
      case FAILED -> EnumSet.of(PROVISIONING);
      case RETIRED -> EnumSet.complementOf(EnumSet.of(RETIRED));
    };
  }

  public boolean canMoveTo(HostState target) {
    return target.allowedFrom().contains(this);
  }

  /** Lower-case name, as in JSON and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wire();
  }

  /** Parses the lower-case name; refuses anything else, naming the legal values. */
  public static HostState of(String text) {
    for (HostState s : values()) {
      if (s.wire().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "expected one of " + names(EnumSet.allOf(HostState.class)) + ", got "
            + Texts.quoteForMessage(text));
  }

  public static String names(Set<HostState> states) {
    return states.isEmpty()
        ? "(none)"
        : Arrays.stream(values()).filter(states::contains).map(HostState::wire)
            .collect(Collectors.joining(", "));
  }
}
