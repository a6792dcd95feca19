package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import boofcv.abst.filter.binary.InputToBinary;
import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.factory.fiducial.ConfigFiducialHammingDetector;
import boofcv.factory.filter.binary.ConfigThreshold;
import boofcv.factory.filter.binary.FactoryThresholdBinary;
import boofcv.factory.filter.binary.ThresholdType;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.sim.Condition;
import io.fctoolkit.grader.sim.PhotoSimulator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pabeles.concurrency.GrowArray;

/** LocalMeanThreshold against BoofCV's own local-mean threshold: equal, pixel for pixel. */
class LocalMeanThresholdTest {

  /** Noise, smooth ramps and hard edges in one image, the shapes where rounding could differ. */
  private static GrayU8 mixed(long seed, int w, int h) {
    var random = new Random(seed);
    var img = new GrayU8(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (x * 255) / Math.max(1, w - 1);
        if ((x / 37 + y / 23) % 3 == 0) {
          v = 255 - v;
        }
        if (random.nextInt(4) == 0) {
          v = random.nextInt(256);
        }
        img.set(x, y, v);
      }
    }
    return img;
  }

  private static void assertSameAsBoofCv(ConfigThreshold config, GrayU8 image) {
    InputToBinary<GrayU8> boofcv = FactoryThresholdBinary.threshold(config, GrayU8.class);
    var expected = new GrayU8(1, 1);
    var actual = new GrayU8(1, 1);
    boofcv.process(image, expected);
    var threshold = new LocalMeanThreshold(config);
    threshold.process(image, actual);
    // The local means themselves, not only the binary image they lead to.
    int radius = config.width.computeI(Math.min(image.width, image.height)) / 2;
    GrayU8 means =
        BlurImageOps.mean(
            image, null, radius, null, new GrowArray<>(org.ddogleg.struct.DogArray_I32::new));
    int meansDiffering = 0;
    for (int y = 0; y < image.height; y++) {
      for (int x = 0; x < image.width; x++) {
        meansDiffering += threshold.lastMeans().get(x, y) != means.get(x, y) ? 1 : 0;
      }
    }
    assertThat(meansDiffering).as("local means differing from BoofCV's").isZero();
    assertThat(actual.width).isEqualTo(image.width);
    assertThat(actual.height).isEqualTo(image.height);
    int differing = 0;
    int ones = 0;
    for (int y = 0; y < image.height; y++) {
      for (int x = 0; x < image.width; x++) {
        differing += actual.get(x, y) != expected.get(x, y) ? 1 : 0;
        ones += expected.get(x, y);
      }
    }
    assertThat(differing).as("pixels differing from BoofCV").isZero();
    // Not a vacuous comparison: both classes appear.
    assertThat(ones).isGreaterThan(0).isLessThan(image.width * image.height);
  }

  @Test
  void theFiducialDetectorsThreshold_equalsBoofCvs_onMixedImages() {
    ConfigThreshold config = new ConfigFiducialHammingDetector().configThreshold;
    assertThat(config.type).isEqualTo(ThresholdType.LOCAL_MEAN);
    for (long seed = 1; seed <= 6; seed++) {
      assertSameAsBoofCv(config, mixed(seed, 300 + 37 * (int) seed, 200 + 11 * (int) seed));
    }
  }

  @Test
  void otherScalesWidthsAndDirections_equalBoofCvs() {
    GrayU8 image = mixed(42, 421, 317);
    for (double scale : new double[] {0.8, 0.95, 1.0, 1.05, 1.3}) {
      for (int width : new int[] {3, 21, 40}) {
        for (boolean down : new boolean[] {true, false}) {
          ConfigThreshold config = ConfigThreshold.local(ThresholdType.LOCAL_MEAN, width);
          config.scale = scale;
          config.down = down;
          assertSameAsBoofCv(config, image);
        }
      }
    }
  }

  @Test
  void aWindowWiderThanTheImage_equalsBoofCvs() {
    // BoofCV normalises every pixel then; LocalMeanThreshold hands that case to it.
    ConfigThreshold config = ConfigThreshold.local(ThresholdType.LOCAL_MEAN, 41);
    assertSameAsBoofCv(config, mixed(7, 30, 25));
    assertSameAsBoofCv(config, mixed(8, 60, 40));
  }

  @Test
  void theReciprocal_isExactForEveryWindowSum() {
    for (int length = 1; length <= 101; length += 2) {
      long m = LocalMeanThreshold.exactReciprocal(length);
      int max = 255 * length + length / 2;
      assertThat((int) ((max * m) >>> 32)).isEqualTo(max / length);
    }
  }

  @Test
  void simulatedPhotos_equalBoofCvs() {
    var layouts = LayoutRegistry.builtIn();
    var simulator = new PhotoSimulator(layouts.all(), PhotoSimulator.Ranges.DEFAULT);
    var decoder = new ImageDecoder(50_000_000L, 1000);
    ConfigThreshold config = new ConfigFiducialHammingDetector().configThreshold;
    for (Condition condition : new Condition[] {Condition.BASE, Condition.HARD_SHADOW}) {
      for (long seed = 700_000; seed < 700_002; seed++) {
        byte[] jpeg = simulator.photo(seed, condition).jpeg();
        assertSameAsBoofCv(config, decoder.decode(jpeg).gray());
      }
    }
  }

  @Test
  void anotherThresholdType_isRefused() {
    assertThatThrownBy(
            () -> new LocalMeanThreshold(ConfigThreshold.local(ThresholdType.LOCAL_GAUSSIAN, 21)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
