package org.rackboot.api.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.Role;
import org.rackboot.images.Artifact;
import org.rackboot.images.Manifest;

/** What an install template sees: host, role, environment, image, role variables, server. */
final class TemplateScope {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TemplateScope() {}

  static Map<String, Object> of(BootHost host, Role role, Manifest image, String server, String token) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("id", host.id());
    h.put("hostname", host.label());
    h.put("serial", host.serial());
    h.put("rack", host.rack());
    Map<String, Object> r = new LinkedHashMap<>();
    if (role != null) {
      r.put("name", role.name());
      r.put("kernelArgs", role.kernelArgs());
    }
    List<Map<String, Object>> artifacts = new ArrayList<>();
    Map<String, Object> img = new LinkedHashMap<>();
    img.put("name", image.name());
    img.put("version", image.version());
    img.put("os", image.os());
    img.put("arch", image.arch());
    for (Artifact a : image.artifacts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", a.name());
      m.put("part", a.part().wire());
      m.put("sha256", a.sha256().hex());
      m.put("size", a.size());
      m.put("url", server + "/files/blobs/" + a.sha256().hex());
      artifacts.add(m);
      // {{#image.kernel}}{{url}}{{/image.kernel}} and friends: the first artifact of each part.
      img.putIfAbsent(a.part().wire(), m);
    }
    img.put("artifacts", artifacts);
    Map<String, Object> scope = new HashMap<>();
    scope.put("host", h);
    scope.put("role", r);
    scope.put("environment", host.environment());
    scope.put("image", img);
    scope.put("vars", role == null ? Map.of() : variables(role.variables()));
    scope.put("server", server);
    scope.put("serverHost", URI.create(server).getAuthority());
    scope.put("token", token);
    return scope;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> variables(JsonNode node) {
    return node == null || node.isNull() ? Map.of() : JSON.convertValue(node, Map.class);
  }

}
