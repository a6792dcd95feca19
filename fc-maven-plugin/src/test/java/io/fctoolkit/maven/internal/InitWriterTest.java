package io.fctoolkit.maven.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.maven.internal.InitWriter.Entry;
import io.fctoolkit.maven.internal.InitWriter.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitWriterTest {

  @TempDir Path project;

  private static InitFile file(String path, String text) {
    return new InitFile(path, text.getBytes(UTF_8), InitFile.isScript(path, text.getBytes(UTF_8)));
  }

  @Test
  void write_newFiles_areWrittenWithFolders() throws Exception {
    // When
    List<Entry> entries =
        InitWriter.write(project, List.of(file("gitops/functions/a.yaml", "a")), false);
    // Then
    assertThat(entries).containsExactly(new Entry("gitops/functions/a.yaml", Outcome.WRITTEN));
    assertThat(project.resolve("gitops/functions/a.yaml")).hasContent("a");
  }

  @Test
  void write_existingFileWithOtherContent_isKeptUnlessForced() throws Exception {
    // Given
    Path ours = project.resolve(".github/workflows/ci.yml");
    Files.createDirectories(ours.getParent());
    Files.writeString(ours, "ours");
    List<InitFile> files =
        List.of(file(".github/workflows/ci.yml", "theirs"), file("Jenkinsfile", "j"));
    // When
    List<Entry> first = InitWriter.write(project, files, false);
    // Then
    assertThat(first)
        .containsExactly(
            new Entry(".github/workflows/ci.yml", Outcome.KEPT),
            new Entry("Jenkinsfile", Outcome.WRITTEN));
    assertThat(ours).hasContent("ours");
    // When run again: the same bytes are unchanged, the differing file still kept
    List<Entry> second = InitWriter.write(project, files, false);
    assertThat(second)
        .containsExactly(
            new Entry(".github/workflows/ci.yml", Outcome.KEPT),
            new Entry("Jenkinsfile", Outcome.UNCHANGED));
    // When forced
    List<Entry> forced = InitWriter.write(project, files, true);
    assertThat(forced).contains(new Entry(".github/workflows/ci.yml", Outcome.OVERWRITTEN));
    assertThat(ours).hasContent("theirs");
  }

  @Test
  void write_script_isExecutable() throws Exception {
    // When
    InitWriter.write(project, List.of(file("pipelines/scripts/plan.sh", "#!/bin/sh\n")), false);
    // Then
    assertThat(Files.isExecutable(project.resolve("pipelines/scripts/plan.sh"))).isTrue();
  }

  @Test
  void write_pathOutsideTheProject_isRefused() {
    assertThatThrownBy(() -> InitWriter.write(project, List.of(file("../x", "x")), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void summary_listsKeptFilesWithTheForceSwitchAndTheNextSteps() {
    // When
    List<String> lines =
        InitSummary.lines(
            List.of(
                new Entry("gitops/functions/a.yaml", Outcome.WRITTEN),
                new Entry(".github/workflows/ci.yml", Outcome.KEPT)),
            InitCi.GITHUB,
            "a");
    // Then
    assertThat(lines)
        .contains(
            "written     gitops/functions/a.yaml",
            "exists, kept; -Dfc.init.force to overwrite: .github/workflows/ci.yml")
        .anyMatch(l -> l.contains("git add gitops .github pipelines"))
        .anyMatch(l -> l.contains("pipelines/README.md"));
  }
}
