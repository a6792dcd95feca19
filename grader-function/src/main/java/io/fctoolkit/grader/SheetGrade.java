package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the analysis found in one photo, before it is tied to a submission.
 *
 * @param status the sheet status
 * @param reason why the sheet is {@code UNREADABLE}, else null
 * @param reasonMessage a sentence for the student or teacher explaining the reason, else null
 * @param layout the layout found, or null when none was
 * @param boxes one result per answer box of the layout (empty when no layout was found)
 * @param completion answered boxes over all boxes, or -1 when unreadable
 * @param quality image-quality figures
 * @param decodeMs decoding time
 * @param locateMs locating time
 * @param boxesMs box-reading time
 */
public record SheetGrade(
    SheetStatus status,
    UnreadableReason reason,
    String reasonMessage,
    String layout,
    List<BoxResult> boxes,
    double completion,
    Quality quality,
    double decodeMs,
    double locateMs,
    double boxesMs) {
  public SheetGrade {
    requireNonNull(status, "status");
    requireNonNull(quality, "quality");
    boxes = List.copyOf(boxes);
    if ((status == SheetStatus.UNREADABLE) != (reason != null)) {
      throw new IllegalArgumentException("a reason is given exactly when the status is UNREADABLE");
    }
  }
}
