package org.rackboot.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.http.ApiError;

/**
 * The OpenAPI 3 document, generated from the JAX-RS annotations of every resource registered in
 * this application (ours and other modules'), so it cannot drift from the code: paths, methods,
 * path/query/header parameters, request and response bodies as JSON schemas of the records, and
 * the roles each operation allows.
 */
@Path("/api/v1/openapi.json")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenApiResource {

  private final ObjectMapper json;
  private volatile ObjectNode cached;

  public OpenApiResource(ObjectMapper json) {
    this.json = json;
  }

  @GET
  public ObjectNode document(@Context Application application) {
    ObjectNode doc = cached;
    if (doc == null) {
      doc = generate(resourceClasses(application));
      cached = doc;
    }
    return doc;
  }

  /** Every registered class or singleton annotated with @Path. */
  static List<Class<?>> resourceClasses(Application app) {
    Set<Class<?>> out = new LinkedHashSet<>();
    for (Class<?> c : app.getClasses()) {
      if (c.isAnnotationPresent(Path.class)) {
        out.add(c);
      }
    }
    for (Object o : app.getSingletons()) {
      if (o.getClass().isAnnotationPresent(Path.class)) {
        out.add(o.getClass());
      }
    }
    List<Class<?>> list = new ArrayList<>(out);
    list.sort(Comparator.comparing(Class::getName));
    return list;
  }

  /** One operation found by reflection: HTTP method, full path, Java method. */
  public record Endpoint(String httpMethod, String path, Method method) {}

  /** The endpoints of the given resource classes, as the document lists them. */
  public static List<Endpoint> endpoints(Collection<Class<?>> classes) {
    List<Endpoint> out = new ArrayList<>();
    for (Class<?> c : classes) {
      String base = c.getAnnotation(Path.class).value();
      for (Method m : c.getMethods()) {
        String verb = httpMethod(m);
        if (verb == null) {
          continue;
        }
        Path sub = m.getAnnotation(Path.class);
        out.add(new Endpoint(verb, normalize(base + "/" + (sub == null ? "" : sub.value())), m));
      }
    }
    out.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::httpMethod));
    return out;
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod hm = a.annotationType().getAnnotation(HttpMethod.class);
      if (hm != null) {
        return hm.value();
      }
    }
    return null;
  }

  /** Collapses slashes, drops a trailing one, and strips regexes from {name: regex}. */
  static String normalize(String p) {
    String s = ("/" + p).replaceAll("/+", "/").replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  ObjectNode generate(List<Class<?>> classes) {
    ObjectNode doc = json.createObjectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Rackboot API");
    info.put("version", "v1");
    info.put("description", "Inventory, roles, environments, events and images of Rackboot."
        + " Errors are {code, field, message}.");
    ObjectNode schemas = json.createObjectNode();
    ObjectNode paths = doc.putObject("paths");
    for (Endpoint e : endpoints(classes)) {
      ObjectNode item = paths.has(e.path()) ? (ObjectNode) paths.get(e.path())
          : paths.putObject(e.path());
      item.set(e.httpMethod().toLowerCase(Locale.ROOT), operation(e, schemas));
    }
    ObjectNode components = doc.putObject("components");
    components.set("schemas", schemas);
    ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
    bearer.put("type", "http");
    bearer.put("scheme", "bearer");
    return doc;
  }

  private ObjectNode operation(Endpoint e, ObjectNode schemas) {
    Method m = e.method();
    ObjectNode op = json.createObjectNode();
    op.put("operationId", m.getDeclaringClass().getSimpleName() + "_" + m.getName());
    op.putArray("tags").add(m.getDeclaringClass().getSimpleName().replace("Resource", ""));
    ArrayNode params = json.createArrayNode();
    Type body = null;
    for (Parameter p : m.getParameters()) {
      if (p.isAnnotationPresent(Auth.class) || p.isAnnotationPresent(Context.class)) {
        continue;
      }
      String in = null;
      String name = null;
      if (p.isAnnotationPresent(PathParam.class)) {
        in = "path";
        name = p.getAnnotation(PathParam.class).value();
      } else if (p.isAnnotationPresent(QueryParam.class)) {
        in = "query";
        name = p.getAnnotation(QueryParam.class).value();
      } else if (p.isAnnotationPresent(HeaderParam.class)) {
        in = "header";
        name = p.getAnnotation(HeaderParam.class).value();
      } else if (p.getAnnotations().length == 0 || onlyValidation(p)) {
        body = p.getParameterizedType();
        continue;
      }
      if (in == null) {
        continue;
      }
      ObjectNode param = params.addObject();
      param.put("name", name);
      param.put("in", in);
      param.put("required", in.equals("path"));
      param.set("schema", schema(p.getParameterizedType(), schemas));
    }
    if (!params.isEmpty()) {
      op.set("parameters", params);
    }
    if (body != null) {
      ObjectNode rb = op.putObject("requestBody");
      rb.put("required", true);
      rb.putObject("content").putObject("application/json").set("schema", schema(body, schemas));
    }
    ObjectNode responses = op.putObject("responses");
    Type ret = m.getGenericReturnType();
    ObjectNode ok = json.createObjectNode();
    if (ret == void.class) {
      ok.put("description", "done");
      responses.set("204", ok);
    } else {
      ok.put("description", "success");
      if (ret != Response.class) {
        ok.putObject("content").putObject(produces(m)).set("schema", schema(ret, schemas));
      }
      responses.set(m.isAnnotationPresent(jakarta.ws.rs.POST.class) ? "2XX" : "200", ok);
    }
    ObjectNode err = responses.putObject("4XX");
    err.put("description", "refused: the body names the field and the reason");
    err.putObject("content").putObject("application/json")
        .set("schema", schema(ApiError.class, schemas));
    RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
    if (roles == null && !m.isAnnotationPresent(PermitAll.class)) {
      roles = m.getDeclaringClass().getAnnotation(RolesAllowed.class);
    }
    if (roles != null || m.isAnnotationPresent(PermitAll.class)
        || m.getDeclaringClass().isAnnotationPresent(PermitAll.class)) {
      op.putArray("security").addObject().putArray("bearer");
      if (roles != null) {
        ArrayNode r = op.putArray("x-roles");
        for (String role : roles.value()) {
          r.add(role);
        }
      }
    } else {
      op.putArray("security");
    }
    return op;
  }

  private static boolean onlyValidation(Parameter p) {
    for (Annotation a : p.getAnnotations()) {
      if (!a.annotationType().getPackageName().startsWith("jakarta.validation")) {
        return false;
      }
    }
    return true;
  }

  private static String produces(Method m) {
    Produces p = m.getAnnotation(Produces.class);
    if (p == null) {
      p = m.getDeclaringClass().getAnnotation(Produces.class);
    }
    return p == null || p.value().length == 0 ? MediaType.APPLICATION_JSON : p.value()[0];
  }

  /** A JSON schema for a Java type; records become named component schemas. */
  private ObjectNode schema(Type t, ObjectNode schemas) {
    ObjectNode s = json.createObjectNode();
    if (t instanceof ParameterizedType pt) {
      Class<?> raw = (Class<?>) pt.getRawType();
      if (Collection.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.set("items", schema(pt.getActualTypeArguments()[0], schemas));
        return s;
      }
      if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object");
        s.set("additionalProperties", schema(pt.getActualTypeArguments()[1], schemas));
        return s;
      }
      if (raw == java.util.Optional.class) {
        return schema(pt.getActualTypeArguments()[0], schemas);
      }
      return schema(raw, schemas);
    }
    if (!(t instanceof Class<?> c)) {
      return s;
    }
    if (c == String.class || c == char.class) {
      s.put("type", "string");
    } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class
        || c == short.class || c == Short.class) {
      s.put("type", "integer");
      s.put("format", c == long.class || c == Long.class ? "int64" : "int32");
    } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      s.put("type", "number");
    } else if (c == boolean.class || c == Boolean.class) {
      s.put("type", "boolean");
    } else if (c == Instant.class) {
      s.put("type", "string");
      s.put("format", "date-time");
    } else if (c == UUID.class) {
      s.put("type", "string");
      s.put("format", "uuid");
    } else if (c == MacAddress.class) {
      s.put("type", "string");
      s.put("description", "MAC address: aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff"
          + " or aabbccddeeff in; lower-case colon form out");
      s.put("example", "52:54:00:12:34:56");
    } else if (JsonNode.class.isAssignableFrom(c) || c == Object.class) {
      s.put("description", "any JSON");
    } else if (c.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (Object v : c.getEnumConstants()) {
        values.add(v.toString());
      }
    } else if (c.isArray()) {
      s.put("type", "array");
      s.set("items", schema(c.getComponentType(), schemas));
    } else if (c.isRecord()) {
      String name = c.getSimpleName();
      if (!schemas.has(name)) {
        ObjectNode def = schemas.putObject(name);
        def.put("type", "object");
        def.put("additionalProperties", false);
        ObjectNode props = def.putObject("properties");
        for (RecordComponent rc : c.getRecordComponents()) {
          if (rc.getAccessor().isAnnotationPresent(
              com.fasterxml.jackson.annotation.JsonIgnore.class)) {
            continue;
          }
          props.set(rc.getName(), schema(rc.getGenericType(), schemas));
        }
      }
      s.put("$ref", "#/components/schemas/" + name);
    } else {
      s.put("type", "object");
    }
    return s;
  }
}
