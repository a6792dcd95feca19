package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code gitops/invalid/} replaces one file of the valid fixture and must be
 * refused with exactly the errors its header lists (file, line, column, field path, message), each
 * with a hint, and with nothing applied. The header also says whether the JSON Schema rejects the
 * file too ({@code reject}), cannot see the problem ({@code accept}: cross-references and relations
 * beyond JSON Schema) or does not apply ({@code n/a}: not YAML, or a YAML-level problem).
 */
class InvalidCorpusTest {

  @TempDir Path dir;

  static Stream<Path> cases() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.resource("invalid"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidFile_isRefusedWithItsExpectedErrors_andNothingIsApplied(Path file) throws Exception {
    // Given
    Case c = Case.read(file);
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    Files.copy(file, root.resolve(c.target), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    InMemoryPlatform platform = new InMemoryPlatform();

    // When
    GitOpsValidationException e =
        catchThrowableOfType(
            GitOpsValidationException.class,
            () -> Applier.apply(root, "prod", platform, event -> {}));

    // Then
    assertThat(e).as("validation must fail").isNotNull();
    List<String> actual = e.errors().stream().map(err -> format(err, c.target)).toList();
    assertThat(c.errors)
        .as("expected errors of %s; actual:%n%s", file.getFileName(), String.join("\n", actual))
        .isNotEmpty()
        .hasSameSizeAs(actual);
    for (String expected : c.errors) {
      assertThat(actual)
          .as("expected error '%s' of %s", expected, file.getFileName())
          .anyMatch(a -> matches(a, expected));
    }
    assertThat(e.errors()).allSatisfy(err -> assertThat(err.hint()).as(err.toString()).isNotNull());
    assertThat(e.getMessage()).contains(e.errors().get(0).toString());
    assertThat(platform.calls()).isEmpty();
    assertThat(platform.functions()).isEmpty();

    // The JSON Schema agrees where it can see the problem.
    switch (c.schema) {
      case "reject" ->
          assertThat(SchemaSupport.validate(root.resolve(c.target)))
              .as("the JSON Schema must reject %s", file.getFileName())
              .isNotEmpty();
      case "accept" ->
          assertThat(SchemaSupport.validate(root.resolve(c.target)))
              .as("the JSON Schema is documented as blind to %s", file.getFileName())
              .isEmpty();
      case "n/a" -> {}
      default ->
          throw new IllegalStateException("schema must be reject, accept or n/a: " + c.schema);
    }
  }

  /** {@code [file ]line:column path | message}, the file only when not the case's target. */
  private static String format(ValidationError e, String target) {
    return (e.file().equals(target) ? "" : e.file() + " ")
        + e.line()
        + ":"
        + e.column()
        + " "
        + (e.path().isEmpty() ? "-" : e.path())
        + " | "
        + e.message();
  }

  /** The expected message is a substring of the actual one; everything before it is exact. */
  private static boolean matches(String actual, String expected) {
    int bar = expected.indexOf(" | ");
    String where = expected.substring(0, bar + 3);
    String message = expected.substring(bar + 3);
    return actual.startsWith(where) && actual.substring(where.length()).contains(message);
  }

  private record Case(String target, String schema, List<String> errors) {
    static Case read(Path file) throws IOException {
      String target = null;
      String schema = null;
      List<String> errors = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.startsWith("# ")) {
          break;
        }
        if (line.startsWith("# target: ")) {
          target = line.substring("# target: ".length()).trim();
        } else if (line.startsWith("# schema: ")) {
          schema = line.substring("# schema: ".length()).trim();
        } else if (line.startsWith("# error: ")) {
          errors.add(line.substring("# error: ".length()).trim());
        }
      }
      assertThat(target).as("%s needs a '# target:' header", file).isNotNull();
      assertThat(schema).as("%s needs a '# schema:' header", file).isNotNull();
      return new Case(target, schema, errors);
    }
  }
}
