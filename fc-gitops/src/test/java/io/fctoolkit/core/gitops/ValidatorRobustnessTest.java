package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates every line of every valid fixture file in several ways: the validator must either accept
 * the result or refuse it with positioned errors, never fail with another exception.
 */
class ValidatorRobustnessTest {

  @TempDir Path dir;

  @Test
  void everySingleLineMutation_isAcceptedOrRefusedWithPositionedErrors() throws Exception {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    int refused = 0;
    int accepted = 0;
    for (String file : List.of(Fixtures.GRADER, Fixtures.PROD, Fixtures.DEV)) {
      String original = Fixtures.read(root, file);
      List<String> lines = original.lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        for (String mutated : mutations(lines, i)) {
          Fixtures.write(root, file, mutated);
          try {
            GitOpsRepository.open(root);
            accepted++;
          } catch (GitOpsValidationException e) {
            refused++;
            assertThat(e.errors()).isNotEmpty();
            assertThat(e.errors())
                .allSatisfy(
                    err -> {
                      assertThat(err.message()).isNotBlank();
                      assertThat(err.line()).isBetween(0, lines.size() + 2);
                    });
          }
        }
      }
      Fixtures.write(root, file, original);
    }
    assertThat(refused).isGreaterThan(200);
    assertThat(accepted).isGreaterThan(0);
  }

  private static List<String> mutations(List<String> lines, int i) {
    List<String> out = new ArrayList<>();
    out.add(join(lines, i, null));
    out.add(join(lines, i, "  " + lines.get(i)));
    out.add(join(lines, i, lines.get(i) + "\n" + lines.get(i)));
    int colon = lines.get(i).indexOf(": ");
    if (colon > 0) {
      String key = lines.get(i).substring(0, colon + 2);
      for (String value : List.of("{}", "~", "\"x\"", "-1", "[a, {b: c}]")) {
        out.add(join(lines, i, key + value));
      }
    }
    return out;
  }

  private static String join(List<String> lines, int index, String replacement) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = i == index ? replacement : lines.get(i);
      if (line != null) {
        text.append(line).append('\n');
      }
    }
    return text.toString();
  }
}
