package org.rackboot.api;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import org.eclipse.jetty.server.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP request log without query strings. Dropwizard's default line carries the whole
 * request line ({@code %r}), and tokens travel in queries here: the discovery token, a host's
 * provisioning token on its template and install URLs. The log keeps method, path, protocol,
 * status, size, referrer, user agent and time; a logFormat set in the configuration is left as
 * it is.
 *
 * <p>It also starts quietly: logback-access prints its whole status list on stdout at every
 * start (the versions it found, one line each); only its warnings and errors are worth telling,
 * and they go to the application log instead.
 */
final class RequestLogFormat {

  private static final Logger LOG = LoggerFactory.getLogger(RequestLogFormat.class);

  /** Dropwizard's default, with the request line's query left out ({@code %m %U %H}). */
  static final String WITHOUT_QUERY = "%h %l %u [%t{dd/MMM/yyyy:HH:mm:ss Z,UTC}]"
      + " \"%m %U %H\" %s %b \"%i{Referer}\" \"%i{User-Agent}\" %D";

  private RequestLogFormat() {}

  /** Sets {@link #WITHOUT_QUERY} on every request-log appender that has no format of its own. */
  static void withoutQueries(ServerFactory server) {
    if (server instanceof AbstractServerFactory f
        && f.getRequestLogFactory() instanceof LogbackAccessRequestLogFactory configured) {
      Quiet requests = new Quiet();
      requests.setAppenders(configured.getAppenders());
      f.setRequestLogFactory(requests);
      for (AppenderFactory<IAccessEvent> a : requests.getAppenders()) {
        if (a instanceof AbstractAppenderFactory<IAccessEvent> appender
            && appender.getLogFormat() == null) {
          appender.setLogFormat(WITHOUT_QUERY);
        }
      }
    }
  }

  /** The configured request log, its start-up status list reduced to warnings and errors. */
  static final class Quiet extends LogbackAccessRequestLogFactory {
    @Override
    public RequestLog build(String name) {
      RequestLog log = super.build(name);
      if (log instanceof RequestLogImpl impl) {
        impl.setQuiet(true);
        impl.getStatusManager().add((StatusListener) status -> {
          if (status.getLevel() >= Status.WARN) {
            LOG.warn("request log: {}", status.getMessage());
          }
        });
      }
      return log;
    }
  }
}
