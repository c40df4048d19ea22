package org.rackboot.testdb;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;

/**
 * The two legs of every database test template: "[H2]" always runs; "[MariaDB]" is skipped
 * (reported as skipped, never passed) when no server answers, unless {@code
 * rackboot.mariadb.required=true}. Surefire reports them as "someTest(...) [MariaDB]", and
 * .ci/run counts that suffix.
 */
public final class DatabaseInvocations {

  private DatabaseInvocations() {}

  /** One invocation per engine, each with the parameter resolver {@code resolverFor} makes. */
  public static Stream<TestTemplateInvocationContext> of(
      Function<TestDatabase.Kind, Extension> resolverFor) {
    return Stream.of(TestDatabase.Kind.H2, TestDatabase.Kind.MARIADB)
        .map(kind -> invocation(kind, resolverFor.apply(kind)));
  }

  private static TestTemplateInvocationContext invocation(
      TestDatabase.Kind kind, Extension resolver) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return kind == TestDatabase.Kind.H2 ? "[H2]" : "[MariaDB]";
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(new Condition(kind), resolver);
      }
    };
  }

  private record Condition(TestDatabase.Kind kind) implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (kind == TestDatabase.Kind.H2 || MariaDbSettings.required()) {
        return ConditionEvaluationResult.enabled("runs");
      }
      String why = MariaDbSettings.unreachableReason();
      return why == null
          ? ConditionEvaluationResult.enabled("MariaDB answers")
          : ConditionEvaluationResult.disabled(
              "MariaDB at " + MariaDbSettings.url() + " not reachable: " + why);
    }
  }
}
