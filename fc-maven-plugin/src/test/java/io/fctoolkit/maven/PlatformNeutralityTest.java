package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin's compiled main classes name no platform implementation: no Knative type (the compiler
 * already refuses one, fc-knative being a test dependency; this also catches a dependency scope
 * change) and the local runtime's client only in its factory, {@code LocalRuntime}. A class that
 * named them could fail with {@code NoClassDefFoundError} in a realm without them; every other
 * class talks to the {@code Platform} SPI. Checked in the class files' constant pools, so a fully
 * qualified name in code counts as much as an import.
 */
class PlatformNeutralityTest {

  private static final String KNATIVE = "io/fctoolkit/knative/";
  private static final String LOCAL_CLIENT = "io/fctoolkit/runtime/LocalPlatform";
  private static final String RUNTIME_INTERNALS = "io/fctoolkit/runtime/internal/";

  private static List<Path> mainClasses() throws Exception {
    Path classes =
        Path.of(AbstractFcMojo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(classes)) {
      return files.filter(f -> f.toString().endsWith(".class")).toList();
    }
  }

  private static List<String> naming(List<Path> classes, String type) throws IOException {
    List<String> out = new ArrayList<>();
    byte[] needle = type.getBytes(StandardCharsets.UTF_8);
    for (Path file : classes) {
      if (contains(Files.readAllBytes(file), needle)) {
        out.add(file.getFileName().toString());
      }
    }
    return out;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void mainClasses_nameNoKnativeType() throws Exception {
    List<Path> classes = mainClasses();
    assertThat(classes).as("the plugin's compiled classes").hasSizeGreaterThan(20);
    assertThat(naming(classes, KNATIVE)).isEmpty();
  }

  @Test
  void mainClasses_nameTheLocalRuntimesClientOnlyInItsFactory() throws Exception {
    List<Path> classes = mainClasses();
    assertThat(naming(classes, LOCAL_CLIENT))
        .allMatch(name -> name.startsWith("LocalRuntime"))
        .isNotEmpty();
    assertThat(naming(classes, RUNTIME_INTERNALS)).isEmpty();
  }
}
