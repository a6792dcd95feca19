package io.fctoolkit.grader.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import boofcv.alg.interpolate.InterpolatePixelS;
import boofcv.factory.interpolate.FactoryInterpolation;
import boofcv.struct.border.BorderType;
import boofcv.struct.image.GrayU8;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The box sampling's own bilinear interpolation gives BoofCV's values bit for bit. */
class BoxReaderSamplingTest {

  @Test
  void bilinear_matchesBoofCvGetFast_insideAndOnTheLastColumnAndRow() {
    var rnd = new SplittableRandom(7);
    // A sub-image, so that the start index and the stride are not the trivial ones.
    var parent = new GrayU8(53, 41);
    for (int i = 0; i < parent.data.length; i++) {
      parent.data[i] = (byte) rnd.nextInt(256);
    }
    GrayU8 gray = parent.subimage(3, 2, 50, 39);
    InterpolatePixelS<GrayU8> boof =
        FactoryInterpolation.bilinearPixelS(GrayU8.class, BorderType.EXTENDED);
    boof.setImage(gray);
    int maxX = gray.width - 1;
    int maxY = gray.height - 1;
    for (int k = 0; k < 20_000; k++) {
      float x = (float) (rnd.nextDouble() * maxX);
      float y = (float) (rnd.nextDouble() * maxY);
      if (k % 10 == 0) {
        x = maxX; // the last column: BoofCV reads the next row's first pixel at weight 0
      } else if (k % 10 == 1) {
        y = maxY;
      }
      if (x == maxX && y == maxY) {
        y = maxY - 0.5f; // BoofCV's get_fast would read past the image here
      }
      float expected = boof.get_fast(x, y);
      float actual = BoxReader.bilinear(gray.data, gray.startIndex, gray.stride, maxX, maxY, x, y);
      assertEquals(
          Float.floatToIntBits(expected), Float.floatToIntBits(actual), "at " + x + ", " + y);
    }
    // The bottom-right pixel itself, which BoofCV cannot sample without reading past the image.
    assertEquals(
        gray.get(maxX, maxY),
        BoxReader.bilinear(gray.data, gray.startIndex, gray.stride, maxX, maxY, maxX, maxY),
        0f);
  }
}
