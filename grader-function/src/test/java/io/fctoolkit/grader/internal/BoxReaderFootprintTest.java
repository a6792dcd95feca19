package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Reading a box from the full-resolution photo with the footprint of one patch sample averages the
 * sensor noise that a subsampled decode keeps whole (it picks one pixel in {@code f^2}).
 */
class BoxReaderFootprintTest {

  private static final double PX_PER_MM = 9; // a 12 MP photo of the sheet
  private static final int SUBSAMPLING = 3;
  private static final AnswerBox BOX = new AnswerBox("q1", "prompt", 30, 30, 40, 14);

  @Test
  void faintStrokeInNoise_isUncertainSubsampledAndAnsweredWithTheFootprint() {
    for (long seed = 1; seed <= 3; seed++) {
      // A 0.5 mm pencil line 40 grey levels under paper at 200, sensor noise of 14 grey levels.
      GrayU8 photo = photo(14, 40, seed);
      var reader = new BoxReader();
      BoxResult subsampled = reader.read(subsample(photo), scale(PX_PER_MM / SUBSAMPLING), BOX, 1);
      assertThat(subsampled.state()).as("subsampled, seed %d", seed).isEqualTo(BoxState.UNCERTAIN);
      BoxResult full = reader.read(photo, scale(PX_PER_MM), BOX, BoxReader.footprint(PX_PER_MM));
      assertThat(full.state()).as("full, seed %d: %s", seed, full).isEqualTo(BoxState.ANSWERED);
      assertThat(full.confidence()).isGreaterThanOrEqualTo(BoxReader.CONFIDENT);
    }
  }

  @Test
  void blankBoxInNoise_isBlankAndNotNoisyWithTheFootprint() {
    int noisySubsampled = 0;
    for (long seed = 1; seed <= 4; seed++) {
      GrayU8 photo = photo(14, 0, seed);
      var reader = new BoxReader();
      reader.read(subsample(photo), scale(PX_PER_MM / SUBSAMPLING), BOX, 1);
      noisySubsampled += reader.noisy() ? 1 : 0;
      BoxResult full = reader.read(photo, scale(PX_PER_MM), BOX, BoxReader.footprint(PX_PER_MM));
      assertThat(full.state()).as("seed %d", seed).isEqualTo(BoxState.BLANK);
      assertThat(reader.noisy()).as("seed %d", seed).isFalse();
    }
    // The subsampled reading is too noisy to rule out faint pencil in some of these photos.
    assertThat(noisySubsampled).isPositive();
  }

  @Test
  void footprint_isThePixelsOneSampleSpans() {
    assertThat(BoxReader.footprint(2.0)).isEqualTo(1);
    assertThat(BoxReader.footprint(3.5)).isEqualTo(1);
    assertThat(BoxReader.footprint(3.7)).isEqualTo(2);
    assertThat(BoxReader.footprint(6.0)).isEqualTo(2);
    assertThat(BoxReader.footprint(9.0)).isEqualTo(3);
  }

  @Test
  void mean_averagesTheBlockAroundThePoint() {
    // Columns alternate 0 and 200: a 2 x 2 block anywhere averages 100, one pixel does not.
    var gray = new GrayU8(8, 8);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        gray.set(x, y, x % 2 == 0 ? 0 : 200);
      }
    }
    assertThat(BoxReader.mean(gray.data, 0, 8, 7, 7, 3.5f, 3.5f, 2)).isEqualTo(100f);
    assertThat(BoxReader.mean(gray.data, 0, 8, 7, 7, 3f, 3f, 1)).isEqualTo(200f);
    // Clamped at the border: the block stays inside the image.
    assertThat(BoxReader.mean(gray.data, 0, 8, 7, 7, 7f, 7f, 3)).isBetween(0f, 200f);
  }

  /** Paper at 200 with the box outline, an optional faint line and Gaussian pixel noise. */
  private static GrayU8 photo(double noise, int stroke, long seed) {
    int size = (int) (100 * PX_PER_MM);
    var rnd = new SplittableRandom(seed);
    var gray = new GrayU8(size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double mmx = (x + 0.5) / PX_PER_MM;
        double mmy = (y + 0.5) / PX_PER_MM;
        double v = 200;
        boolean inX = mmx > BOX.x() && mmx < BOX.x() + BOX.width();
        boolean inY = mmy > BOX.y() && mmy < BOX.y() + BOX.height();
        boolean outline =
            inY && (Math.abs(mmx - BOX.x()) < 0.25 || Math.abs(mmx - BOX.x() - BOX.width()) < 0.25)
                || inX
                    && (Math.abs(mmy - BOX.y()) < 0.25
                        || Math.abs(mmy - BOX.y() - BOX.height()) < 0.25);
        if (outline) {
          v = 30;
        }
        if (stroke > 0 && mmx > 38 && mmx < 62 && Math.abs(mmy - 37 - 0.3 * (mmx - 50)) < 0.25) {
          v -= stroke;
        }
        v += rnd.nextGaussian() * noise;
        gray.set(x, y, (int) Math.max(0, Math.min(255, Math.round(v))));
      }
    }
    return gray;
  }

  /** What a decoder subsampling by {@link #SUBSAMPLING} keeps: every third pixel. */
  private static GrayU8 subsample(GrayU8 full) {
    int f = SUBSAMPLING;
    var out = new GrayU8((full.width + f - 1) / f, (full.height + f - 1) / f);
    for (int y = 0; y < out.height; y++) {
      for (int x = 0; x < out.width; x++) {
        out.set(x, y, full.get(x * f, y * f));
      }
    }
    return out;
  }

  private static Homography scale(double pxPerMm) {
    return new Homography(new DMatrixRMaj(3, 3, true, pxPerMm, 0, 0, 0, pxPerMm, 0, 0, 0, 1));
  }
}
