package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP protocol layer does not name the application layer (issue 14): imports point one way,
 * protocol <- application, so the server can be read, tested and fuzzed without the host around it.
 */
class LayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/io/fctoolkit/host/internal");

  /** The protocol layer, and the small helpers both layers may use. */
  private static final Set<String> PROTOCOL =
      Set.of(
          "Http1Server",
          "Http1Exchange",
          "Http1Syntax",
          "RequestBody",
          "ConnectionInput",
          "Errors",
          "JsonText",
          "JsonLog");

  // Comments and string literals, which may name anything.
  private static final Pattern NOT_CODE =
      Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)'");

  @Test
  void protocolLayer_namesNoApplicationClass() throws IOException {
    List<String> application;
    try (Stream<Path> files = Files.list(SOURCES)) {
      application =
          files
              .map(p -> p.getFileName().toString().replace(".java", ""))
              .filter(name -> !PROTOCOL.contains(name))
              .collect(Collectors.toList());
    }
    assertThat(application).contains("HostServer", "Host", "HostConfig", "FunctionInvoker");

    assertThat(SOURCES.resolve("Http1Server.java")).exists();
    assertThat(SOURCES.resolve("Http1Exchange.java")).exists();
    for (String protocol : PROTOCOL) {
      if (!Files.exists(SOURCES.resolve(protocol + ".java"))) {
        continue; // a helper this version does not have
      }
      String code =
          NOT_CODE.matcher(Files.readString(SOURCES.resolve(protocol + ".java"))).replaceAll(" ");
      for (String name : application) {
        assertThat(Pattern.compile("\\b" + name + "\\b").matcher(code).find())
            .as("%s.java names the application class %s", protocol, name)
            .isFalse();
      }
    }
  }
}
