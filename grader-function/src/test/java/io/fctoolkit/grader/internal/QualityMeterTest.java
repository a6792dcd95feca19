package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.struct.image.GrayU8;
import org.junit.jupiter.api.Test;

class QualityMeterTest {

  /** A 1000x750 grey ground with one large dark rectangle and one small bright one. */
  private static GrayU8 flatShapes() {
    GrayU8 img = new GrayU8(1000, 750);
    for (int y = 0; y < img.height; y++) {
      for (int x = 0; x < img.width; x++) {
        int v = 150;
        if (x >= 200 && x < 600 && y >= 150 && y < 500) {
          v = 40;
        } else if (x >= 700 && x < 800 && y >= 550 && y < 650) {
          v = 230;
        }
        img.set(x, y, v);
      }
    }
    return img;
  }

  @Test
  void sharpShapes_haveTheirWholeOutlineOnSharpSteps() {
    QualityMeter meter = new QualityMeter();
    meter.blurSigma(flatShapes());

    // Outlines of 1500 and 400 pixels, each found on one or two pixels across.
    assertThat(meter.sharpStepPixels(12, 1.0)).isBetween(1500, 4000);
  }

  @Test
  void blurredShapes_haveNoSharpSteps() {
    GrayU8 blurred = new GrayU8(1000, 750);
    BlurImageOps.gaussian(flatShapes(), blurred, 3.0, -1, null);
    QualityMeter meter = new QualityMeter();
    double sigma = meter.blurSigma(blurred);

    assertThat(sigma).isGreaterThan(2.2);
    assertThat(meter.sharpStepPixels(12, 1.0)).isZero();
  }

  @Test
  void thinBlurredLines_doNotPassForSharpSteps() {
    // A thin line loses gradient faster with smoothing than a step does; blurred by 2.7 px (the
    // least an unreadable photo of a sheet is blurred at a 1000-pixel decode) it must not count.
    GrayU8 img = new GrayU8(1000, 750);
    for (int y = 0; y < img.height; y++) {
      for (int x = 0; x < img.width; x++) {
        img.set(x, y, (x % 60 == 0 || y % 60 == 0) ? 20 : 220);
      }
    }
    GrayU8 blurred = new GrayU8(1000, 750);
    BlurImageOps.gaussian(img, blurred, 2.7, -1, null);
    QualityMeter meter = new QualityMeter();
    meter.blurSigma(blurred);

    assertThat(meter.sharpStepPixels(12, 1.0)).isZero();
  }

  /**
   * Dark discs (radius 12 px, 40 px apart) on a light ground: edges in every direction, dense
   * enough for the whole-photo percentiles to fall on them.
   */
  private static GrayU8 discs() {
    GrayU8 img = new GrayU8(1000, 750);
    for (int y = 0; y < img.height; y++) {
      for (int x = 0; x < img.width; x++) {
        int dx = x % 40 - 20;
        int dy = y % 40 - 20;
        img.set(x, y, dx * dx + dy * dy <= 144 ? 40 : 210);
      }
    }
    return img;
  }

  @Test
  void shakenShapes_areBlurredAcrossTheStreakOnly() {
    // A horizontal streak of 25 px: the discs' left and right flanks smear, their tops and bottoms
    // stay sharp, and those alone set the whole-photo estimate.
    GrayU8 sharp = discs();
    GrayU8 shaken = new GrayU8(sharp.width, sharp.height);
    for (int y = 0; y < sharp.height; y++) {
      for (int x = 0; x < sharp.width; x++) {
        int sum = 0;
        for (int k = -12; k <= 12; k++) {
          sum += sharp.get(Math.max(0, Math.min(sharp.width - 1, x + k)), y);
        }
        shaken.set(x, y, Math.round(sum / 25f));
      }
    }
    QualityMeter meter = new QualityMeter();
    double sigma = meter.blurSigma(shaken);
    double streak = meter.streakSigma();

    assertThat(sigma).as("whole-photo estimate").isLessThan(2.2);
    assertThat(streak).as("across the streak (a 25 px box is sigma 7.2)").isGreaterThan(5);
    assertThat(meter.sharpStepPixelsAcrossStreak(12, 1.0)).isZero();
  }

  @Test
  void defocusedShapes_areBlurredAlikeInEveryDirection() {
    GrayU8 blurred = new GrayU8(1000, 750);
    BlurImageOps.gaussian(discs(), blurred, 3.0, -1, null);
    QualityMeter meter = new QualityMeter();
    double sigma = meter.blurSigma(blurred);

    assertThat(meter.streakSigma()).isCloseTo(sigma, org.assertj.core.api.Assertions.within(0.5));
  }

  @Test
  void sharpShapes_areSharpInEveryDirection() {
    QualityMeter meter = new QualityMeter();
    meter.blurSigma(discs());

    assertThat(meter.streakSigma()).isLessThan(1.5);
  }
}
