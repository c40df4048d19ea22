package org.rackboot.api.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.function.BooleanSupplier;

/** Healthy while a UDP service's socket is bound. */
public final class UdpServiceHealthCheck extends HealthCheck {

  private final String service;
  private final BooleanSupplier bound;

  /** @param service what the service is, for the message ("TFTP") */
  public UdpServiceHealthCheck(String service, BooleanSupplier bound) {
    this.service = service;
    this.bound = bound;
  }

  @Override
  protected Result check() {
    return bound.getAsBoolean() ? Result.healthy() : Result.unhealthy(service + " is not bound");
  }
}
