package io.fctoolkit.grader.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.SheetStatus;
import io.fctoolkit.grader.WorksheetGrader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorksheetGeneratorTest {

  @TempDir Path out;

  @Test
  void writesPngPdfAndLayout_thatTheGraderReads() throws Exception {
    var registry = LayoutRegistry.builtIn();
    var files = WorksheetGenerator.write(registry.byName("math-12").orElseThrow(), out, 150);
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("math-12.png", "math-12.pdf", "math-12.layout.json");
    try (var pdf = Loader.loadPDF(files.get(1).toFile())) {
      assertThat(pdf.getNumberOfPages()).isEqualTo(1);
      // A4 in points.
      assertThat(pdf.getPage(0).getMediaBox().getWidth())
          .isCloseTo(595.3f, org.assertj.core.data.Offset.offset(0.5f));
      assertThat(pdf.getPage(0).getMediaBox().getHeight())
          .isCloseTo(841.9f, org.assertj.core.data.Offset.offset(0.5f));
    }
    assertThat(Files.readString(files.get(2))).contains("\"q12\"");
    var grade =
        new WorksheetGrader(registry, 50_000_000L)
            .grade(Files.readAllBytes(files.get(0)), "math-12");
    assertThat(grade.status()).isEqualTo(SheetStatus.BLANK);
  }
}
