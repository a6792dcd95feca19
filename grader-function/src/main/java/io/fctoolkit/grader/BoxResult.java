package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

/**
 * The decision for one answer box.
 *
 * @param id the layout's box id
 * @param state answered, blank or uncertain
 * @param confidence how sure the decision is, 0.5 (a coin flip) to 1.0
 * @param inkMm2 the area of ink found inside the box, in square millimetres
 */
public record BoxResult(String id, BoxState state, double confidence, double inkMm2) {
  public BoxResult {
    requireNonNull(id, "id");
    requireNonNull(state, "state");
  }
}
