package io.fctoolkit.maven.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Scaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code fc:init} writes, as a list of files, without touching the project: {@code gitops/}
 * (the function file from the pom's function settings, a {@code dev} environment on the local
 * runtime, a {@code prod} environment on Knative, the JSON Schemas editors validate them with) and
 * the pipelines of the chosen CI system copied from the plugin's packaged {@code pipelines/}
 * through {@link PipelineMapping}.
 */
public final class InitPlan {

  private InitPlan() {}

  /**
   * @param function the function's configuration, as {@code fc:deploy} would publish it
   * @param ci the CI system, or {@link InitCi#NONE}
   * @param templates the packaged folder holding {@code pipelines/} and {@code schema/}
   */
  public static List<InitFile> of(FunctionConfig function, InitCi ci, Path templates) {
    List<InitFile> files = new ArrayList<>();
    String name = function.name();
    files.add(text("gitops/functions/" + name + ".yaml", functionFile(function)));
    files.add(text("gitops/environments/dev/environment.yaml", devEnvironment(name)));
    files.add(text("gitops/environments/prod/environment.yaml", prodEnvironment(name)));
    for (Map.Entry<String, Path> schema : tree(templates.resolve("schema")).entrySet()) {
      files.add(copy("gitops/schema/" + schema.getKey(), schema.getValue()));
    }
    if (ci != InitCi.NONE) {
      for (Map.Entry<String, Path> source : tree(templates.resolve("pipelines")).entrySet()) {
        Optional<String> target = PipelineMapping.target(source.getKey(), ci);
        if (target.isPresent()) {
          files.add(copy(target.get(), source.getValue()));
        }
      }
    }
    return files;
  }

  /** The function file: name, handler, resources, scaling, variables, public invocation. */
  static String functionFile(FunctionConfig function) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# yaml-language-server: $schema=../schema/function.schema.json\n")
        .append("#\n")
        .append("# The function, the same in every environment (written by mvn fc:init from the")
        .append(" pom).\n")
        .append("# Environments choose which release runs behind which alias (docs: gitops.md).\n")
        .append("apiVersion: fc-toolkit.io/v1\n")
        .append("kind: Function\n")
        .append("name: ")
        .append(function.name())
        .append('\n')
        .append("handler: ")
        .append(function.handler())
        .append("\n\n")
        .append("resources:\n")
        .append("  memoryMb: ")
        .append(function.resources().memoryMb())
        .append('\n')
        .append("  concurrency: ")
        .append(function.resources().concurrency())
        .append('\n')
        .append("  timeout: ")
        .append(duration(function.resources().timeout()))
        .append("\n\n")
        .append("scaling:\n")
        .append("  minInstances: ")
        .append(function.scaling().minInstances())
        .append('\n')
        .append("  maxInstances: ")
        .append(function.scaling().maxInstances())
        .append('\n')
        .append("  idleTimeout: ")
        .append(duration(function.scaling().idleTimeout()))
        .append('\n');
    if (function.scaling().standby() != Scaling.DEFAULT_STANDBY) {
      yaml.append("  standby: ").append(function.scaling().standby()).append('\n');
    }
    if (function.publicInvoke()) {
      yaml.append("\npublic: true\n");
    }
    if (!function.env().isEmpty()) {
      yaml.append("\nenv:\n");
      function
          .env()
          .forEach(
              (key, value) ->
                  yaml.append("  - name: ")
                      .append(key)
                      .append("\n    value: ")
                      .append(quoted(value))
                      .append('\n'));
    }
    return yaml.toString();
  }

  static String devEnvironment(String name) {
    return "# yaml-language-server: $schema=../../schema/environment.schema.json\n"
        + "#\n"
        + "# The developers' environment: the embedded local runtime and its embedded Kafka"
        + " broker.\n"
        + "apiVersion: fc-toolkit.io/v1\n"
        + "kind: Environment\n"
        + "name: dev\n"
        + "platform:\n"
        + "  type: local\n"
        + "driftPolicy: overwrite   # dev is scratch space: apply makes it match Git\n"
        + "\n"
        + "functions:\n"
        + "  "
        + name
        + ":\n"
        + "    releases:\n"
        + "      # The inner loop's moving release, by tag (allowed on local only): mvn fc:deploy\n"
        + "      # publishes each build under it; -Dfc.record=git records a build by digest next"
        + " to it.\n"
        + "      - id: dev\n"
        + "        image: 127.0.0.1:5000/fc/"
        + name
        + ":dev\n"
        + "    aliases:\n"
        + "      - name: dev\n"
        + "        release: dev\n";
  }

  static String prodEnvironment(String name) {
    return "# yaml-language-server: $schema=../../schema/environment.schema.json\n"
        + "#\n"
        + "# Production on Knative: every change is a pull request (fc:plan on the pull request,\n"
        + "# fc:apply or Argo CD / Flux after the merge). Set the kube context, namespace and Kafka"
        + " cluster.\n"
        + "apiVersion: fc-toolkit.io/v1\n"
        + "kind: Environment\n"
        + "name: prod\n"
        + "platform:\n"
        + "  type: knative\n"
        + "  context: prod             # the kubeconfig context of the cluster\n"
        + "  namespace: "
        + name
        + "\n"
        + "bootstrapServers: kafka-bootstrap.kafka.svc:9092   # the triggers' Kafka cluster\n"
        + "driftPolicy: fail           # a change made outside Git stops apply\n"
        + "\n"
        + "functions:\n"
        + "  # Nothing runs here yet. Record a build in dev (mvn package fc:deploy"
        + " -Dfc.record=git),\n"
        + "  # then declare it here by digest with the prod alias in a pull request:\n"
        + "  #\n"
        + "  # "
        + name
        + ":\n"
        + "  #   releases:\n"
        + "  #     - id: <release id>\n"
        + "  #       image: <registry>/"
        + name
        + "@sha256:<digest>\n"
        + "  #   aliases:\n"
        + "  #     - name: prod\n"
        + "  #       release: <release id>\n"
        + "  #\n"
        + "  # Later releases move with mvn fc:promote -Dfc.via=git -Dfc.env=prod -Dfc.alias=prod"
        + " -Dfc.release=<id>.\n"
        + "  {}\n";
  }

  /** {@code 30s}, {@code 5m}, {@code 1h} or {@code 500ms}: the function file's duration form. */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis > 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis > 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
  static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Every regular file under {@code root} by its '/'-separated relative path, sorted. */
  static Map<String, Path> tree(Path root) {
    Map<String, Path> files = new java.util.TreeMap<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .forEach(
              p ->
                  files.put(
                      root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"),
                      p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    return files;
  }

  private static InitFile text(String path, String text) {
    return new InitFile(path, text.getBytes(UTF_8), false);
  }

  private static InitFile copy(String path, Path source) {
    try {
      byte[] bytes = Files.readAllBytes(source);
      return new InitFile(path, bytes, InitFile.isScript(path, bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }
}
