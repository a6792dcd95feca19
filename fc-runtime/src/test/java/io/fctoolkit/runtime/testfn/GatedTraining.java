package io.fctoolkit.runtime.testfn;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link Hello} whose training run cannot end before the file named by {@code TRAIN_GATE} exists
 * (at most 60 s): the JVM writes the class-data archive at exit, after shutdown hooks, so a test
 * controls when the archive appears.
 */
public class GatedTraining extends Hello {

  public GatedTraining() {
    String gate = System.getenv("TRAIN_GATE");
    if ("1".equals(System.getenv("FC_TRAIN")) && gate != null) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!Files.exists(Path.of(gate)) && System.nanoTime() < deadline) {
                      try {
                        Thread.sleep(50);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }));
    }
  }
}
