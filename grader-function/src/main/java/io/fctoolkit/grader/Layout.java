package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;

/**
 * A printable worksheet layout: paper size, corner fiducials and answer boxes, in millimetres.
 *
 * <p>The four corner fiducials are ArUco MIP 16h3 square markers. Marker ids {@code 4*code}, {@code
 * 4*code+1}, {@code 4*code+2}, {@code 4*code+3} sit at the top-left, top-right, bottom-right and
 * bottom-left corners, so the markers both anchor the perspective correction and name the layout: a
 * photo tells which layout it shows without any other printed code.
 *
 * @param name the layout name, e.g. {@code math-12}; a submission's {@code worksheetId} must match
 *     it when given
 * @param code the numeric code carried by the fiducials (0 to 61)
 * @param title the heading printed on the sheet
 * @param pageWidth paper width
 * @param pageHeight paper height
 * @param markerSize fiducial side length, black border included
 * @param markerMargin distance from each paper edge to the nearest fiducial edge
 * @param boxes the answer boxes
 */
public record Layout(
    String name,
    int code,
    String title,
    double pageWidth,
    double pageHeight,
    double markerSize,
    double markerMargin,
    List<AnswerBox> boxes) {

  /** The largest layout code: the 250 markers of ArUco MIP 16h3 give 62 groups of four. */
  public static final int MAX_CODE = 61;

  public Layout {
    requireNonNull(name, "name");
    requireNonNull(title, "title");
    boxes = List.copyOf(requireNonNull(boxes, "boxes"));
    if (code < 0 || code > MAX_CODE) {
      throw new IllegalArgumentException(
          "layout " + name + ": code " + code + " is outside 0.." + MAX_CODE);
    }
    if (boxes.isEmpty()) {
      throw new IllegalArgumentException("layout " + name + " has no answer boxes");
    }
    var ids = new HashSet<String>();
    for (AnswerBox box : boxes) {
      if (!ids.add(box.id())) {
        throw new IllegalArgumentException("layout " + name + ": duplicate box id " + box.id());
      }
      if (box.x() < 0
          || box.y() < 0
          || box.x() + box.width() > pageWidth
          || box.y() + box.height() > pageHeight) {
        throw new IllegalArgumentException(
            "layout " + name + ": box " + box.id() + " lies outside the page");
      }
    }
  }

  /**
   * The fiducial id printed at {@code corner} (0 top-left, 1 top-right, 2 bottom-right, 3
   * bottom-left).
   */
  public int markerId(int corner) {
    return code * 4 + corner;
  }

  /** Top-left corner (x, y) of the fiducial at {@code corner}, in sheet millimetres. */
  public double[] markerOrigin(int corner) {
    double left = markerMargin;
    double right = pageWidth - markerMargin - markerSize;
    double top = markerMargin;
    double bottom = pageHeight - markerMargin - markerSize;
    return switch (corner) {
      case 0 -> new double[] {left, top};
      case 1 -> new double[] {right, top};
      case 2 -> new double[] {right, bottom};
      case 3 -> new double[] {left, bottom};
      default -> throw new IllegalArgumentException("corner " + corner);
    };
  }
}
