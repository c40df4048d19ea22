package org.rackboot.images;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Promotion policy from the configuration: the order environments are promoted along, and the
 * environments that accept only versions already pinned (now or before) in the one before them.
 */
public record PinPolicy(List<String> order, Set<String> requirePinnedInPrevious) {

  public PinPolicy {
    List<String> o = new ArrayList<>();
    for (String e : order) {
      String n = Names.name("promotion.order", e);
      if (o.contains(n)) {
        throw ImageStoreException.invalid("promotion.order", "environment '" + n + "' appears twice");
      }
      o.add(n);
    }
    Set<String> r = new HashSet<>();
    for (String e : requirePinnedInPrevious) {
      String n = Names.name("promotion.requirePinnedInPrevious", e);
      int at = o.indexOf(n);
      if (at <= 0) {
        throw ImageStoreException.invalid("promotion.requirePinnedInPrevious",
            "environment '" + n + "' has no previous environment in promotion.order " + o);
      }
      r.add(n);
    }
    order = List.copyOf(o);
    requirePinnedInPrevious = Set.copyOf(r);
  }

  public static PinPolicy of(List<String> order, List<String> requirePinnedInPrevious) {
    return new PinPolicy(order, new HashSet<>(requirePinnedInPrevious));
  }

  public Optional<String> next(String env) {
    int i = order.indexOf(env);
    return i < 0 || i + 1 >= order.size() ? Optional.empty() : Optional.of(order.get(i + 1));
  }

  public Optional<String> previous(String env) {
    int i = order.indexOf(env);
    return i <= 0 ? Optional.empty() : Optional.of(order.get(i - 1));
  }
}
