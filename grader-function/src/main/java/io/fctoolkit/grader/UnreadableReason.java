package io.fctoolkit.grader;

/**
 * Why a photo was graded {@link SheetStatus#UNREADABLE}; a retry with the same photo never helps.
 */
public enum UnreadableReason {
  /**
   * No worksheet was found whole: no fiducials (the photo shows something else), fewer than three,
   * or an answer box outside the photo (the sheet is partly out of frame).
   */
  SHEET_NOT_FOUND,
  /** Fiducials were found, but their code names no known layout. */
  LAYOUT_UNKNOWN,
  /** The sheet's layout differs from the submission's {@code worksheetId}. */
  LAYOUT_MISMATCH,
  /** The fiducials do not agree on one flat sheet (folded, cut off, or misread). */
  SHEET_GEOMETRY_INCONSISTENT,
  /** The sheet is too small in the photo to read the boxes. */
  RESOLUTION_TOO_LOW,
  /** Edges are smeared more than the boxes' strokes can survive. */
  TOO_BLURRY,
  /** Paper and ink are too close in brightness (too dark, too bright, glare). */
  LOW_CONTRAST,
  /** Not one answer box could be decided (with any box decided the sheet is graded instead). */
  AMBIGUOUS_BOXES
}
