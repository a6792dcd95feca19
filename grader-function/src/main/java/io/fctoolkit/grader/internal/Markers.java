package io.fctoolkit.grader.internal;

import boofcv.alg.drawing.FiducialImageEngine;
import boofcv.alg.fiducial.square.FiducialSquareHammingGenerator;
import boofcv.factory.fiducial.ConfigHammingMarker;
import boofcv.factory.fiducial.HammingDictionary;
import boofcv.struct.image.GrayU8;

/** The fiducial dictionary shared by the worksheet renderer and the sheet locator. */
public final class Markers {

  /**
   * ArUco MIP 16h3: a 4x4 bit grid, so each cell is a sixth of the marker and stays several pixels
   * wide even in a downscaled phone photo; its Hamming distance of 3 corrects one flipped bit. The
   * geometric consistency check of the sheet locator catches the rare misread id.
   */
  public static final HammingDictionary DICTIONARY = HammingDictionary.ARUCO_MIP_16h3;

  private Markers() {}

  /** A fresh copy of the dictionary configuration (BoofCV configs are mutable). */
  public static ConfigHammingMarker config() {
    return ConfigHammingMarker.loadDictionary(DICTIONARY);
  }

  /** Renders marker {@code id} as a {@code sizePx} square (black border included, no margin). */
  public static GrayU8 render(int id, int sizePx) {
    ConfigHammingMarker config = config();
    var engine = new FiducialImageEngine();
    engine.configure(0, sizePx);
    var generator = new FiducialSquareHammingGenerator(config);
    generator.setRenderer(engine);
    generator.setMarkerWidth(sizePx);
    generator.generate(id);
    return engine.getGray();
  }
}
