package org.rackboot.api.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.rackboot.testdb.MariaDbSettings;
import org.rackboot.testdb.TestDatabase;

/** The H2 and MariaDB invocations of an {@link ApiTest}, one app per class and database. */
final class BothApps implements TestTemplateInvocationContextProvider {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(BothApps.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getRequiredTestMethod().isAnnotationPresent(ApiTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    return Stream.of(invocation(TestDatabase.Kind.H2), invocation(TestDatabase.Kind.MARIADB));
  }

  private static TestTemplateInvocationContext invocation(TestDatabase.Kind kind) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return kind == TestDatabase.Kind.H2 ? "[H2]" : "[MariaDB]";
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(new Condition(kind), new Resolver(kind));
      }
    };
  }

  /** Skips the MariaDB leg when the server is absent and not required; never skips H2. */
  private record Condition(TestDatabase.Kind kind) implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (kind == TestDatabase.Kind.H2 || MariaDbSettings.required()) {
        return ConditionEvaluationResult.enabled("runs");
      }
      try (Connection c = DriverManager.getConnection(
          MariaDbSettings.url(), MariaDbSettings.user(), MariaDbSettings.password())) {
        return ConditionEvaluationResult.enabled("MariaDB answers");
      } catch (SQLException e) {
        return ConditionEvaluationResult.disabled(
            "MariaDB at " + MariaDbSettings.url() + " not reachable: " + e.getMessage());
      }
    }
  }

  private record Resolver(TestDatabase.Kind kind) implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == RunningApp.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      ExtensionContext classCtx = e;
      while (classCtx.getTestMethod().isPresent() && classCtx.getParent().isPresent()) {
        classCtx = classCtx.getParent().get();
      }
      AppConfig cfg = classCtx.getRequiredTestClass().getAnnotation(AppConfig.class);
      String[] overrides = cfg == null ? new String[0] : cfg.value();
      Holder holder = classCtx.getStore(NS).getOrComputeIfAbsent(kind, k -> {
        try {
          TestDatabase db = kind == TestDatabase.Kind.H2
              ? TestDatabase.freshH2() : TestDatabase.freshMariaDb();
          return new Holder(RunningApp.start(db, overrides));
        } catch (Exception ex) {
          throw new ParameterResolutionException("cannot start the app on " + kind + ": " + ex,
              ex);
        }
      }, Holder.class);
      return holder.app();
    }
  }

  /** Closes the app and drops its database when the test class ends. */
  private record Holder(RunningApp app)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() throws Exception {
      app.close();
    }
  }
}
