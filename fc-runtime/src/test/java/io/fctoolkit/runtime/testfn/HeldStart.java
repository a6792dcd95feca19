package io.fctoolkit.runtime.testfn;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link Hello} whose initialisation waits while the file named by {@code HOLD} exists (at most 120
 * s), so a test can keep an instance start in progress for as long as it needs.
 */
public class HeldStart extends Hello {

  public HeldStart() throws InterruptedException {
    String hold = System.getenv("HOLD");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (hold != null && Files.exists(Path.of(hold)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
