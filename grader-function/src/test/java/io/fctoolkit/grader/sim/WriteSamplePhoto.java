package io.fctoolkit.grader.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fctoolkit.grader.LayoutRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Writes the checked-in sample photo and its ground truth: {@code WriteSamplePhoto <dir> <seed>
 * <width> <height>}. Kept so the sample can be re-made and reviewed, not run by the build.
 */
public final class WriteSamplePhoto {
  private WriteSamplePhoto() {}

  /** Writes {@code sample.jpg} and {@code sample.expected.json} into the given folder. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    var simulator =
        new PhotoSimulator(
            LayoutRegistry.builtIn().all(), PhotoSimulator.Ranges.DEFAULT.withoutOtherPhotos());
    SimulatedPhoto photo =
        simulator.photo(seed, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    Files.createDirectories(dir);
    Files.write(dir.resolve("sample.jpg"), photo.jpeg());
    var truth = new LinkedHashMap<String, Object>();
    truth.put("seed", seed);
    truth.put("layout", photo.layout());
    truth.put("expected", photo.expected());
    truth.put("answered", photo.answered());
    truth.put("kinds", photo.kinds());
    truth.put("params", photo.params());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("sample.expected.json").toFile(), truth);
    System.out.println(photo.params() + " " + photo.jpeg().length + " bytes");
  }
}
