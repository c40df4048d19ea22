package org.rackboot.api.docs;

import com.fasterxml.jackson.annotation.JsonView;
import io.dropwizard.auth.Auth;
import io.swagger.v3.jaxrs2.DefaultParameterExtension;
import io.swagger.v3.jaxrs2.ResolvedParameter;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What swagger-core cannot know about this API, applied to every operation as it is read: the
 * {@code @Auth} caller is injected by Dropwizard (not a request body), {@code @RolesAllowed}
 * means a bearer token of one of those roles, and ids and tags follow the resource classes.
 * It extends the default extension rather than chaining before it: swagger-core configures only
 * the first extension of its chain.
 */
final class OperationConventions extends DefaultParameterExtension {

  @Override
  public ResolvedParameter extractParameters(List<Annotation> annotations, Type type,
      Set<Type> typesToSkip, Components components, Consumes classConsumes,
      Consumes methodConsumes, boolean includeRequestBody, JsonView jsonViewAnnotation,
      Iterator<OpenAPIExtension> chain) {
    if (annotations.stream().anyMatch(Auth.class::isInstance)) {
      return new ResolvedParameter();
    }
    return super.extractParameters(annotations, type, typesToSkip, components, classConsumes,
        methodConsumes, includeRequestBody, jsonViewAnnotation, chain);
  }

  @Override
  public void decorateOperation(Operation operation, Method method,
      Iterator<OpenAPIExtension> chain) {
    Class<?> resource = method.getDeclaringClass();
    // Unique without numbering: a resource class has no two operations of one name.
    operation.setOperationId(resource.getSimpleName() + "_" + method.getName());
    if (operation.getTags() == null || operation.getTags().isEmpty()) {
      operation.addTagsItem(resource.getSimpleName().replace("Resource", ""));
    }
    RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
    if (roles == null && !method.isAnnotationPresent(PermitAll.class)) {
      roles = resource.getAnnotation(RolesAllowed.class);
    }
    if (roles != null) {
      operation.addSecurityItem(new SecurityRequirement().addList(OpenApiDocument.BEARER));
      operation.addExtension("x-roles", List.of(roles.value()));
    }
    super.decorateOperation(operation, method, chain);
  }
}
