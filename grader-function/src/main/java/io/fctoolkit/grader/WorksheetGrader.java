package io.fctoolkit.grader;

import boofcv.alg.filter.misc.AverageDownSampleOps;
import boofcv.concurrency.BoofConcurrency;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.internal.BoxReader;
import io.fctoolkit.grader.internal.DecodedImage;
import io.fctoolkit.grader.internal.DistantPaperFinder;
import io.fctoolkit.grader.internal.FarSheetFinder;
import io.fctoolkit.grader.internal.Homography;
import io.fctoolkit.grader.internal.ImageDecoder;
import io.fctoolkit.grader.internal.QualityMeter;
import io.fctoolkit.grader.internal.SheetLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Grades a worksheet photo: decode, measure quality, find the sheet, read every answer box and
 * classify the sheet. Thread-safe; work buffers are kept per thread.
 *
 * <p>It refuses to guess: a photo it cannot read with confidence is {@code UNREADABLE} with a
 * reason, because a wrong grade is worse than asking for a new photo.
 */
public final class WorksheetGrader {

  /** Decoded long side aimed at by decode-time subsampling, in pixels. */
  public static final int TARGET_LONG_SIDE = 1000;

  /** Below this sheet resolution (decoded pixels per mm) strokes are too thin to read. */
  static final double MIN_PX_PER_MM = 1.1;

  /** Below this sheet resolution a less subsampled decode is tried first. */
  static final double PREFERRED_PX_PER_MM = 1.3;

  /** Below this paper-minus-ink grey difference the photo is too dark, bright or glared. */
  static final double MIN_CONTRAST = 40;

  /** Above this fiducial edge width (mm) pencil strokes are smeared beyond reading. */
  static final double MAX_EDGE_WIDTH_MM = 2.4;

  /**
   * Above this estimated Gaussian blur (pixels at a {@link #TARGET_LONG_SIDE} decode) a photo in
   * which no markers were found is refused as blurred rather than as showing no sheet.
   */
  static final double MAX_BLUR_SIGMA = 2.2;

  /**
   * A decoded marker whose own blur (sigma, pixels) is under this fraction of {@link
   * #MAX_BLUR_SIGMA} shows the photo is not too blurred: the margin keeps a marker of a blurred
   * photo, decoded against the odds, from passing for sharp.
   */
  static final double SHARP_MARKER = 0.6;

  /**
   * A photo with at least this share of its pixels on sharp steps (blur under {@link
   * #SHARP_STEP_SIGMA} pixels, gradient at least {@link #SHARP_STEP_GRADIENT} grey levels per
   * pixel) is not too blurred, whatever the whole-photo estimate says: a photo of large flat shapes
   * read as blurred by it. On the tuning simulator (seeds 100000..) too-blurred photos had at most
   * 112 such pixels at a 1000-pixel decode (0.015%), photos of shapes or text at least 3315 (0.4%).
   */
  static final double SHARP_STEP_SHARE = 0.001;

  static final double SHARP_STEP_SIGMA = 1.0;

  /**
   * Sharp step pixels (at the ~1000-pixel decode) that show a photo whose blur could not be
   * measured is not blurred but nearly empty (see {@link #edgesTooFew}): a sheet's border and
   * markers 60 pixels across give some 200-400. With none across the most blurred direction, as
   * many show camera shake ({@link #shakeBlur}): the sides of a page along the streak.
   */
  static final int FEW_SHARP_STEPS = 100;

  /**
   * A photo whose blur along its most blurred direction is over the limit, with sharp steps over
   * {@link #SHARP_STEP_SHARE} of it but under this share across that direction, is smeared by
   * camera shake. On the tuning simulator (seeds 100000..100099) shaken photos (streaks of 5-40 mm)
   * had at most 0.009% of their pixels on sharp steps across the streak, photos of shapes or text
   * at least 0.037%.
   */
  static final double SHAKE_ACROSS_SHARE = 0.0002;

  /**
   * Blur along the most blurred direction, as a multiple of the limit, that shows camera shake even
   * without sharp steps along the streak (a photo with few strong edges at all).
   */
  static final double SHAKE_ALONE = 2;

  /**
   * Above this fiducial edge width (mm) a located sheet is checked for camera shake as well: a
   * streak of 5 mm or more measured 2.0-2.4 mm on the tuning simulator, gradeable photos at most
   * 1.8 mm (slight shake and defocus included). From 1.6 mm the check refused a defocused gradeable
   * photo of the latency set (1.68 mm) and cost 50-60 ms on another (1.80 mm); from 1.9 mm it
   * catches the same shaken photos on tuning seeds 100,000-100,099 (3 that would be graded without
   * it). The check also runs when the markers' sides across one of the sheet's axes are wider than
   * {@link #MAX_EDGE_WIDTH_MM} (session 14): a 6.2 mm streak along one axis measured a median of
   * 1.90 mm, and the trigger lowered to 1.85 refused a slightly shaken gradeable photo instead.
   */
  static final double SHAKE_CHECK_EDGE_MM = 1.9;

  /** The 10-90% rise width of a step blurred by a Gaussian, in sigmas. */
  static final double EDGE_WIDTH_PER_SIGMA = 2.56;

  static final double SHARP_STEP_GRADIENT = 12;

  /**
   * Most pixels decoded when looking again for a sheet far from the camera (a 12 MP phone: all).
   */
  static final long FAR_LOOK_MAX_PIXELS = 16_000_000L;

  /**
   * Paper and background measured around a found page, on each side, as a share of its size: its
   * edges against the background show blur and streak too.
   */
  static final double PAGE_MARGIN = 0.05;

  /** Blur figures are capped at this in messages (a flat image measures as unbounded blur). */
  static final double MAX_REPORTED_BLUR = 99;

  static {
    // One grading runs on one thread, and a busy host runs one grading per core: BoofCV's
    // fork-join variants of the filters and the fiducial search only split each small image into
    // tasks, which costs the grading thread more CPU than it saves (2 MP thread CPU time p50 about
    // 25 ms with them, 21 ms without, same grades). The switch is global to BoofCV in this JVM.
    BoofConcurrency.USE_CONCURRENT = false;
  }

  private final LayoutRegistry layouts;
  private final ImageDecoder decoder;
  private final ThreadLocal<SheetLocator> locators;
  private final ThreadLocal<SheetLocator> farLocators;
  private final FarSheetFinder farSheets;
  private final ThreadLocal<BoxReader> readers = ThreadLocal.withInitial(BoxReader::new);
  private final ThreadLocal<QualityMeter> meters = ThreadLocal.withInitial(QualityMeter::new);
  private final ThreadLocal<DistantPaperFinder> papers;

  /** A grader for {@code layouts} refusing images declaring more than {@code maxPixels}. */
  public WorksheetGrader(LayoutRegistry layouts, long maxPixels) {
    this.layouts = layouts;
    this.decoder = new ImageDecoder(maxPixels, TARGET_LONG_SIDE);
    this.locators = ThreadLocal.withInitial(() -> new SheetLocator(layouts));
    this.farLocators =
        ThreadLocal.withInitial(() -> new SheetLocator(layouts, SheetLocator.MIN_CONTOUR_PX_FAR));
    this.farSheets = new FarSheetFinder(layouts.all());
    this.papers = ThreadLocal.withInitial(() -> new DistantPaperFinder(layouts.all()));
  }

  /** The layouts this grader knows. */
  public LayoutRegistry layouts() {
    return layouts;
  }

  /**
   * Grades {@code image} (JPEG or PNG bytes). {@code expectedLayout}, when not null, is the layout
   * name the submission claims; a different sheet is {@code UNREADABLE}.
   *
   * @throws GraderException when the bytes are not a readable, sane image
   */
  public SheetGrade grade(byte[] image, String expectedLayout) {
    long t0 = System.nanoTime();
    DecodedImage decoded = decoder.decode(image);
    long t1 = System.nanoTime();
    QualityMeter.Figures figures = meters.get().measure(decoded.gray());
    SheetLocator.Outcome outcome = locators.get().locate(decoded.gray());
    long t2 = System.nanoTime();
    double decodeMs = ms(t1 - t0);
    double locateMs = ms(t2 - t1);
    if (outcome instanceof SheetLocator.NotLocated miss
        && miss.reason() == UnreadableReason.SHEET_NOT_FOUND) {
      // Too few markers. Why decides the advice: a sheet partly out of frame ("keep all four
      // corners in the photo"), too far away ("move closer"), too blurred ("hold still and
      // focus") or no sheet at all. Out of frame is judged first, from where the decoded markers
      // put the missing ones: the blur and distance checks below look at the whole photo, and a
      // close-up of mostly blank paper has few sharp edges and can look blurred to them.
      double limit = blurLimit(decoded);
      SheetLocator.Partial seen = locators.get().partial(decoded.gray(), SHARP_MARKER * limit);
      int factor = farLookSubsampling(decoded.width(), decoded.height());
      DecodedImage full = null;
      if (seen.outOfFrame() && !sharpEdged(seen, limit)) {
        // Blurred markers' fit extrapolates across the sheet less surely (camera shake stretches
        // them along the streak): when the page itself, paper shaped like it and dark where its
        // markers sit, lies wholly inside the photo, the sheet is not partly out of frame.
        full = decoded.subsampling() > factor ? decoder.decode(image, factor) : decoded;
      }
      if (seen.outOfFrame()
          && (full == null
              || papers.get().page(full.gray(), MIN_PX_PER_MM, Double.MAX_VALUE).isEmpty())) {
        return unreadable(
            UnreadableReason.SHEET_NOT_FOUND,
            outOfFrame(seen.markers()),
            null,
            quality(decoded, figures, null),
            decodeMs,
            locateMs,
            0);
      }
      // No markers may mean no sheet, a sheet too far away for its markers to be found in the
      // subsampled decode, or a sheet too blurred: tell the student which, because the advice
      // differs. Look again at full resolution for small squares first (this costs one full
      // decode, on photos that were going to be refused anyway).
      if (full == null) {
        full = decoded.subsampling() > factor ? decoder.decode(image, factor) : decoded;
      }
      SheetLocator far = farLocators.get();
      SheetLocator.Outcome closer = far.locate(full.gray());
      locateMs = ms(System.nanoTime() - t1);
      if (closer instanceof SheetLocator.Located) {
        decoded = full;
        figures = meters.get().measure(full.gray());
        outcome = closer;
      } else {
        double fullLimit = blurLimit(full);
        SheetLocator.Partial farSeen = far.partial(full.gray(), SHARP_MARKER * fullLimit);
        if (farSeen.outOfFrame()) {
          return unreadable(
              UnreadableReason.SHEET_NOT_FOUND,
              outOfFrame(farSeen.markers()),
              null,
              quality(decoded, figures, null),
              decodeMs,
              locateMs,
              0);
        }
        // A decoded marker whose own edges are sharp (blur well under the limit below) and big
        // enough to grade: the photo is not too blurred for markers to be found, nor too far; the
        // others are missing for another reason (covered, or out of frame beyond what one marker
        // can tell), so the answer stays "keep all four corners in the photo". The whole-photo
        // blur estimate below reads a small sheet on a plain desk, or a close-up of blank paper,
        // as blurred: their strong edges are few.
        boolean sharpMarker = sharp(seen, decoded, limit) || sharp(farSeen, full, fullLimit);
        // Sharp edges alone, on a marker however small, already show the photo is not too blurred.
        boolean sharpEdges = sharpEdged(seen, limit) || sharpEdged(farSeen, fullLimit);
        // Decoded fiducials measure the sheet directly; only when none could be decoded is the
        // constellation of undecodable small squares looked for (writing makes squares too).
        List<Double> sides = far.decodedFiducialSides();
        OptionalDouble pxPerMm =
            sharpMarker
                ? OptionalDouble.empty()
                : sides.isEmpty()
                    ? farSheets.pxPerMmBelow(far.candidateSquares(), full.gray(), MIN_PX_PER_MM)
                    : farSheets.pxPerMmBelow(sides, MIN_PX_PER_MM);
        if (pxPerMm.isEmpty() && !sharpMarker) {
          // Even the fiducials' squares may be lost in blur on a sheet across the room: the page
          // itself, paper shaped like it and dark where its fiducials sit, still shows.
          pxPerMm = papers.get().pxPerMmBelow(full.gray(), MIN_PX_PER_MM);
        }
        if (pxPerMm.isPresent()) {
          return unreadable(
              UnreadableReason.RESOLUTION_TOO_LOW,
              tooSmall(pxPerMm.getAsDouble()),
              null,
              quality(decoded, figures, null),
              decodeMs,
              locateMs,
              0);
        }
        QualityMeter meter = meters.get();
        double sigma = sharpEdges ? 0 : meter.blurSigma(decoded.gray());
        boolean fewEdges = edgesTooFew(sigma, meter, decoded);
        if (sigma > limit && !fewEdges && !sharpSteps(meter, decoded)) {
          return blurredOrRunningOff(
              String.format(
                  "The photo is too blurred to find the sheet's corner markers (blur %.1f px);"
                      + " hold the phone still and focus",
                  Math.min(sigma, MAX_REPORTED_BLUR)),
              "hold the phone still and focus",
              decoded,
              full,
              far,
              figures,
              decodeMs,
              t1);
        }
        // Camera shake leaves the edges along its streak sharp, a decoded marker's among them, and
        // those pass both checks above: the blur across the streak decides.
        if (sharpEdges) {
          meter.blurSigma(decoded.gray());
        }
        double streak = fewEdges ? 0 : shakeBlur(meter, decoded, limit);
        if (streak > 0) {
          return blurredOrRunningOff(
              shaken(streak, "find the sheet's corner markers"),
              "hold the phone still",
              decoded,
              full,
              far,
              figures,
              decodeMs,
              t1);
        }
        // Two or more decoded markers at a gradeable scale, smeared across one of the sheet's axes
        // as a located sheet's are checked: camera shake past reading, which the whole-photo
        // figures above miss when the photo has few strong edges (a sheet on a plain background).
        double smeared = Math.max(smearedMarkersMm(seen, decoded), smearedMarkersMm(farSeen, full));
        if (smeared > 0) {
          return blurredOrRunningOff(
              String.format(
                  "The photo is smeared by camera shake, too much to find the sheet's corner"
                      + " markers (their edges %.1f mm wide across the streak); hold the phone"
                      + " still",
                  smeared),
              "hold the phone still",
              decoded,
              full,
              far,
              figures,
              decodeMs,
              t1);
        }
        // A whole page in the photo, big enough to grade and dark where its markers sit, whose
        // markers still could not be read: a person sees the sheet and that it is smeared. The
        // whole-photo figures above miss that when the page is a small share of the photo (a
        // plain background has no edges to show blur and too few to reach the sharp-step shares),
        // so the blur is measured on the page and the paper around it. Markers decoded sharp do not
        // veto it: camera shake leaves the edges along its streak sharp.
        double pageBlur = blurredPage(meter, decoded, full);
        if (pageBlur > 0) {
          return unlocated(
              UnreadableReason.TOO_BLURRY,
              String.format(
                  "The sheet is in the photo but too blurred to read its corner markers (blur"
                      + " %.1f px); hold the phone still and focus",
                  Math.min(pageBlur, MAX_REPORTED_BLUR)),
              decoded,
              figures,
              decodeMs,
              t1);
        }
      }
    }
    if (outcome instanceof SheetLocator.NotLocated miss
        && miss.reason() == UnreadableReason.SHEET_GEOMETRY_INCONSISTENT) {
      // Markers that disagree, or one decoded twice, in a photo too blurred for markers: chance
      // decodes of smeared squares, not two sheets or a bent one; the blur is what to fix.
      double limit = blurLimit(decoded);
      QualityMeter meter = meters.get();
      double sigma = meter.blurSigma(decoded.gray());
      double streak = sigma > limit && !sharpSteps(meter, decoded) ? sigma : 0;
      streak = streak > 0 ? streak : shakeBlur(meter, decoded, limit);
      if (streak > 0) {
        return unlocated(
            UnreadableReason.TOO_BLURRY,
            String.format(
                "The photo is too blurred to read the sheet's corner markers (blur %.1f px);"
                    + " hold the phone still and focus",
                Math.min(streak, MAX_REPORTED_BLUR)),
            decoded,
            figures,
            decodeMs,
            t1);
      }
      // A subsampled decode keeps one pixel in subsampling^2 and aliases a smeared marker's bits:
      // a marker read twice there may be read once, with the other three, at full resolution,
      // where the sheet is located and its own gates judge it. Two sheets stay two sheets.
      int factor = farLookSubsampling(decoded.width(), decoded.height());
      if (decoded.subsampling() > factor) {
        DecodedImage full = decoder.decode(image, factor);
        SheetLocator.Outcome closer = farLocators.get().locate(full.gray());
        if (closer instanceof SheetLocator.Located) {
          decoded = full;
          figures = meter.measure(full.gray());
          outcome = closer;
          locateMs = ms(System.nanoTime() - t1);
        }
      }
      // Markers smeared across one of the sheet's axes past what a located sheet's shake check
      // allows: the shake moved their corners apart, and it is what the student must fix.
      double smeared =
          outcome instanceof SheetLocator.NotLocated
              ? smearedMarkersMm(
                  locators.get().partial(decoded.gray(), SHARP_MARKER * limit), decoded)
              : 0;
      if (smeared > 0) {
        return unlocated(
            UnreadableReason.TOO_BLURRY,
            String.format(
                "The photo is smeared by camera shake, too much to read the sheet's corner markers"
                    + " (their edges %.1f mm wide across the streak); hold the phone still",
                smeared),
            decoded,
            figures,
            decodeMs,
            t1);
      }
    }
    if (outcome instanceof SheetLocator.NotLocated miss) {
      return unreadable(
          miss.reason(),
          miss.message(),
          miss.layout(),
          quality(decoded, figures, null),
          decodeMs,
          locateMs,
          0);
    }
    var sheet = (SheetLocator.Located) outcome;
    if (sheet.pxPerMm() < PREFERRED_PX_PER_MM && decoded.subsampling() > 1) {
      // A small sheet in a big photo: decode again with less subsampling rather than refuse.
      // Subsampled pixel x is source pixel x * factor, so the homography only needs scaling.
      int factor =
          Math.max(
              1, (int) Math.floor(decoded.subsampling() * sheet.pxPerMm() / PREFERRED_PX_PER_MM));
      double scale = (double) decoded.subsampling() / factor;
      decoded = decoder.decode(image, factor);
      figures = meters.get().measure(decoded.gray());
      sheet =
          new SheetLocator.Located(
              sheet.layout(),
              sheet.sheetToImage().scaled(scale),
              sheet.pxPerMm() * scale,
              sheet.markers(),
              sheet.reprojectionMm(),
              sheet.contrast(),
              sheet.edgeWidthMm(),
              sheet.axisEdgeWidthMm());
      t2 = System.nanoTime();
      locateMs = ms(t2 - t1);
    }
    Quality quality = quality(decoded, figures, sheet);
    Layout layout = sheet.layout();
    if (expectedLayout != null && !expectedLayout.equals(layout.name())) {
      return unreadable(
          UnreadableReason.LAYOUT_MISMATCH,
          "The photo shows worksheet " + layout.name() + ", not " + expectedLayout,
          layout.name(),
          quality,
          decodeMs,
          locateMs,
          0);
    }
    // A sheet partly out of frame is said to be so before any photo-quality gate: "keep all four
    // corners in the photo" is what the student must fix, and a blur or distance answer alone
    // would send them back with the same framing.
    boolean markerOut = false;
    for (int corner = 0; corner < 4; corner++) {
      markerOut |=
          !SheetLocator.fiducialInPhoto(
              layout, sheet.sheetToImage(), corner, decoded.gray().width, decoded.gray().height);
    }
    for (AnswerBox box : layout.boxes()) {
      if (!BoxReader.inPhoto(decoded.gray(), sheet.sheetToImage(), box)) {
        // Three markers were enough to place the sheet, but an answer box is cut off: the
        // teacher would have to guess at it, so the student is asked for the whole sheet.
        return unreadable(
            UnreadableReason.SHEET_NOT_FOUND,
            "Answer box "
                + box.id()
                + " is outside the photo; keep the whole sheet and all four corners in the photo",
            layout.name(),
            quality,
            decodeMs,
            locateMs,
            0);
      }
    }
    Refusal gate = gate(sheet);
    if (gate == null
        && (sheet.edgeWidthMm() > SHAKE_CHECK_EDGE_MM
            || sheet.axisEdgeWidthMm() > MAX_EDGE_WIDTH_MM)) {
      gate = shakeGate(meters.get(), decoded, sheet);
    }
    if (gate != null) {
      // A sheet located from three markers with the fourth out of frame and failing a gate too:
      // both are named, the framing first (that reason's code).
      return markerOut
          ? unreadable(
              UnreadableReason.SHEET_NOT_FOUND,
              "A corner marker is outside the photo; keep all four corners in the photo, and "
                  + gate.advice(),
              layout.name(),
              quality,
              decodeMs,
              locateMs,
              0)
          : unreadable(
              gate.reason(), gate.message(), layout.name(), quality, decodeMs, locateMs, 0);
    }
    BoxReader reader = readers.get();
    int answered = 0;
    int blank = 0;
    int uncertain = 0;
    double[] looseInk = new double[layout.boxes().size()];
    boolean[] noisy = new boolean[looseInk.length];
    boolean[] noiseLimited = new boolean[looseInk.length];
    List<BoxResult> read = new ArrayList<>(layout.boxes().size());
    for (AnswerBox box : layout.boxes()) {
      read.add(reader.read(decoded.gray(), sheet.sheetToImage(), box));
      looseInk[read.size() - 1] = reader.looseInkMm2();
      noisy[read.size() - 1] = reader.noisy();
      noiseLimited[read.size() - 1] = reader.noiseLimited();
    }
    List<BoxResult> boxes = withFaintWritingRule(read, looseInk, noisy);
    // The second look costs a full decode: only where the sheet's status waits on it (a sheet with
    // an answered and a blank box is PARTIAL whatever its uncertain boxes hold).
    if (statusDependsOnUncertainBoxes(boxes)
        && lookAgainAtFullResolution(
            image, decoded, sheet, reader, read, looseInk, noisy, noiseLimited)) {
      boxes = withFaintWritingRule(read, looseInk, noisy);
    }
    for (int i = 0; i < boxes.size(); i++) {
      switch (boxes.get(i).state()) {
        case ANSWERED -> answered++;
        case BLANK -> blank++;
        case UNCERTAIN -> uncertain++;
      }
    }
    double boxesMs = ms(System.nanoTime() - t2);
    int total = boxes.size();
    SheetStatus status;
    if (uncertain == 0) {
      status =
          answered == total
              ? SheetStatus.COMPLETE
              : answered == 0 ? SheetStatus.BLANK : SheetStatus.PARTIAL;
    } else if (uncertain == total) {
      // Not one box decided: the photo, not the pupil, is the problem, and a teacher could use
      // nothing of it. With any box decided the sheet is NEEDS_REVIEW (or PARTIAL) instead: the
      // decided boxes are graded and the uncertain ones are marked for the teacher.
      return new SheetGrade(
          SheetStatus.UNREADABLE,
          UnreadableReason.AMBIGUOUS_BOXES,
          uncertain
              + " of "
              + total
              + " boxes could not be decided; retake the photo flat, in focus and in even light",
          layout.name(),
          boxes,
          -1,
          quality,
          decodeMs,
          locateMs,
          boxesMs);
    } else if (answered > 0 && blank > 0) {
      // Whatever the uncertain boxes hold, the sheet is partly answered.
      status = SheetStatus.PARTIAL;
    } else {
      // The status depends on the uncertain boxes; the rest of the sheet is still usable.
      status = SheetStatus.NEEDS_REVIEW;
    }
    double completion = Math.round(1000.0 * answered / total) / 1000.0;
    return new SheetGrade(
        status, null, null, layout.name(), boxes, completion, quality, decodeMs, locateMs, boxesMs);
  }

  /**
   * Reads again, from the photo decoded at full resolution, the boxes the subsampled decode left
   * undecided or found blank only in noise that could hide faint pencil, each patch sample the mean
   * of the pixels it spans (the footprint of {@link BoxReader#footprint}). Subsampled decoding
   * picks one pixel in {@code subsampling^2}: in a 12 MP photo, 15 of 16 pixels, and with them the
   * averaging that keeps sensor and JPEG noise under a faint stroke's darkness. The full decode
   * costs about what the first decode did, and only on photos with such boxes whose status waits on
   * them, that were subsampled to less than 2 x 2 pixels per patch sample (and have at most {@link
   * #FAR_LOOK_MAX_PIXELS}); the new reading replaces the first. False when nothing was read again.
   */
  private boolean lookAgainAtFullResolution(
      byte[] image,
      DecodedImage decoded,
      SheetLocator.Located sheet,
      BoxReader reader,
      List<BoxResult> boxes,
      double[] looseInk,
      boolean[] noisy,
      boolean[] noiseLimited) {
    int footprint = BoxReader.footprint(sheet.pxPerMm() * decoded.subsampling());
    if (footprint < 2 || (long) decoded.width() * decoded.height() > FAR_LOOK_MAX_PIXELS) {
      return false; // about one pixel per sample already, or too large to decode whole
    }
    List<Integer> again = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) {
      BoxState state = boxes.get(i).state();
      if (noiseLimited[i]
          && (state == BoxState.UNCERTAIN || (noisy[i] && state == BoxState.BLANK))) {
        again.add(i);
      }
    }
    if (again.isEmpty()) {
      return false;
    }
    DecodedImage full = decoder.decode(image, 1);
    Homography sheetToFull = sheet.sheetToImage().scaled(decoded.subsampling());
    for (int i : again) {
      boxes.set(i, reader.read(full.gray(), sheetToFull, sheet.layout().boxes().get(i), footprint));
      looseInk[i] = reader.looseInkMm2();
      noisy[i] = reader.noisy();
    }
    return true;
  }

  /**
   * {@code boxes} with the faint-pencil rule applied. A box UNCERTAIN with at least {@link
   * BoxReader#FAINT_WRITING_MM2} of ink at the loose threshold shows faint writing. With one such
   * box, the noisy BLANK boxes become UNCERTAIN, as their noise could hide such strokes. With two
   * or more (the writer uses faint pencil: one could be an erasure's ghost), so do the BLANK boxes
   * with more than {@link BoxReader#FAINT_SHEET_BLANK_MAX_MM2} of ink at the loose threshold:
   * fragments of such strokes under shade or blur.
   */
  private static List<BoxResult> withFaintWritingRule(
      List<BoxResult> boxes, double[] looseInk, boolean[] noisy) {
    int faintBoxes = 0;
    for (int i = 0; i < boxes.size(); i++) {
      if (boxes.get(i).state() == BoxState.UNCERTAIN
          && looseInk[i] >= BoxReader.FAINT_WRITING_MM2) {
        faintBoxes++;
      }
    }
    List<BoxResult> graded = new ArrayList<>(boxes);
    for (int i = 0; i < graded.size(); i++) {
      boolean unsure =
          (faintBoxes >= 1 && noisy[i])
              || (faintBoxes >= 2 && looseInk[i] > BoxReader.FAINT_SHEET_BLANK_MAX_MM2);
      if (unsure && graded.get(i).state() == BoxState.BLANK) {
        graded.set(i, BoxReader.unsure(graded.get(i), looseInk[i]));
      }
    }
    return graded;
  }

  /**
   * Whether the sheet's status depends on its UNCERTAIN boxes: there is one, and not both an
   * ANSWERED and a BLANK box (which make the sheet PARTIAL whatever the uncertain ones hold).
   */
  private static boolean statusDependsOnUncertainBoxes(List<BoxResult> boxes) {
    boolean answered = false;
    boolean blank = false;
    boolean uncertain = false;
    for (BoxResult box : boxes) {
      answered |= box.state() == BoxState.ANSWERED;
      blank |= box.state() == BoxState.BLANK;
      uncertain |= box.state() == BoxState.UNCERTAIN;
    }
    return uncertain && !(answered && blank);
  }

  /**
   * A photo-quality refusal.
   *
   * @param reason the reason code
   * @param message what was measured and what to do, for the student
   * @param advice what to do alone, to join to another reason's message
   */
  private record Refusal(UnreadableReason reason, String message, String advice) {}

  /** The first photo-quality gate a located sheet fails, or null when it passes them all. */
  private static Refusal gate(SheetLocator.Located sheet) {
    if (sheet.pxPerMm() < MIN_PX_PER_MM) {
      return new Refusal(
          UnreadableReason.RESOLUTION_TOO_LOW, tooSmall(sheet.pxPerMm()), "move closer");
    }
    if (sheet.contrast() < MIN_CONTRAST) {
      String advice = "photograph in even, brighter light";
      return new Refusal(
          UnreadableReason.LOW_CONTRAST,
          String.format(
              "Ink and paper differ by only %.0f grey levels; %s", sheet.contrast(), advice),
          advice);
    }
    if (sheet.edgeWidthMm() > MAX_EDGE_WIDTH_MM) {
      String advice = "hold the phone still and focus";
      return new Refusal(
          UnreadableReason.TOO_BLURRY,
          String.format(
              "The photo is blurred (edges %.1f mm wide); %s", sheet.edgeWidthMm(), advice),
          advice);
    }
    return null;
  }

  /**
   * The refusal of a located sheet smeared by camera shake, or null. The markers' edge width,
   * {@link #gate}'s measure, is a median over their four sides, half of which lie along the streak
   * and stay sharp, and its 4 mm profile clips a longer smear: the photo's blur across its most
   * blurred direction decides, held to the same limit as a defocused photo's edges. When the photo
   * has too few strong edges for that direction to be told (a small sheet on a plain background),
   * the markers' own sides still show it: those across one of the sheet's axes wider than the limit
   * ({@link SheetLocator.Located#axisEdgeWidthMm}). A defocus is held to the same limit first, by
   * the photo's own blur with no sharp steps, as a whole page found without markers is.
   */
  private static Refusal shakeGate(
      QualityMeter meter, DecodedImage decoded, SheetLocator.Located sheet) {
    double sigma = meter.blurSigma(decoded.gray());
    double limitPx = MAX_EDGE_WIDTH_MM / EDGE_WIDTH_PER_SIGMA * sheet.pxPerMm();
    if (sigma > limitPx && !sharpSteps(meter, decoded)) {
      // The same 4 mm profile clips a defocus wider than the limit too (a blur of 1.5 mm sigma
      // measured 2.35 mm): the photo's own blur, with no sharp steps, over the sheet's limit.
      return new Refusal(
          UnreadableReason.TOO_BLURRY,
          String.format(
              "The photo is blurred (edges %.1f mm wide); hold the phone still and focus",
              sigma * EDGE_WIDTH_PER_SIGMA / sheet.pxPerMm()),
          "hold the phone still and focus");
    }
    double streak = shakeBlur(meter, decoded, limitPx);
    String advice = "hold the phone still";
    if (streak == 0 && sheet.axisEdgeWidthMm() > MAX_EDGE_WIDTH_MM) {
      return new Refusal(
          UnreadableReason.TOO_BLURRY,
          String.format(
              "The photo is smeared by camera shake (corner marker edges %.1f mm wide across"
                  + " the streak); %s",
              sheet.axisEdgeWidthMm(), advice),
          advice);
    }
    if (streak == 0) {
      return null;
    }
    return new Refusal(
        UnreadableReason.TOO_BLURRY,
        String.format(
            "The photo is smeared by camera shake (blur %.1f mm across the streak); %s",
            streak / sheet.pxPerMm(), advice),
        advice);
  }

  /**
   * The blur (Gaussian sigma, decoded pixels) of a whole worksheet page found in {@code full} (the
   * same photo as {@code decoded}, decoded with less or no subsampling) at {@link #MIN_PX_PER_MM}
   * or more, measured on the page and {@link #PAGE_MARGIN} of its size around it in {@code
   * decoded}, when it is too blurred to grade; else 0. The page's scale is known, so it is held to
   * the limit of a located sheet ({@link #MAX_EDGE_WIDTH_MM} of edge width, in sheet millimetres),
   * as a defocus (no sharp steps) or a camera shake ({@link #shakeBlur}): a person judges blur
   * against the size of the writing, not of the photo.
   */
  private double blurredPage(QualityMeter meter, DecodedImage decoded, DecodedImage full) {
    Optional<DistantPaperFinder.Page> found =
        papers.get().page(full.gray(), MIN_PX_PER_MM, Double.MAX_VALUE);
    if (found.isEmpty()) {
      return 0;
    }
    DistantPaperFinder.Page page = found.get();
    double scale = (double) full.subsampling() / decoded.subsampling();
    double limitPx = MAX_EDGE_WIDTH_MM / EDGE_WIDTH_PER_SIGMA * page.pxPerMm() * scale;
    GrayU8 gray = decoded.gray();
    double marginX = PAGE_MARGIN * (page.maxX() - page.minX() + 1) * scale;
    double marginY = PAGE_MARGIN * (page.maxY() - page.minY() + 1) * scale;
    int x0 = Math.max(0, (int) Math.floor(page.minX() * scale - marginX));
    int y0 = Math.max(0, (int) Math.floor(page.minY() * scale - marginY));
    int x1 = Math.min(gray.width, (int) Math.ceil((page.maxX() + 1) * scale + marginX));
    int y1 = Math.min(gray.height, (int) Math.ceil((page.maxY() + 1) * scale + marginY));
    if (x1 - x0 < 16 || y1 - y0 < 16) {
      return 0;
    }
    GrayU8 region = new GrayU8(x1 - x0, y1 - y0);
    region.setTo(gray.subimage(x0, y0, x1, y1));
    double sharpSigma = sharpStepSigma(decoded);
    double sigma = meter.blurSigma(region);
    if (sigma > limitPx && !sharpSteps(meter, region, sharpSigma)) {
      return sigma;
    }
    return shakeBlur(meter, region, sharpSigma, limitPx);
  }

  /**
   * The edge width (sheet millimetres) across the more smeared of the sheet's axes of the markers
   * of {@code seen}, decoded in {@code image}, when they fail a located sheet's shake check: two or
   * more (a lone marker may be a chance decode of a blurred shape), at {@link #MIN_PX_PER_MM} or
   * more, their median edge over {@link #SHAKE_CHECK_EDGE_MM} and that across one axis over {@link
   * #MAX_EDGE_WIDTH_MM}; else 0.
   */
  private static double smearedMarkersMm(SheetLocator.Partial seen, DecodedImage image) {
    double medianMm = seen.blurPx() * EDGE_WIDTH_PER_SIGMA / seen.pxPerMm();
    boolean smeared =
        seen.markers() >= 2
            && seen.pxPerMm() * image.subsampling() >= MIN_PX_PER_MM
            && medianMm > SHAKE_CHECK_EDGE_MM
            && seen.axisEdgeWidthMm() > MAX_EDGE_WIDTH_MM;
    return smeared ? seen.axisEdgeWidthMm() : 0;
  }

  /**
   * Whether the decoded markers of {@code seen} in {@code image} are sharp (their own blur under
   * {@link #SHARP_MARKER} of {@code limitPx}) and big enough to grade.
   */
  private static boolean sharp(SheetLocator.Partial seen, DecodedImage image, double limitPx) {
    return sharpEdged(seen, limitPx) && seen.pxPerMm() * image.subsampling() >= MIN_PX_PER_MM;
  }

  /**
   * Whether the decoded markers of {@code seen} have their own blur under {@link #SHARP_MARKER} of
   * {@code limitPx}.
   */
  private static boolean sharpEdged(SheetLocator.Partial seen, double limitPx) {
    return seen.blurPx() < SHARP_MARKER * limitPx;
  }

  /**
   * Whether the photo {@link QualityMeter#blurSigma} just measured has sharp steps over {@link
   * #SHARP_STEP_SHARE} of it: its strong edges are not blurred, only few.
   */
  private static boolean sharpSteps(QualityMeter meter, DecodedImage image) {
    return sharpSteps(meter, image.gray(), sharpStepSigma(image));
  }

  /**
   * {@link #sharpSteps(QualityMeter, DecodedImage)} on {@code gray}, steps sharper than {@code
   * sharpSigma}.
   */
  private static boolean sharpSteps(QualityMeter meter, GrayU8 gray, double sharpSigma) {
    int pixels = meter.sharpStepPixels(SHARP_STEP_GRADIENT, sharpSigma);
    return pixels >= SHARP_STEP_SHARE * gray.width * gray.height;
  }

  /**
   * Whether {@code sigma}, just measured by {@link QualityMeter#blurSigma}, is no measure: the
   * strongest gradients did not weaken under more smoothing (they lie on a smooth background's
   * texture, the photo having too few edges to reach the percentile), yet the photo holds at least
   * {@link #FEW_SHARP_STEPS} sharp step pixels. A small sheet far off in a corner of a plain desk,
   * cut by the frame, is sharp; a defocused photo has no sharp steps at all.
   */
  private static boolean edgesTooFew(double sigma, QualityMeter meter, DecodedImage image) {
    return sigma == Double.MAX_VALUE
        && meter.sharpStepPixels(SHARP_STEP_GRADIENT, sharpStepSigma(image)) >= FEW_SHARP_STEPS;
  }

  /**
   * The blur across the streak (Gaussian sigma, pixels) of a photo smeared by camera shake past
   * {@code limitPx}, or 0 when it is not: {@link QualityMeter#streakSigma} over the limit, sharp
   * steps over {@link #SHARP_STEP_SHARE} of the photo (those along the streak), or at least {@link
   * #FEW_SHARP_STEPS} with none across it, and under {@link #SHAKE_ACROSS_SHARE} across it. A
   * defocused photo has no sharp steps in any direction, and a sharp one has them in every
   * direction. Call after {@link QualityMeter#blurSigma}.
   */
  private static double shakeBlur(QualityMeter meter, DecodedImage image, double limitPx) {
    return shakeBlur(meter, image.gray(), sharpStepSigma(image), limitPx);
  }

  /**
   * {@link #shakeBlur(QualityMeter, DecodedImage, double)} on {@code gray}, steps sharper than
   * {@code sharpSigma} counting as sharp.
   */
  private static double shakeBlur(
      QualityMeter meter, GrayU8 gray, double sharpSigma, double limitPx) {
    double streak = meter.streakSigma();
    if (streak <= limitPx) {
      return 0;
    }
    double pixels = (double) gray.width * gray.height;
    int across = meter.sharpStepPixelsAcrossStreak(SHARP_STEP_GRADIENT, sharpSigma);
    int steps = meter.sharpStepPixels(SHARP_STEP_GRADIENT, sharpSigma);
    if (across >= SHAKE_ACROSS_SHARE * pixels) {
      return 0;
    }
    // Sharp steps along the streak, or a streak so long that the photo's sharp edges are too few
    // to tell: a defocused photo has neither, so this is not blur the checks before let pass. A
    // photo with few sharp steps (a smeared sheet on a plain desk: only the page's sides along the
    // streak stay sharp) shows shake when not one of them lies across the streak: a sharp photo has
    // steps across every direction.
    boolean along = steps >= SHARP_STEP_SHARE * pixels || (across == 0 && steps >= FEW_SHARP_STEPS);
    return along || streak > SHAKE_ALONE * limitPx ? streak : 0;
  }

  private static String shaken(double streakPx, String what) {
    return String.format(
        "The photo is smeared by camera shake, too much to %s (blur %.1f px across the"
            + " streak); hold the phone still",
        what, Math.min(streakPx, MAX_REPORTED_BLUR));
  }

  /** The blur (sigma, pixels) under which a step of {@code image} counts as sharp. */
  private static double sharpStepSigma(DecodedImage image) {
    // A small photo decoded whole is held to a finer blur, as blurLimit holds it to a lower limit.
    double longSide = Math.max(image.gray().width, image.gray().height);
    return SHARP_STEP_SIGMA * Math.min(1, longSide / TARGET_LONG_SIDE);
  }

  /** The blur (Gaussian sigma, pixels) above which {@code image} is too blurred for markers. */
  private static double blurLimit(DecodedImage image) {
    return blurLimit(image.gray());
  }

  /** {@link #blurLimit(DecodedImage)} for a grey image of the photo at any scale. */
  private static double blurLimit(GrayU8 gray) {
    return MAX_BLUR_SIGMA * Math.max(gray.width, gray.height) / TARGET_LONG_SIDE;
  }

  /**
   * The answer for a blurred sheet whose paper runs off the photo's edge: the framing first, as for
   * a sheet located with a marker out of frame, then the blur.
   */
  private static final String RUNS_OFF =
      "The sheet runs off the edge of the photo; keep the whole sheet and all four corners in the"
          + " photo, and ";

  private static String outOfFrame(int markers) {
    return "Only "
        + markers
        + " of the 4 corner markers were found and the sheet is partly outside the photo; keep"
        + " all four corners in the photo";
  }

  /**
   * The refusal of a photo too blurred for its markers: {@code TOO_BLURRY} with {@code
   * blurMessage}, unless the paper around a decoded marker runs off the photo's edge, when the
   * framing comes first ({@code SHEET_NOT_FOUND}, "keep the whole sheet in the photo", then {@code
   * advice}). The markers decoded by the look at full resolution ({@code far}, on {@code full}, a
   * decode larger than {@code decoded}) count too: a small sheet cut by the photo's corner often
   * keeps only one marker whole, too small to decode in {@code decoded}, and a plain background
   * gives the whole-photo blur figures nothing but soft shading to measure.
   */
  private SheetGrade blurredOrRunningOff(
      String blurMessage,
      String advice,
      DecodedImage decoded,
      DecodedImage full,
      SheetLocator far,
      QualityMeter.Figures figures,
      double decodeMs,
      long t1) {
    double shrink = (double) decoded.subsampling() / full.subsampling();
    if (locators.get().paperRunsOffEdge(decoded.gray())
        || far.paperRunsOffEdge(decoded.gray(), shrink)
        || runsOffWhenCalm(full, shrink, far)) {
      return unlocated(
          UnreadableReason.SHEET_NOT_FOUND, RUNS_OFF + advice, decoded, figures, decodeMs, t1);
    }
    return unlocated(UnreadableReason.TOO_BLURRY, blurMessage, decoded, figures, decodeMs, t1);
  }

  /**
   * Whether a photo too blurred for its markers shows its sheet running off its edge once its noise
   * is averaged away: {@code full} (a decode {@code shrink} times larger than the one graded),
   * averaged over blocks of {@link #CALM_BLOCK} x {@link #CALM_BLOCK} of the graded decode's
   * pixels, is searched for markers again ({@code locator}, reused) and the paper around those
   * decoded there is held to the run-off test ({@link SheetLocator#paperRunsOffEdge}). Sensor noise
   * on a blurred marker's soft edges keeps the square detector from finding it, while a blur over
   * {@link #MAX_BLUR_SIGMA} pixels loses nothing a person would see by the averaging.
   */
  private static boolean runsOffWhenCalm(DecodedImage full, double shrink, SheetLocator locator) {
    int block = Math.max(1, (int) Math.round(CALM_BLOCK * shrink));
    GrayU8 calm =
        new GrayU8(
            AverageDownSampleOps.downSampleSize(full.gray().width, block),
            AverageDownSampleOps.downSampleSize(full.gray().height, block));
    AverageDownSampleOps.down(full.gray(), block, calm);
    locator.locate(calm);
    // partial() keeps the decoded fiducials by corner, which paperRunsOffEdge() starts from.
    locator.partial(calm, SHARP_MARKER * blurLimit(calm));
    return locator.paperRunsOffEdge(calm);
  }

  /** The block, in the graded decode's pixels, averaged by {@link #runsOffWhenCalm}. */
  static final int CALM_BLOCK = 2;

  /**
   * A refusal before any sheet was located: no layout, no boxes, the photo's own quality figures,
   * and the time since {@code t1} (the end of decoding) as the locate time.
   */
  private static SheetGrade unlocated(
      UnreadableReason reason,
      String message,
      DecodedImage decoded,
      QualityMeter.Figures figures,
      double decodeMs,
      long t1) {
    return unreadable(
        reason,
        message,
        null,
        quality(decoded, figures, null),
        decodeMs,
        ms(System.nanoTime() - t1),
        0);
  }

  private static SheetGrade unreadable(
      UnreadableReason reason,
      String message,
      String layout,
      Quality quality,
      double decodeMs,
      double locateMs,
      double boxesMs) {
    return new SheetGrade(
        SheetStatus.UNREADABLE,
        reason,
        message,
        layout,
        List.of(),
        -1,
        quality,
        decodeMs,
        locateMs,
        boxesMs);
  }

  private static Quality quality(
      DecodedImage decoded, QualityMeter.Figures f, SheetLocator.Located sheet) {
    return new Quality(
        decoded.width(),
        decoded.height(),
        decoded.subsampling(),
        round(f.brightness(), 1),
        round(f.darkFraction(), 4),
        round(f.brightFraction(), 4),
        round(f.laplacianVariance(), 1),
        sheet == null ? -1 : round(sheet.edgeWidthMm(), 2),
        sheet == null ? -1 : round(sheet.contrast(), 1),
        sheet == null ? -1 : round(sheet.pxPerMm() * decoded.subsampling(), 2));
  }

  private static double round(double v, int digits) {
    double p = Math.pow(10, digits);
    return Math.round(v * p) / p;
  }

  /**
   * The subsampling of the far-sheet look: full resolution up to {@link #FAR_LOOK_MAX_PIXELS}, so
   * that a large photo of something else (up to {@code GRADER_MAX_PIXELS}) never costs a full
   * decode's memory.
   */
  static int farLookSubsampling(int width, int height) {
    double pixels = (double) width * height;
    return Math.max(1, (int) Math.ceil(Math.sqrt(pixels / FAR_LOOK_MAX_PIXELS)));
  }

  private static String tooSmall(double pxPerMm) {
    return String.format(
        "The sheet fills too little of the photo (%.2f px/mm); move closer", pxPerMm);
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
