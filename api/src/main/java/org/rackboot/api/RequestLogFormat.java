package org.rackboot.api;

import ch.qos.logback.access.common.spi.IAccessEvent;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;

/**
 * The HTTP request log without query strings. Dropwizard's default line carries the whole
 * request line ({@code %r}), and tokens travel in queries here: the discovery token, a host's
 * provisioning token on its template and install URLs. The log keeps method, path, protocol,
 * status, size, referrer, user agent and time; a logFormat set in the configuration is left as
 * it is.
 */
final class RequestLogFormat {

  /** Dropwizard's default, with the request line's query left out ({@code %m %U %H}). */
  static final String WITHOUT_QUERY = "%h %l %u [%t{dd/MMM/yyyy:HH:mm:ss Z,UTC}]"
      + " \"%m %U %H\" %s %b \"%i{Referer}\" \"%i{User-Agent}\" %D";

  private RequestLogFormat() {}

  /** Sets {@link #WITHOUT_QUERY} on every request-log appender that has no format of its own. */
  static void withoutQueries(ServerFactory server) {
    if (server instanceof AbstractServerFactory f
        && f.getRequestLogFactory() instanceof LogbackAccessRequestLogFactory requests) {
      for (AppenderFactory<IAccessEvent> a : requests.getAppenders()) {
        if (a instanceof AbstractAppenderFactory<IAccessEvent> appender
            && appender.getLogFormat() == null) {
          appender.setLogFormat(WITHOUT_QUERY);
        }
      }
    }
  }
}
