package io.fctoolkit.grader.sim;

import io.fctoolkit.grader.SheetStatus;
import io.fctoolkit.grader.UnreadableReason;
import java.util.List;

/**
 * A simulated phone photo with its ground truth.
 *
 * @param seed the seed that made it
 * @param jpeg the photo
 * @param layout the layout name, or null for a photo of something else
 * @param answered ground truth per box, in layout order (empty for something else)
 * @param kinds what was drawn per box
 * @param expected the correct sheet status
 * @param params a one-line description of the distortions, for failure messages
 * @param condition the labelled condition the photo was made under
 * @param expectedReason the reason a person would refuse the photo for, or null when gradeable
 */
public record SimulatedPhoto(
    long seed,
    byte[] jpeg,
    String layout,
    List<Boolean> answered,
    List<MarkPainter.Kind> kinds,
    SheetStatus expected,
    String params,
    Condition condition,
    UnreadableReason expectedReason) {

  /** The correct status for {@code answered}. */
  public static SheetStatus statusOf(List<Boolean> answered) {
    long yes = answered.stream().filter(b -> b).count();
    if (yes == answered.size()) {
      return SheetStatus.COMPLETE;
    }
    return yes == 0 ? SheetStatus.BLANK : SheetStatus.PARTIAL;
  }
}
