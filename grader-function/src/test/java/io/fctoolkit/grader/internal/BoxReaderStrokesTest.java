package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Straight pen strokes inside a box are ink; a crease or shadow fringe crossing the box and the
 * paper beyond it is not. The tuned reader masked every long straight line, so a cross or a "-"
 * written across the box read BLANK with confidence 0.999.
 */
class BoxReaderStrokesTest {

  private static final double PX_PER_MM = 6;
  private static final AnswerBox BOX = new AnswerBox("q1", "prompt", 30, 30, 40, 14);

  @Test
  void crossNearlyCornerToCorner_isAnswered() {
    BoxResult result =
        read(
            g -> {
              g.setColor(new Color(25, 30, 140));
              g.setStroke(new BasicStroke(0.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
              g.draw(new Line2D.Double(31.5, 31.5, 68.5, 42.5));
              g.draw(new Line2D.Double(68.5, 31.5, 31.5, 42.5));
            });
    assertThat(result.state()).as("%s", result).isEqualTo(BoxState.ANSWERED);
  }

  @Test
  void dashAcrossTheBox_isAnswered() {
    BoxResult result =
        read(
            g -> {
              g.setColor(new Color(120, 120, 125)); // pencil
              g.setStroke(new BasicStroke(0.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
              g.draw(new Line2D.Double(32, 37.5, 68, 36.5));
            });
    assertThat(result.state()).as("%s", result).isEqualTo(BoxState.ANSWERED);
  }

  @Test
  void creaseAcrossTheSheet_isNotInk() {
    BoxResult result =
        read(
            g -> {
              // A fold crease: a faint grey line across the whole sheet, through the box.
              g.setColor(new Color(190, 190, 190));
              g.setStroke(new BasicStroke(0.4f));
              g.draw(new Line2D.Double(0, 33, 100, 40));
            });
    assertThat(result.state()).as("%s", result).isEqualTo(BoxState.BLANK);
  }

  @Test
  void oneWrittenJustInsideASide_isAnswered() {
    // A "1" in black pen 3 mm inside the right side of a box printed in dark grey: along the
    // side it is darker than the printed line. The printed line is the outermost line there, so
    // the outline stays on it and the stroke is read as ink (it was taken for the side, and the
    // box read BLANK at 0.999).
    BoxResult result =
        read(
            new Color(90, 90, 90),
            g -> {
              g.setColor(new Color(20, 20, 30));
              g.setStroke(new BasicStroke(0.7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
              g.draw(new Line2D.Double(67, 31.5, 67, 42.5));
            });
    assertThat(result.state()).as("%s", result).isEqualTo(BoxState.ANSWERED);
  }

  @Test
  void wideCreaseAcrossTheSheet_isNotInk() {
    // A crease whose darkness is wider than the 5-sample band masked around its line: the band
    // follows its dark fringe, which would otherwise be long thin ink along it.
    BoxResult result =
        read(
            g -> {
              g.setColor(new Color(205, 205, 205));
              g.setStroke(new BasicStroke(2.0f));
              g.draw(new Line2D.Double(0, 35, 100, 38));
            });
    assertThat(result.state()).as("%s", result).isEqualTo(BoxState.BLANK);
  }

  private static BoxResult read(Consumer<Graphics2D> marks) {
    return read(Color.BLACK, marks);
  }

  private static BoxResult read(Color printed, Consumer<Graphics2D> marks) {
    int size = (int) (100 * PX_PER_MM);
    var image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(232, 232, 228));
      g.fillRect(0, 0, size, size);
      g.scale(PX_PER_MM, PX_PER_MM);
      g.setColor(printed);
      g.setStroke(new BasicStroke(0.5f));
      g.draw(new Rectangle2D.Double(BOX.x(), BOX.y(), BOX.width(), BOX.height()));
      marks.accept(g);
    } finally {
      g.dispose();
    }
    var gray = new GrayU8(size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = image.getRGB(x, y);
        gray.set(x, y, ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3);
      }
    }
    var scale = new DMatrixRMaj(3, 3, true, PX_PER_MM, 0, 0, 0, PX_PER_MM, 0, 0, 0, 1);
    return new BoxReader().read(gray, new Homography(scale), BOX);
  }
}
