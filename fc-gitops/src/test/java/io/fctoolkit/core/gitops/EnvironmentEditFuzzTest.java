package io.fctoolkit.core.gitops;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.gitops.internal.EnvironmentDocument;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Feeds arbitrary bytes as {@code environments/prod/environment.yaml} and, when the reader accepts
 * them, holds the promotion edits of {@link EnvironmentDocument} to their contract: {@code
 * withAlias} gives a file that the reader accepts with exactly the requested alias, and {@code
 * withRelease} one that it accepts with the new release appended to the old ones. The only refusal
 * allowed is the documented IllegalArgumentException for a flow-style ({...}, [...]) block.
 *
 * <p>{@code mvn test} replays {@code EnvironmentEditFuzzTestInputs/edits}. To fuzz: {@code
 * JAZZER_FUZZ=1 ./mvnw -B -o -pl fc-core,fc-gitops test -Dtest=EnvironmentEditFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class EnvironmentEditFuzzTest {
  private static final Release NEW_RELEASE =
      new Release("2031-01-01.1", ImageRef.parse("r/grader@" + Fixtures.D3));

  private static Path dir;
  private static Path root;

  @BeforeAll
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("gitops-edit-fuzz");
    root = Fixtures.copyValid(dir.resolve("gitops"));
  }

  @AfterAll
  static void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void edits(byte[] input) throws IOException {
    Files.write(root.resolve(Fixtures.PROD), input);
    EnvironmentFunction before;
    try {
      before = GitOpsRepository.open(root).environment("prod").function("grader").orElse(null);
    } catch (GitOpsValidationException refused) {
      return; // Promotions only edit files the reader accepts.
    }
    if (before == null || before.aliases().isEmpty() || before.releases().isEmpty()) {
      return;
    }
    String text = new String(input, StandardCharsets.UTF_8);
    EnvironmentDocument document = EnvironmentDocument.parse(text);

    AliasSpec alias = wantedAlias(before);
    String aliased = edit(text, () -> document.withAlias("grader", alias));
    if (aliased != null) {
      EnvironmentFunction after = reopen(aliased, text);
      if (!after.alias(alias.name()).equals(java.util.Optional.of(alias))) {
        fail("withAlias(" + alias + ") read back " + after.alias(alias.name()), text, aliased);
      }
    }

    String released = edit(text, () -> document.withRelease("grader", NEW_RELEASE));
    if (released != null) {
      List<Release> expected = new ArrayList<>(before.releases());
      expected.add(NEW_RELEASE);
      EnvironmentFunction after = reopen(released, text);
      if (!after.releases().equals(expected)) {
        fail("withRelease read back " + after.releases(), text, released);
      }
    }
  }

  /** The first alias moved to the last release, with the first as a 12.5% canary when distinct. */
  private static AliasSpec wantedAlias(EnvironmentFunction fn) {
    String name = fn.aliases().get(0).name();
    String last = fn.releases().get(fn.releases().size() - 1).id();
    String first = fn.releases().get(0).id();
    return first.equals(last)
        ? AliasSpec.of(name, last)
        : new AliasSpec(name, last, first, new BigDecimal("12.5"), Affinity.KEY);
  }

  private interface Edit {
    String run();
  }

  private static String edit(String text, Edit edit) {
    try {
      return edit.run();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains("flow style")) {
        return null;
      }
      throw new AssertionError("edit refused: " + e + "\n--- file:\n" + text, e);
    }
  }

  private static EnvironmentFunction reopen(String edited, String original) throws IOException {
    Files.writeString(root.resolve(Fixtures.PROD), edited, StandardCharsets.UTF_8);
    try {
      return GitOpsRepository.open(root).environment("prod").function("grader").orElseThrow();
    } catch (GitOpsValidationException e) {
      fail("the edited file is refused: " + e.getMessage(), original, edited);
      throw e;
    }
  }

  private static void fail(String what, String original, String edited) {
    throw new AssertionError(what + "\n--- file:\n" + original + "\n--- edited:\n" + edited);
  }
}
