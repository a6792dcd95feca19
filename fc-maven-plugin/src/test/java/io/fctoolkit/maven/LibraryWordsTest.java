package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The libraries name settings and steps; only the plugin says them in Maven's words ({@code
 * fc:status}, {@code -Dfc.weight}), as Jib's core gives the value and its plugins the sentence. A
 * Maven word in a library's string literal would reach users of any other front end.
 */
class LibraryWordsTest {

  private static final List<String> LIBRARIES =
      List.of("fc-core", "fc-image", "fc-gitops", "fc-host", "fc-runtime", "fc-knative");

  /** A string literal holding a goal ({@code fc:status}) or a property ({@code -Dfc.x}). */
  private static final Pattern MAVEN_WORD =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*(?:\\bfc:[a-z]|-Dfc\\.)(?:[^\"\\\\]|\\\\.)*\"");

  /** Not a hint: the system property that marks the embedded broker's JVM as the runtime's. */
  private static final Set<String> ALLOWED = Set.of("\"-Dfc.kafka.owner=\"");

  @Test
  void librariesWriteNoMavenWords() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> found = new ArrayList<>();
    for (String library : LIBRARIES) {
      Path sources = root.resolve(library).resolve("src/main/java");
      assertThat(sources).as("sources of " + library).isDirectory();
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
              continue;
            }
            Matcher m = MAVEN_WORD.matcher(line);
            while (m.find()) {
              if (!ALLOWED.contains(m.group())) {
                found.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group());
              }
            }
          }
        }
      }
    }
    assertThat(found)
        .as("name the setting (FcException.setting) and let the plugin's Hints word it")
        .isEmpty();
  }
}
