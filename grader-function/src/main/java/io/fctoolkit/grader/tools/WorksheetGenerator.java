package io.fctoolkit.grader.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.LayoutRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Writes printable worksheets: for each layout a PNG, a one-page PDF at the exact paper size, and
 * the layout as JSON.
 *
 * <p>Usage: {@code WorksheetGenerator <outputDir> [dpi] [layoutName...]} (default 300 dpi, all
 * built-in layouts). PDFBox is only on the compile classpath of this tool, not in the function's
 * image.
 */
public final class WorksheetGenerator {

  private static final double MM_PER_INCH = 25.4;
  private static final float POINTS_PER_MM = 72f / 25.4f;

  private WorksheetGenerator() {}

  /** Runs the generator; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: WorksheetGenerator <outputDir> [dpi] [layoutName...]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int dpi = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    var registry = LayoutRegistry.builtIn();
    List<Layout> layouts = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String name = args[i];
      layouts.add(
          registry
              .byName(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown layout "
                              + name
                              + "; known: "
                              + registry.all().stream().map(Layout::name).toList())));
    }
    if (layouts.isEmpty()) {
      layouts.addAll(registry.all());
    }
    for (Layout layout : layouts) {
      for (Path written : write(layout, out, dpi)) {
        System.out.println("wrote " + written);
      }
    }
  }

  /** Writes {@code layout} as PNG, PDF and JSON into {@code dir}; returns the files written. */
  public static List<Path> write(Layout layout, Path dir, int dpi) throws IOException {
    Files.createDirectories(dir);
    BufferedImage image = WorksheetRenderer.render(layout, dpi / MM_PER_INCH);
    Path png = dir.resolve(layout.name() + ".png");
    ImageIO.write(image, "png", png.toFile());
    Path pdf = dir.resolve(layout.name() + ".pdf");
    try (var document = new PDDocument()) {
      var size =
          new PDRectangle(
              (float) layout.pageWidth() * POINTS_PER_MM,
              (float) layout.pageHeight() * POINTS_PER_MM);
      var page = new PDPage(size);
      document.addPage(page);
      // The raster is drawn at exactly the page size, so printed millimetres match the layout.
      PDImageXObject xobject = LosslessFactory.createFromImage(document, image);
      try (var content = new PDPageContentStream(document, page)) {
        content.drawImage(xobject, 0, 0, size.getWidth(), size.getHeight());
      }
      document.save(pdf.toFile());
    }
    Path json = dir.resolve(layout.name() + ".layout.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), layout);
    return List.of(png, pdf, json);
  }
}
