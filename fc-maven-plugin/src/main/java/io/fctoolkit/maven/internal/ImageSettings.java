package io.fctoolkit.maven.internal;

import java.nio.file.Path;

/**
 * The image parameters as the user set them (pom or {@code -Dfc.*}); {@code null} means not set.
 *
 * @param function {@code <function>} / {@code fc.function}
 * @param handler {@code <handler>} / {@code fc.handler}
 * @param image {@code <image>} / {@code fc.image}: push to this registry image; unset writes an
 *     archive
 * @param fromImage {@code <from><image>} / {@code fc.from.image}
 * @param allowInsecureRegistries {@code <allowInsecureRegistries>} / {@code
 *     fc.allowInsecureRegistries}
 * @param creationTime {@code <creationTime>} / {@code fc.creationTime}
 * @param outputDirectory {@code <outputDirectory>} / {@code fc.outputDirectory}
 * @param archive {@code <archive>} / {@code fc.archive}
 * @param baseImageCache {@code <baseImageCache>} / {@code fc.baseImageCache}
 */
public record ImageSettings(
    String function,
    String handler,
    String image,
    String fromImage,
    boolean allowInsecureRegistries,
    String creationTime,
    Path outputDirectory,
    Path archive,
    Path baseImageCache) {}
