package io.fctoolkit.grader.tools;

import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.internal.Markers;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** Draws a worksheet layout as a printable raster image at a given resolution. */
public final class WorksheetRenderer {

  /** Printed outline width of answer boxes, in millimetres. */
  public static final double BOX_LINE_MM = 0.5;

  private WorksheetRenderer() {}

  /** Renders {@code layout} at {@code pxPerMm} pixels per millimetre, white paper, black ink. */
  public static BufferedImage render(Layout layout, double pxPerMm) {
    return render(layout, pxPerMm, true);
  }

  /** Renders {@code layout}, with or without its printed text (title and prompts). */
  public static BufferedImage render(Layout layout, double pxPerMm, boolean withText) {
    int width = (int) Math.round(layout.pageWidth() * pxPerMm);
    int height = (int) Math.round(layout.pageHeight() * pxPerMm);
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.scale(pxPerMm, pxPerMm);
      drawMarkers(g, layout, pxPerMm);
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke((float) BOX_LINE_MM));
      if (!withText) {
        for (AnswerBox box : layout.boxes()) {
          g.draw(new Rectangle2D.Double(box.x(), box.y(), box.width(), box.height()));
        }
        return image;
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 1).deriveFont(6f));
      g.drawString(layout.title(), (float) (layout.markerMargin() + layout.markerSize() + 6), 20f);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(3.2f));
      g.drawString(
          "Layout " + layout.name() + " (code " + layout.code() + ")  Name: ____________________",
          (float) (layout.markerMargin() + layout.markerSize() + 6),
          30f);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(4.2f));
      g.setStroke(new BasicStroke((float) BOX_LINE_MM));
      for (AnswerBox box : layout.boxes()) {
        g.draw(new Rectangle2D.Double(box.x(), box.y(), box.width(), box.height()));
        float textWidth = (float) g.getFontMetrics().getStringBounds(box.prompt(), g).getWidth();
        g.drawString(
            box.prompt(),
            (float) (box.x() - 3 - textWidth),
            (float) (box.y() + box.height() / 2 + 1.5));
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void drawMarkers(Graphics2D g, Layout layout, double pxPerMm) {
    int sizePx = Math.max(24, (int) Math.round(layout.markerSize() * pxPerMm));
    for (int corner = 0; corner < 4; corner++) {
      var gray = Markers.render(layout.markerId(corner), sizePx);
      var marker = new BufferedImage(gray.width, gray.height, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < gray.height; y++) {
        for (int x = 0; x < gray.width; x++) {
          int v = gray.get(x, y);
          marker.getRaster().setSample(x, y, 0, v);
        }
      }
      double[] origin = layout.markerOrigin(corner);
      var transform = g.getTransform();
      g.translate(origin[0], origin[1]);
      g.scale(layout.markerSize() / gray.width, layout.markerSize() / gray.height);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(marker, 0, 0, null);
      g.setTransform(transform);
    }
  }
}
