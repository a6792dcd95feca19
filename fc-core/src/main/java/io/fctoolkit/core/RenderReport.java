package io.fctoolkit.core;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PlatformProvider#render} wrote.
 *
 * @param objects how many platform objects the manifests hold
 * @param written the files written, in apply order
 * @param warnings what the platform expresses differently than the desired state asks, applied with
 *     the stated change
 */
public record RenderReport(int objects, List<Path> written, List<String> warnings) {
  public RenderReport {
    written = List.copyOf(written);
    warnings = List.copyOf(warnings);
  }
}
