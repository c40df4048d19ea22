package org.rackboot.api;

import org.rackboot.api.config.RackbootConfiguration;
import io.dropwizard.auth.AuthDynamicFeature;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.auth.CallerAuthorizer;
import org.rackboot.api.http.DatabaseOutageMapper;
import org.rackboot.api.http.JsonUnauthorizedHandler;
import org.rackboot.api.http.TokenAuthenticator;
import org.rackboot.api.http.TokenUse;
import org.rackboot.api.http.AdminGate;
import org.rackboot.api.http.JsonErrorHandler;
import org.rackboot.api.config.ApiFactory;
import org.rackboot.api.boot.InstallTemplates;
import org.rackboot.api.service.RoleCatalog;
import org.rackboot.api.service.Discovery;
import org.rackboot.api.service.EventSignal;
import org.rackboot.api.service.Inventory;
import org.rackboot.api.service.Power;
import org.rackboot.api.bmc.CredentialCipher;
import org.rackboot.api.bmc.IpmitoolDriver;
import org.rackboot.api.config.BmcFactory;
import org.rackboot.api.core.StartupFailure;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import org.rackboot.api.service.RateLimiter;
import org.rackboot.api.service.Tokens;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.http.BodySizeLimit;
import org.rackboot.api.http.UnreadBodyDrain;
import org.rackboot.api.http.ErrorMappers;
import org.rackboot.api.http.JsonSettings;
import org.rackboot.api.docs.SwaggerUiServlet;
import org.rackboot.api.resources.EnvironmentResource;
import org.rackboot.api.resources.DiscoveryResource;
import org.rackboot.api.resources.EventResource;
import org.rackboot.api.resources.HostResource;
import org.rackboot.api.resources.OpenApiResource;
import org.rackboot.api.resources.RoleResource;
import org.rackboot.api.resources.TokenResource;

/**
 * Wires the inventory API into the application: strict JSON, one error body shape, bearer-token
 * auth for every {@code @RolesAllowed} resource (any module's), and the inventory resources.
 * Called once from {@link RackbootApplication#run} after the Jdbi is built.
 */
public final class InventoryWiring {

  private InventoryWiring() {}

  /** What the wiring made, for other wiring code that needs the same services. */
  public record Services(Inventory inventory, RoleCatalog catalog, Tokens tokens) {}

  public static Services register(RackbootConfiguration config, Environment env, Jdbi jdbi) {
    ApiFactory api = config.getApi();
    DbConventions.configure(jdbi);
    JsonSettings.apply(env.getObjectMapper());

    // Dropwizard's default mappers answer in their own shapes; ours name field and reason.
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
    }
    ErrorMappers.all().forEach(env.jersey()::register);
    // The database away: 503 with Retry-After and one log line per interval, not a 500 each.
    env.jersey().register(new DatabaseOutageMapper());

    Authenticator<String, Caller> authenticator =
        DatabaseOutageMapper.passOutages(new TokenAuthenticator(jdbi));
    Runnable dropCache = () -> { };
    long ttl = api.getTokenCacheTtl().toMilliseconds();
    if (ttl > 0) {
      // Unknown tokens are not cached (negative results off), so a new token works at once.
      CachingAuthenticator<String, Caller> cache = new CachingAuthenticator<>(env.metrics(),
          authenticator, Caffeine.newBuilder().maximumSize(10_000)
              .expireAfterWrite(java.time.Duration.ofMillis(ttl)), false);
      authenticator = cache;
      dropCache = cache::invalidateAll;
    }
    // After the cache: expiry is checked, and use recorded, on every request.
    authenticator = new TokenUse(authenticator, jdbi, java.time.Clock.systemUTC());
    // Jetty's own errors (bad URIs, too-long headers) in the API's error shape, on both ports;
    // the server's handler is set as it starts, since Dropwizard sets its own when building it.
    env.getApplicationContext().setErrorHandler(new JsonErrorHandler.ForServlets());
    env.getAdminContext().setErrorHandler(new JsonErrorHandler.ForServlets());
    env.lifecycle().addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
        if (event instanceof org.eclipse.jetty.server.Server server) {
          server.setErrorHandler(new JsonErrorHandler());
        }
      }
    });
    // The admin port: health and metrics open, tasks and thread dumps for admins only.
    env.admin().addFilter("admin-gate", new AdminGate(authenticator))
        .addMappingForUrlPatterns(null, false, "/*");
    env.jersey().register(new AuthDynamicFeature(
        new OAuthCredentialAuthFilter.Builder<Caller>()
            .setAuthenticator(authenticator)
            .setAuthorizer(new CallerAuthorizer())
            .setPrefix("Bearer")
            .setRealm("rackboot")
            .setUnauthorizedHandler(new JsonUnauthorizedHandler())
            .buildAuthFilter()));
    env.jersey().register(RolesAllowedDynamicFeature.class);
    env.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
    env.jersey().register(new BodySizeLimit(api.getMaxBodySize().toBytes()));
    env.servlets()
        .addFilter("unread-body-drain", new UnreadBodyDrain(api.getMaxBodySize().toBytes()))
        .addMappingForUrlPatterns(null, false, "/*");

    EventSignal signal = new EventSignal();
    Inventory inventory = new Inventory(jdbi, env.getObjectMapper(), signal);
    // Roles may name only install templates that exist, built in or in boot.templateDir.
    RoleCatalog catalog = new RoleCatalog(inventory,
        new InstallTemplates(config.getBoot().getTemplateDir())::exists);
    Tokens tokens = new Tokens(jdbi, env.getObjectMapper(), dropCache);
    EventResource events = new EventResource(inventory, api.getMaxEventWaitSeconds());
    env.jersey().register(new HostResource(inventory, events, power(config, env, inventory)));
    env.jersey().register(new EnvironmentResource(catalog));
    env.jersey().register(new RoleResource(catalog));
    env.jersey().register(events);
    env.jersey().register(new TokenResource(tokens));
    env.jersey().register(new DiscoveryResource(new Discovery(inventory),
        api.getDiscoveryToken(),
        new RateLimiter(api.getDiscoveryRatePerSecond(), api.getDiscoveryBurst())));
    env.jersey().register(new OpenApiResource());
    env.servlets().addServlet("swagger-ui", new SwaggerUiServlet())
        .addMapping(SwaggerUiServlet.PATH, SwaggerUiServlet.PATH + "/*");
    return new Services(inventory, catalog, tokens);
  }

  /**
   * Power through BMCs: the key that seals their passwords (a malformed one stops startup; none
   * leaves credentials unsettable, said by PUT /bmc), ipmitool, and a bounded pool of BMC calls
   * that the server's lifecycle stops.
   */
  private static Power power(RackbootConfiguration config, Environment env,
      Inventory inventory) {
    BmcFactory bmc = config.getBmc();
    CredentialCipher cipher = null;
    if (!bmc.getCredentialKey().isBlank()) {
      try {
        cipher = CredentialCipher.fromBase64(bmc.getCredentialKey());
      } catch (IllegalArgumentException e) {
        throw new StartupFailure("bmc.credentialKey " + e.getMessage() + "; set it (or"
            + " RACKBOOT_BMC_KEY) to the output of `head -c 32 /dev/urandom | base64`", e);
      }
    }
    java.time.Duration timeout = java.time.Duration.ofMillis(bmc.getTimeout().toMilliseconds());
    ExecutorService calls = env.lifecycle().executorService("bmc-call-%d")
        .minThreads(bmc.getMaxConcurrentCalls()).maxThreads(bmc.getMaxConcurrentCalls())
        .workQueue(new ArrayBlockingQueue<>(bmc.getQueueSize())).build();
    // One call is its attempts plus a little for starting and killing processes.
    java.time.Duration deadline = timeout.multipliedBy(bmc.getRetries() + 1L).plusSeconds(3);
    return new Power(inventory, cipher,
        new IpmitoolDriver(bmc.getIpmitool(), timeout, bmc.getRetries()), calls, deadline);
  }
}
