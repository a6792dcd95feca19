package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitOpsValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitOpsOnceTest {

  @TempDir Path dir;

  @Test
  void gitopsRepository_isParsedOncePerGoalExecution_andAgainByTheNextOne() throws Exception {
    // Given: a valid gitops folder
    Path gitops = dir.resolve("gitops");
    Files.createDirectories(gitops.resolve("functions"));
    Files.createDirectories(gitops.resolve("environments"));
    DeployMojo goal = new DeployMojo();
    GitOpsRepository first = goal.gitopsRepository(gitops);

    // When: the folder becomes invalid (a parse now fails) and the same goal asks again, also
    // under another spelling of the same folder
    Files.writeString(gitops.resolve("functions/notes.txt"), "not a function file");

    // Then: the same goal keeps its one parse; the next goal execution reads the folder again
    assertThat(goal.gitopsRepository(gitops)).isSameAs(first);
    assertThat(goal.gitopsRepository(gitops.resolve("functions/.."))).isSameAs(first);
    assertThatThrownBy(() -> new DeployMojo().gitopsRepository(gitops))
        .isInstanceOf(GitOpsValidationException.class)
        .hasMessageContaining("unexpected file in functions/");
  }

  @Test
  void gitopsRepository_ofAnotherFolder_parsesThatFolder() throws Exception {
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    for (Path gitops : new Path[] {one, two}) {
      Files.createDirectories(gitops.resolve("functions"));
      Files.createDirectories(gitops.resolve("environments"));
    }
    DeployMojo goal = new DeployMojo();

    assertThat(goal.gitopsRepository(one).root()).isEqualTo(one);
    assertThat(goal.gitopsRepository(two).root()).isEqualTo(two);
  }
}
