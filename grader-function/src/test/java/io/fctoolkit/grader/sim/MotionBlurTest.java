package io.fctoolkit.grader.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MotionBlur} is a line kernel of the asked length and direction whatever the angle: the
 * running sum over a sheared photo (and the transposition for steep streaks) must not bend, shorten
 * or tilt the streak, nor lose or gain light.
 */
class MotionBlurTest {

  private static final int SIZE = 121;

  @ParameterizedTest(name = "{0} px at {1} deg")
  @CsvSource({"20, 0", "20, 30", "25.5, 45", "30, 60", "20, 90", "31, 123", "15, 170", "40, -20"})
  void pointBecomesAStreakOfTheLengthAndDirectionAsked(double length, double degrees) {
    float[] image = new float[SIZE * SIZE];
    int centre = SIZE / 2;
    image[centre * SIZE + centre] = 1000;
    double angle = Math.toRadians(degrees);
    float[] out = MotionBlur.blur(image, SIZE, SIZE, length, angle);

    double mass = 0;
    double along = 0;
    double along2 = 0;
    double across2 = 0;
    double ux = Math.cos(angle);
    double uy = Math.sin(angle);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double v = out[y * SIZE + x];
        assertThat(v).isGreaterThanOrEqualTo(-1e-3);
        double a = (x - centre) * ux + (y - centre) * uy;
        double c = -(x - centre) * uy + (y - centre) * ux;
        mass += v;
        along += v * a;
        along2 += v * a * a;
        across2 += v * c * c;
      }
    }
    assertThat(mass).as("light kept").isCloseTo(1000, within(0.5));
    assertThat(along / mass).as("streak centred on the point").isCloseTo(0, within(0.1));
    // A box of length L has variance L^2 / 12 along it; across it only the softening of the two
    // linear interpolations (each a variance of at most 1/4 px^2).
    double spreadAlong = Math.sqrt(12 * along2 / mass);
    assertThat(spreadAlong).as("streak length").isCloseTo(length, within(0.06 * length));
    assertThat(Math.sqrt(across2 / mass)).as("streak width").isLessThan(0.75);
  }

  @ParameterizedTest(name = "{0} px at {1} deg")
  @CsvSource({"37, 17", "12, 100"})
  void flatImageStaysFlatUpToItsEdges(double length, double degrees) {
    float[] image = new float[80 * 50];
    java.util.Arrays.fill(image, 200);
    float[] out = MotionBlur.blur(image, 80, 50, length, Math.toRadians(degrees));
    for (float v : out) {
      assertThat(v).isCloseTo(200f, within(1e-3f));
    }
  }
}
