package io.fctoolkit.grader.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.SplittableRandom;

/** Draws what a pupil leaves in an answer box, in sheet millimetres. */
public final class MarkPainter {

  /** What is drawn; the first group counts as answered, the second as blank. */
  public enum Kind {
    SCRIBBLE(true),
    DIGITS(true),
    SHORT_DIGIT(true),
    CHINESE(true),
    TICK(true),
    CROSSED_OUT(true),
    LIGHT_PENCIL(true),
    /**
     * Light pencil of issue #18: grey 150-210 on paper ~235, thin; drawn only by that condition.
     */
    FAINT_PENCIL(true),
    /**
     * Straight strokes only: a cross, a single "1", "-" or "/", or a tick, in pen or pencil; drawn
     * only by the straight-strokes condition.
     */
    STRAIGHT(true),
    EMPTY(false),
    SMUDGE(false),
    ERASED(false);

    final boolean answered;

    Kind(boolean answered) {
      this.answered = answered;
    }

    /** Whether this kind of mark counts as an answer. */
    public boolean answered() {
      return answered;
    }
  }

  private static final String CJK = "是不对我你好学生水火山大小天中国人日月木口手";
  private static final Font CJK_FONT = cjkFont();

  private MarkPainter() {}

  /** A random answered kind. */
  public static Kind answeredKind(SplittableRandom rnd) {
    double p = rnd.nextDouble();
    if (p < 0.22) return Kind.SCRIBBLE;
    if (p < 0.44) return Kind.DIGITS;
    if (p < 0.52) return Kind.SHORT_DIGIT;
    if (p < 0.66) return Kind.CHINESE;
    if (p < 0.76) return Kind.TICK;
    if (p < 0.86) return Kind.CROSSED_OUT;
    return Kind.LIGHT_PENCIL;
  }

  /** A random blank kind. */
  public static Kind blankKind(SplittableRandom rnd) {
    double p = rnd.nextDouble();
    if (p < 0.7) return Kind.EMPTY;
    if (p < 0.87) return Kind.SMUDGE;
    return Kind.ERASED;
  }

  /** Whether a real CJK font is installed (else Chinese is drawn as stroke look-alikes). */
  public static boolean hasCjkFont() {
    return CJK_FONT != null;
  }

  /** Paints {@code kind} into {@code box} (sheet mm) on {@code g}, whose user space is mm. */
  public static void paint(Graphics2D g, Rectangle2D box, Kind kind, SplittableRandom rnd) {
    Color pen = penColor(rnd);
    float width = (float) (0.45 + rnd.nextDouble() * 0.35);
    switch (kind) {
      case EMPTY -> {}
      case SCRIBBLE -> scribble(g, box, pen, width, rnd);
      case DIGITS -> digits(g, box, pen, rnd, 1 + rnd.nextInt(3));
      case SHORT_DIGIT -> digits(g, box, pen, rnd, 1);
      case CHINESE -> chinese(g, box, pen, width, rnd);
      case TICK -> tick(g, box, pen, width + 0.2f, rnd);
      case CROSSED_OUT -> {
        if (rnd.nextBoolean()) {
          digits(g, box, pen, rnd, 2);
        } else {
          scribble(g, box, pen, width, rnd);
        }
        crossOut(g, box, pen, width, rnd);
      }
      case LIGHT_PENCIL -> {
        int grey = 125 + rnd.nextInt(45);
        Color pencil = new Color(grey, grey, grey + 5);
        float w = (float) (0.4 + rnd.nextDouble() * 0.25);
        if (rnd.nextBoolean()) {
          scribble(g, box, pencil, w, rnd);
        } else {
          digitsAsStrokes(g, box, pencil, w, rnd);
        }
      }
      case FAINT_PENCIL -> {
        // Grey on paper ~235, rendered on white paper: scale so the ratio to the paper holds.
        int grey = (int) Math.round((150 + rnd.nextInt(61)) * 255 / 235.0);
        Color pencil = new Color(grey, grey, Math.min(255, grey + 3));
        float w = (float) (0.3 + rnd.nextDouble() * 0.2);
        if (rnd.nextBoolean()) {
          scribble(g, box, pencil, w, rnd);
        } else {
          digitsAsStrokes(g, box, pencil, w, rnd);
        }
      }
      case STRAIGHT -> straight(g, box, rnd);
      case SMUDGE -> smudge(g, box, rnd);
      case ERASED -> {
        int grey = 228 + rnd.nextInt(12);
        scribble(g, box, new Color(grey, grey, grey), 0.5f, rnd);
      }
    }
  }

  /** Writing outside the boxes: working next to the prompts, doodles in the margins. */
  public static void strayMarks(
      Graphics2D g,
      double pageWidth,
      double pageHeight,
      List<Rectangle2D> boxes,
      SplittableRandom rnd) {
    int n = rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      double x = 40 + rnd.nextDouble() * (pageWidth - 80);
      double y = 40 + rnd.nextDouble() * (pageHeight - 80);
      var area = new Rectangle2D.Double(x, y, 12, 6);
      // Stray writing stays off the boxes: a mark inside a box is an answer by definition.
      var reach = new Rectangle2D.Double(x - 2, y - 8, 18, 16);
      if (boxes.stream().noneMatch(b -> b.intersects(reach))) {
        scribble(g, area, penColor(rnd), 0.4f, rnd);
      }
    }
  }

  private static Color penColor(SplittableRandom rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> new Color(20 + rnd.nextInt(20), 30 + rnd.nextInt(30), 120 + rnd.nextInt(60));
      case 1 -> new Color(15 + rnd.nextInt(25), 15 + rnd.nextInt(25), 20 + rnd.nextInt(25));
      case 2 -> {
        int grey = 70 + rnd.nextInt(40);
        yield new Color(grey, grey, grey);
      }
      default -> new Color(140 + rnd.nextInt(60), 20 + rnd.nextInt(30), 20 + rnd.nextInt(30));
    };
  }

  private static void scribble(
      Graphics2D g, Rectangle2D box, Color color, float width, SplittableRandom rnd) {
    double h = Math.min(box.getHeight() * (0.3 + rnd.nextDouble() * 0.3), 9);
    double length = Math.min(box.getWidth() * (0.35 + rnd.nextDouble() * 0.5), 45);
    double x = box.getX() + 3 + rnd.nextDouble() * Math.max(0.1, box.getWidth() - length - 6);
    double base = box.getCenterY() + (rnd.nextDouble() - 0.5) * box.getHeight() * 0.2 + h / 3;
    var path = new Path2D.Double();
    path.moveTo(x, base);
    double cx = x;
    while (cx < x + length) {
      double step = 1.5 + rnd.nextDouble() * 2.5;
      double peak = base - h * (0.4 + rnd.nextDouble() * 0.6);
      path.curveTo(cx + step * 0.2, peak, cx + step * 0.8, peak, cx + step, base);
      if (rnd.nextDouble() < 0.15) {
        cx += step + 1.5 + rnd.nextDouble() * 2; // gap between words
        path.moveTo(cx, base);
      } else {
        cx += step;
      }
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path);
  }

  private static void digits(
      Graphics2D g, Rectangle2D box, Color color, SplittableRandom rnd, int count) {
    String[] families = {Font.SANS_SERIF, Font.SERIF, "DejaVu Sans Mono"};
    int style = rnd.nextInt(4);
    double size = Math.min(box.getHeight() * 0.75, 6 + rnd.nextDouble() * 7);
    var font = new Font(families[rnd.nextInt(families.length)], style, 1).deriveFont((float) size);
    var text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append((char) ('0' + rnd.nextInt(10)));
    }
    drawText(g, box, font, text.toString(), color, rnd);
  }

  private static void digitsAsStrokes(
      Graphics2D g, Rectangle2D box, Color color, float width, SplittableRandom rnd) {
    // Pencil digits are strokes, not filled glyphs: outline the glyph with a thin line.
    double size = Math.min(box.getHeight() * 0.75, 7 + rnd.nextDouble() * 6);
    var font = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont((float) size);
    String text = String.valueOf(10 + rnd.nextInt(990));
    var frc = g.getFontRenderContext();
    var shape = font.createGlyphVector(frc, text).getOutline();
    var bounds = shape.getBounds2D();
    double x =
        box.getX() + 3 + rnd.nextDouble() * Math.max(0.1, box.getWidth() - bounds.getWidth() - 6);
    double y = box.getCenterY() + bounds.getHeight() / 2 + (rnd.nextDouble() - 0.5) * 2;
    var at = AffineTransform.getTranslateInstance(x, y);
    at.rotate(Math.toRadians((rnd.nextDouble() - 0.5) * 16));
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(at.createTransformedShape(shape));
  }

  private static void chinese(
      Graphics2D g, Rectangle2D box, Color color, float width, SplittableRandom rnd) {
    int count = 1 + rnd.nextInt(3);
    if (CJK_FONT != null) {
      var text = new StringBuilder();
      for (int i = 0; i < count; i++) {
        text.append(CJK.charAt(rnd.nextInt(CJK.length())));
      }
      double size = Math.min(box.getHeight() * 0.7, 6 + rnd.nextDouble() * 6);
      drawText(g, box, CJK_FONT.deriveFont((float) size), text.toString(), color, rnd);
      return;
    }
    // No CJK font installed: stroke look-alikes (horizontal, vertical and falling strokes).
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    double size = Math.min(box.getHeight() * 0.7, 7 + rnd.nextDouble() * 4);
    double x = box.getX() + 3 + rnd.nextDouble() * Math.max(0.1, box.getWidth() - count * size - 6);
    double y = box.getCenterY() - size / 2;
    for (int c = 0; c < count; c++) {
      double cx = x + c * size * 1.1;
      int strokes = 3 + rnd.nextInt(5);
      for (int s = 0; s < strokes; s++) {
        double a = rnd.nextDouble();
        double b = rnd.nextDouble();
        switch (rnd.nextInt(3)) {
          case 0 -> g.draw(new Line2D.Double(cx, y + a * size, cx + size, y + a * size));
          case 1 -> g.draw(new Line2D.Double(cx + a * size, y, cx + a * size, y + size));
          default -> g.draw(new Line2D.Double(cx + a * size, y + b * size * 0.3, cx, y + size));
        }
      }
    }
  }

  private static void drawText(
      Graphics2D g, Rectangle2D box, Font font, String text, Color color, SplittableRandom rnd) {
    var frc = g.getFontRenderContext();
    var shape = font.createGlyphVector(frc, text).getOutline();
    var bounds = shape.getBounds2D();
    double x =
        box.getX() + 3 + rnd.nextDouble() * Math.max(0.1, box.getWidth() - bounds.getWidth() - 6);
    double y = box.getCenterY() + bounds.getHeight() / 2 - 1 + (rnd.nextDouble() - 0.5) * 2;
    var at = AffineTransform.getTranslateInstance(x, y);
    at.rotate(Math.toRadians((rnd.nextDouble() - 0.5) * 16));
    at.shear((rnd.nextDouble() - 0.5) * 0.4, 0);
    g.setColor(color);
    g.fill(at.createTransformedShape(shape));
  }

  private static void tick(
      Graphics2D g, Rectangle2D box, Color color, float width, SplittableRandom rnd) {
    double size = Math.min(box.getHeight() * 0.7, 5 + rnd.nextDouble() * 6);
    double x = box.getX() + 3 + rnd.nextDouble() * Math.max(0.1, box.getWidth() - size - 6);
    double y = box.getCenterY() - size / 2;
    var path = new Path2D.Double();
    if (rnd.nextInt(4) == 0) {
      // A cross instead of a tick.
      path.moveTo(x, y);
      path.lineTo(x + size, y + size);
      path.moveTo(x + size, y);
      path.lineTo(x, y + size);
    } else {
      path.moveTo(x, y + size * 0.55);
      path.lineTo(x + size * 0.35, y + size);
      path.lineTo(x + size, y);
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path);
  }

  private static void straight(Graphics2D g, Rectangle2D box, SplittableRandom rnd) {
    Color color;
    if (rnd.nextInt(3) == 0) {
      int grey = 110 + rnd.nextInt(60);
      color = new Color(grey, grey, grey + 5);
    } else {
      color = penColor(rnd);
    }
    float width = (float) (0.3 + rnd.nextDouble() * 0.7);
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    double bw = box.getWidth();
    double bh = box.getHeight();
    int kind = rnd.nextInt(6);
    if (kind <= 1) {
      // A cross: from short (4 mm) to nearly the box diagonal (corner to corner, 1 mm inside).
      boolean diagonal = kind == 1;
      double w = diagonal ? bw - 2 - rnd.nextDouble() * 2 : 4 + rnd.nextDouble() * 8;
      double h =
          diagonal ? bh - 2 - rnd.nextDouble() * 2 : Math.min(bh - 3, 4 + rnd.nextDouble() * 6);
      w = Math.min(w, bw - 2);
      double x = box.getX() + 1 + rnd.nextDouble() * Math.max(0, bw - 2 - w);
      double y = box.getY() + 1 + rnd.nextDouble() * Math.max(0, bh - 2 - h);
      double j = 0.4;
      g.draw(new Line2D.Double(x + jit(rnd, j), y + jit(rnd, j), x + w, y + h + jit(rnd, j)));
      g.draw(new Line2D.Double(x + w + jit(rnd, j), y, x + jit(rnd, j), y + h + jit(rnd, j)));
    } else if (kind == 2) {
      // "1": a vertical stroke of most of the box height.
      double h = bh * (0.4 + rnd.nextDouble() * 0.45);
      double x = box.getX() + 3 + rnd.nextDouble() * (bw - 6);
      double y = box.getCenterY() - h / 2;
      g.draw(new Line2D.Double(x, y, x + jit(rnd, 1), y + h));
    } else if (kind == 3) {
      // "-": a horizontal stroke, short or nearly the box width.
      double w = rnd.nextBoolean() ? 3 + rnd.nextDouble() * 6 : bw * (0.6 + rnd.nextDouble() * 0.3);
      double x = box.getX() + (bw - w) * rnd.nextDouble();
      double y = box.getCenterY() + jit(rnd, bh * 0.3);
      g.draw(new Line2D.Double(x, y, x + w, y + jit(rnd, 1)));
    } else if (kind == 4) {
      // "/": a slanted stroke.
      double h = bh * (0.4 + rnd.nextDouble() * 0.5);
      double w = h * (0.3 + rnd.nextDouble() * 1.5);
      double x = box.getX() + 2 + rnd.nextDouble() * Math.max(0, bw - 4 - w);
      double y = box.getCenterY() + h / 2;
      g.draw(new Line2D.Double(x, y, x + w, y - h));
    } else {
      tick(g, box, color, width, rnd);
    }
  }

  private static double jit(SplittableRandom rnd, double amplitude) {
    return (rnd.nextDouble() * 2 - 1) * amplitude;
  }

  private static void crossOut(
      Graphics2D g, Rectangle2D box, Color color, float width, SplittableRandom rnd) {
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    double x0 = box.getX() + 3;
    double x1 = box.getMaxX() - 3;
    double y = box.getCenterY();
    int lines = 1 + rnd.nextInt(3);
    for (int i = 0; i < lines; i++) {
      double dy = (rnd.nextDouble() - 0.5) * box.getHeight() * 0.4;
      g.draw(
          new Line2D.Double(x0 + rnd.nextDouble() * 4, y + dy, x1 - rnd.nextDouble() * 4, y - dy));
    }
  }

  private static void smudge(Graphics2D g, Rectangle2D box, SplittableRandom rnd) {
    double r = 4 + rnd.nextDouble() * 6;
    double cx = box.getX() + r * 0.5 + rnd.nextDouble() * Math.max(0.1, box.getWidth() - r);
    double cy = box.getCenterY() + (rnd.nextDouble() - 0.5) * box.getHeight() * 0.4;
    int alpha = 25 + rnd.nextInt(35);
    var paint =
        new RadialGradientPaint(
            new Point2D.Double(cx, cy),
            (float) r,
            new float[] {0f, 0.5f, 1f},
            new Color[] {
              new Color(60, 60, 60, alpha),
              new Color(60, 60, 60, alpha / 2),
              new Color(60, 60, 60, 0)
            },
            MultipleGradientPaint.CycleMethod.NO_CYCLE);
    var old = g.getPaint();
    g.setPaint(paint);
    g.fill(new Ellipse2D.Double(cx - r, cy - r * 0.7, 2 * r, 1.4 * r));
    g.setPaint(old);
  }

  private static Font cjkFont() {
    if (Boolean.getBoolean("sim.noCjkFont")) {
      return null; // to exercise the fallback on a machine that has the font
    }
    char probe = CJK.charAt(0);
    for (String name : new String[] {"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC"}) {
      var font = new Font(name, Font.PLAIN, 12);
      if (font.getFamily().equals(name) && font.canDisplay(probe)) {
        return font;
      }
    }
    var sans = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    return sans.canDisplay(probe) && sans.canDisplayUpTo(CJK) == -1 ? sans : null;
  }
}
