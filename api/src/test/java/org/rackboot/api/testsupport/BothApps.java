package org.rackboot.api.testsupport;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.rackboot.testdb.DatabaseInvocations;
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
    return DatabaseInvocations.of(Resolver::new);
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
