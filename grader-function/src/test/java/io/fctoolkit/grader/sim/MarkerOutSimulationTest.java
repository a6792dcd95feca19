package io.fctoolkit.grader.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.internal.SheetLocator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Condition#MARKER_OUT} is what it says: one bottom marker out of frame and the other three,
 * with their quiet zones, in the photo. (With tilts of 6-7 degrees the simulator used to cut both
 * bottom markers, a photo a person would reject, counted as gradeable.)
 */
class MarkerOutSimulationTest {

  private static final List<Layout> LAYOUTS = LayoutRegistry.builtIn().all();
  private static final int[][] SIZES = {
    {1200, 900}, {1600, 1200}, {2048, 1536}, {2592, 1944}, {3264, 2448}, {4000, 3000}
  };

  @Test
  void markerOut_cutsOneBottomMarkerOnly() {
    for (long seed = 1; seed <= 300; seed++) {
      var extra = new SplittableRandom(seed * 31);
      var rnd = new SplittableRandom(seed);
      int[] size = SIZES[(int) (seed % SIZES.length)];
      boolean portrait = seed % 4 == 0;
      int width = portrait ? size[1] : size[0];
      int height = portrait ? size[0] : size[1];
      Layout layout = LAYOUTS.get((int) (seed % LAYOUTS.size()));
      PhotoSimulator.Overrides o = PhotoSimulator.markerOutOverrides(extra);
      var d =
          PhotoSimulator.Distortion.random(
              rnd, PhotoSimulator.Ranges.DEFAULT, width, height, layout, o);
      var pushed = Effects.adjust(Condition.MARKER_OUT, d, layout, width, height, extra);
      boolean[] in = new boolean[4];
      for (int corner = 0; corner < 4; corner++) {
        in[corner] =
            SheetLocator.fiducialInPhoto(layout, pushed.sheetToPhoto(), corner, width, height);
      }
      String what =
          String.format("seed %d %dx%d rot %.1f", seed, width, height, pushed.rotationDeg());
      assertThat(in[0] && in[1]).as("top markers in frame, " + what).isTrue();
      assertThat(in[2] ^ in[3]).as("exactly one bottom marker out, " + what).isTrue();
    }
  }
}
