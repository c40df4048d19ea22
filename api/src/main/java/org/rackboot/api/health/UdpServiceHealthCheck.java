package org.rackboot.api.health;

import com.codahale.metrics.health.HealthCheck;
import org.rackboot.api.core.UdpService;

/** Healthy while the service's UDP socket is bound. */
public final class UdpServiceHealthCheck extends HealthCheck {

  private final UdpService service;

  public UdpServiceHealthCheck(UdpService service) {
    this.service = service;
  }

  @Override
  protected Result check() {
    return service.isBound()
        ? Result.healthy()
        : Result.unhealthy(service.name() + " is not bound");
  }
}
