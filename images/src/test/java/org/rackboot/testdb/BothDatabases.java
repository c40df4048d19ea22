package org.rackboot.testdb;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Provides the H2 and the MariaDB invocation of a {@link DatabaseTest}. */
final class BothDatabases implements TestTemplateInvocationContextProvider {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(BothDatabases.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getRequiredTestMethod().isAnnotationPresent(DatabaseTest.class);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    return DatabaseInvocations.of(Resolver::new);
  }

  private record Resolver(TestDatabase.Kind kind) implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      try {
        TestDatabase db =
            kind == TestDatabase.Kind.H2 ? TestDatabase.freshH2() : TestDatabase.freshMariaDb();
        e.getStore(NS).put("db", new Closer(db));
        boolean migrate = e.getRequiredTestMethod().getAnnotation(DatabaseTest.class).migrate();
        return migrate ? db.migrate() : db;
      } catch (Exception ex) {
        throw new ParameterResolutionException(
            "cannot open a fresh " + kind + " test database at "
                + (kind == TestDatabase.Kind.H2 ? "mem" : MariaDbSettings.url()) + ": " + ex,
            ex);
      }
    }
  }

  private record Closer(TestDatabase db)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() throws Exception {
      db.close();
    }
  }
}
