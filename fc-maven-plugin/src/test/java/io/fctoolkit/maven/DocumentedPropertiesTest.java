package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code -Dfc.*} property the documentation names is one something reads: a goal parameter of
 * the generated plugin descriptor, a property the plugin reads itself (nested settings such as
 * {@code fc.runtime.url}), or a knob a documented test or benchmark reads. A documented property
 * that nothing reads fails silently for the user (the build does something else), so it fails here.
 */
class DocumentedPropertiesTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern DOCUMENTED = Pattern.compile("-D(fc\\.[A-Za-z0-9_.]*[A-Za-z0-9_])");
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(fc\\.[A-Za-z0-9_.]+)}");
  // "fc.x" as a property name, or "-Dfc.x=" as an option a process is started with.
  private static final Pattern LITERAL =
      Pattern.compile("\"(?:-D)?(fc\\.[A-Za-z0-9_.]*[A-Za-z0-9_])[=\"]");

  @Test
  void everyDocumentedProperty_isReadBySomething() throws IOException {
    Set<String> documented = new TreeSet<>();
    List<String> where = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = DOCUMENTED.matcher(Files.readString(doc));
      while (m.find()) {
        if (documented.add(m.group(1))) {
          where.add(m.group(1) + " (" + ROOT.relativize(doc) + ")");
        }
      }
    }
    assertThat(documented).as("the docs name properties at all").hasSizeGreaterThan(20);
    assertThat(documents())
        .as("the getting-started guide and the standalone example, pipelines included")
        .contains(
            ROOT.resolve("docs/getting-started.md"),
            ROOT.resolve("examples/hello-app/README.md"),
            ROOT.resolve("examples/hello-app/pipelines/github/workflows/ci.yml"));

    Set<String> read = new TreeSet<>();
    collect(EXPRESSION, Path.of("target/classes/META-INF/maven/plugin.xml"), read);
    for (Path source : javaAndGroovySources()) {
      collect(LITERAL, source, read);
    }
    List<String> unread =
        where.stream()
            .filter(entry -> !read.contains(entry.substring(0, entry.indexOf(' '))))
            .toList();
    assertThat(unread).as("documented -Dfc.* properties that nothing reads").isEmpty();
  }

  private static void collect(Pattern pattern, Path file, Set<String> into) throws IOException {
    Matcher m = pattern.matcher(Files.readString(file));
    while (m.find()) {
      into.add(m.group(1));
    }
  }

  /**
   * The README, docs, gitops and pipelines docs, every module's README, and everything under
   * examples/ (a team copies those pipelines and READMEs as they are, at any depth).
   */
  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    addDocuments(Files.walk(ROOT, 3), docs);
    addDocuments(Files.walk(ROOT.resolve("examples")), docs);
    return docs.stream().distinct().toList();
  }

  private static void addDocuments(Stream<Path> walk, List<Path> into) {
    try (Stream<Path> files = walk) {
      files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".yml"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
          .forEach(into::add);
    }
  }

  private static List<Path> javaAndGroovySources() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".groovy"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
          .toList();
    }
  }
}
