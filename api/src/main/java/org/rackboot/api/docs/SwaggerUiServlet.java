package org.rackboot.api.docs;

import io.dropwizard.servlets.assets.AssetServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Swagger UI at {@value #PATH}/, served from the swagger-ui webjar on the API port. Everything
 * comes from the jar except the initializer, ours, which points the UI at {@link
 * OpenApiDocument#PATH} (the webjar's points at a demo document on another host).
 */
public final class SwaggerUiServlet extends AssetServlet {

  private static final long serialVersionUID = 1L;

  public static final String PATH = "/api/docs";

  private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
  private static final String INITIALIZER = "/swagger-initializer.js";

  public SwaggerUiServlet() {
    super(WEBJAR + webjarVersion(), PATH, "index.html", StandardCharsets.UTF_8);
  }

  /** The webjar's files lie under its version: read it from the jar rather than repeat it. */
  static String webjarVersion() {
    String props = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = SwaggerUiServlet.class.getResourceAsStream(props)) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui webjar is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp)
      throws ServletException, IOException {
    // The page links its files relatively (./swagger-ui.css): it must be read as a directory.
    if (req.getPathInfo() == null) {
      resp.sendRedirect(req.getRequestURI() + "/");
      return;
    }
    super.doGet(req, resp);
  }

  @Override
  protected URL getResourceURL(String absoluteRequestedResourcePath) {
    if (absoluteRequestedResourcePath.endsWith(INITIALIZER)) {
      return SwaggerUiServlet.class.getResource("/docs" + INITIALIZER);
    }
    return super.getResourceURL(absoluteRequestedResourcePath);
  }
}
