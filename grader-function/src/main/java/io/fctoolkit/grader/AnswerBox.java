package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

/**
 * One answer box of a worksheet layout, in sheet millimetres from the top-left paper corner.
 *
 * @param id the box id reported in results (e.g. {@code q1})
 * @param prompt the question printed to the left of the box
 * @param x left edge of the printed box outline
 * @param y top edge of the printed box outline
 * @param width outline width
 * @param height outline height
 */
public record AnswerBox(String id, String prompt, double x, double y, double width, double height) {
  public AnswerBox {
    requireNonNull(id, "id");
    requireNonNull(prompt, "prompt");
    if (id.isBlank()) {
      throw new IllegalArgumentException("answer box id must not be blank");
    }
    if (!(width >= 10 && height >= 8)) {
      throw new IllegalArgumentException(
          "answer box " + id + " is " + width + "x" + height + " mm; it must be at least 10x8 mm");
    }
  }
}
