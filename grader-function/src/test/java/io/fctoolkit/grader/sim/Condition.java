package io.fctoolkit.grader.sim;

import io.fctoolkit.grader.UnreadableReason;

/**
 * A labelled photo condition of the tuning simulator, so accuracy can be reported per condition.
 * {@link #BASE} is the original simulator; each other condition adds one hard case from issue #18
 * on top of the base distortions. New conditions go last: a condition's position seeds its extra
 * random draws, so inserting one would change the photos of the conditions after it.
 */
public enum Condition {
  /** The original distortions (rotation, perspective, light gradient, soft shadow, blur, JPEG). */
  BASE(null),
  /** Every answered box in light pencil, grey 150-210 on paper ~235, at ~2-3 or ~9 px/mm. */
  FAINT_PENCIL(null),
  /**
   * One to three fold creases (a thin dark line, a bright ridge and a shading step) across boxes.
   */
  CREASE(null),
  /** Curled paper and an uncorrected wide-angle lens: box outlines mm off the marker homography. */
  CURL_LENS(null),
  /** A hard shadow edge (penumbra under 1 mm) crossing an answer box. */
  HARD_SHADOW(null),
  /**
   * One bottom marker out of frame, the other three with their quiet zones in the photo (the noise
   * strip partly outside).
   */
  MARKER_OUT(null),
  /** Blur so strong (fiducial edges 3.5-7 mm wide) that a person would ask for a new photo. */
  EXTREME_BLUR(UnreadableReason.TOO_BLURRY),
  /**
   * The whole sheet in the photo but far too small to read, about 0.45-1.07 px/mm (a sheet across
   * the room), from 1600x1200 to 4000x3000: a person asks for a closer photo.
   */
  TOO_SMALL(UnreadableReason.RESOLUTION_TOO_LOW),
  /** A phone's processing: demosaicing, HDR tone mapping, sharpening halos, EXIF orientation. */
  PHONE(null),
  /**
   * Every answered box holds straight strokes only: crosses (two strokes, pen or pencil, 0.3-1.0 mm
   * wide, short to nearly box-diagonal), a single "1", "-" or "/", or a tick.
   */
  STRAIGHT_STROKES(null),
  /** Ordinary pen digits in every answered box, stored at JPEG quality 40. */
  PEN_JPEG40(null),
  /** Ordinary pen digits in every answered box, through a phone's demosaicing and sharpening. */
  PEN_SHARPEN(null),
  /**
   * A photo of something else: shapes and text on a coloured ground, or a printed page of text with
   * bullet squares and a table: a person says there is no worksheet.
   */
  NOT_A_WORKSHEET(UnreadableReason.SHEET_NOT_FOUND),
  /**
   * The sheet pushed past one edge of the photo until both markers of that side and some answer
   * boxes are cut off: a person asks for the whole sheet. The grader names this case with the
   * reason it gives for missing markers ("keep all four corners in the photo").
   */
  OUT_OF_FRAME(UnreadableReason.SHEET_NOT_FOUND),
  /**
   * A close-up (the sheet spanning 85-110% of the frame) with the sheet only partly past the
   * photo's edges: past one side until both of that side's markers are cut by the edge (10-90% of a
   * marker, so their centres may still be inside), or past a corner as well, leaving one marker
   * whole. A person asks for the whole sheet; the grader must not blame blur or distance.
   */
  PARTLY_OUT_OF_FRAME(UnreadableReason.SHEET_NOT_FOUND),
  /**
   * Slight camera shake a person still grades without trouble: a straight motion streak of 0.2-1.0
   * mm on the sheet (at most about twice a pen stroke's width; digits 6-13 mm tall and the boxes'
   * outlines stay plain), in any direction, on top of the base distortions (including their
   * defocus). The streak is a line kernel of that length converted with the photo's px/mm at the
   * sheet's centre (see {@link MotionBlur}).
   */
  SLIGHT_SHAKE(null),
  /**
   * Camera shake a person would reject ("too blurry"): a straight streak of 5-40 mm on the sheet
   * (log-uniform, so short and long ones are equally common), in any direction, on top of the base
   * distortions: from streaks as long as a digit is tall, which double every stroke, to ones that
   * smear the 24 mm corner markers past recognition. Streaks of 1-5 mm are not simulated: whether a
   * person would still grade them depends on the writing.
   */
  CAMERA_SHAKE(UnreadableReason.TOO_BLURRY),
  /**
   * Blur as strong as {@link #EXTREME_BLUR}'s (fiducial edges 3.5-7 mm wide) in a photo a phone has
   * processed as {@link #PHONE} does (HDR tone mapping, sharpening halos along the blurred edges,
   * EXIF orientation), at any size up to 12 MP: a person asks for a new photo.
   */
  BLUR_PHONE(UnreadableReason.TOO_BLURRY);

  private final UnreadableReason expectedReason;

  Condition(UnreadableReason expectedReason) {
    this.expectedReason = expectedReason;
  }

  /** The reason a person would give for rejecting the photo, or null when it is gradeable. */
  public UnreadableReason expectedReason() {
    return expectedReason;
  }
}
