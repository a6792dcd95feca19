package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.maven.internal.PropertyCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every property the plugin reads itself ({@code lookup("fc.x")}) is known to {@link
 * PropertyCheck}; otherwise passing it would be warned about as a property nothing reads.
 */
class PropertyLookupsTest {

  private static final Pattern LOOKUP = Pattern.compile("lookup\\(\"(fc\\.[A-Za-z0-9_.]+)\"\\)");

  @Test
  void everyLookedUpProperty_isReadDirectlyForThePropertyCheck() throws IOException {
    Set<String> looked = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path source : sources) {
      Matcher m = LOOKUP.matcher(Files.readString(source));
      while (m.find()) {
        looked.add(m.group(1));
      }
    }
    assertThat(looked).as("lookups found at all").contains("fc.direct", "fc.gitops.dir");
    assertThat(looked).isSubsetOf(PropertyCheck.READ_DIRECTLY);
  }
}
