package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.gitops.internal.EnvironmentFileReader;
import io.fctoolkit.core.gitops.internal.FunctionFileReader;
import io.fctoolkit.core.gitops.internal.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The desired state in a {@code gitops/} directory: function files under {@code functions/} and one
 * environment file per directory under {@code environments/}. Opening it reads and validates every
 * file; an invalid repository is never half-loaded.
 */
public final class GitOpsRepository {

  /** The file name of an environment file inside {@code environments/<name>/}. */
  public static final String ENVIRONMENT_FILE = "environment.yaml";

  private final Path root;
  private final Map<String, FunctionSpec> functions;
  private final Map<String, EnvironmentSpec> environments;

  private GitOpsRepository(
      Path root, Map<String, FunctionSpec> functions, Map<String, EnvironmentSpec> environments) {
    this.root = root;
    this.functions = Map.copyOf(functions);
    this.environments = Map.copyOf(environments);
  }

  /**
   * Reads and validates every file under {@code root} (the {@code gitops/} directory).
   *
   * @throws GitOpsValidationException with every error of every file when anything is invalid
   */
  public static GitOpsRepository open(Path root) {
    requireNonNull(root, "root");
    List<ValidationError> errors = new ArrayList<>();
    Path functionsDir = root.resolve("functions");
    Path environmentsDir = root.resolve("environments");
    if (!Files.isDirectory(functionsDir) || !Files.isDirectory(environmentsDir)) {
      errors.add(
          new ValidationError(
              root.toString(),
              0,
              0,
              "",
              "not a gitops directory: it needs functions/ and environments/",
              "point fc.gitops at the gitops/ directory of the repository"));
      throw new GitOpsValidationException(errors);
    }
    Map<String, FunctionSpec> functions = new LinkedHashMap<>();
    Set<String> functionFiles = new LinkedHashSet<>();
    for (Path file : list(functionsDir)) {
      String relative = relative(root, file);
      String fileName = file.getFileName().toString();
      if (!fileName.endsWith(".yaml")) {
        errors.add(
            new ValidationError(
                relative,
                0,
                0,
                "",
                "unexpected file in functions/",
                "function files are named <function>.yaml; move or rename this one"));
        continue;
      }
      String expectedName = fileName.substring(0, fileName.length() - ".yaml".length());
      Problems problems = new Problems(relative, errors);
      Optional<String> text = read(file, problems);
      if (text.isEmpty()) {
        continue;
      }
      Optional<String> declared = FunctionFileReader.peekName(text.get());
      // Both names count as declared, so a misnamed file is reported once, not by every
      // environment that uses the function.
      functionFiles.add(expectedName);
      declared.ifPresent(functionFiles::add);
      Optional<FunctionSpec> spec = FunctionFileReader.read(text.get(), problems);
      if (spec.isPresent() && !spec.get().name().equals(expectedName)) {
        problems.file(
            "function '" + spec.get().name() + "' is declared in " + fileName,
            "rename the file to " + spec.get().name() + ".yaml so each function has one file");
        continue;
      }
      if (spec.isPresent() && functions.putIfAbsent(spec.get().name(), spec.get()) != null) {
        problems.file("function '" + spec.get().name() + "' is declared twice", "keep one file");
      }
    }
    Map<String, EnvironmentSpec> environments = new LinkedHashMap<>();
    for (Path dir : list(environmentsDir)) {
      if (!Files.isDirectory(dir)) {
        errors.add(
            new ValidationError(
                relative(root, dir),
                0,
                0,
                "",
                "unexpected file in environments/",
                "each environment is a directory: environments/<name>/" + ENVIRONMENT_FILE));
        continue;
      }
      Path file = dir.resolve(ENVIRONMENT_FILE);
      Problems problems = new Problems(relative(root, file), errors);
      if (!Files.isRegularFile(file)) {
        problems.file(
            "environment directory without " + ENVIRONMENT_FILE,
            "add " + relative(root, file) + " or remove the directory");
        continue;
      }
      String name = dir.getFileName().toString();
      read(file, problems)
          .flatMap(
              text -> EnvironmentFileReader.read(text, name, functions, functionFiles, problems))
          .ifPresent(spec -> environments.put(spec.name(), spec));
    }
    if (!errors.isEmpty()) {
      errors.sort(
          Comparator.comparing(ValidationError::file)
              .thenComparingInt(ValidationError::line)
              .thenComparingInt(ValidationError::column));
      throw new GitOpsValidationException(errors);
    }
    return new GitOpsRepository(root, functions, environments);
  }

  /**
   * Finds the {@code gitops/} directory for a project directory: {@code start/gitops} or that of
   * the nearest parent (a function module such as {@code grader-function/} sits next to it).
   *
   * @throws NotFoundException when no parent has a gitops directory with functions/ and
   *     environments/
   */
  public static Path locate(Path start) {
    requireNonNull(start, "start");
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("gitops");
      if (Files.isDirectory(candidate.resolve("functions"))
          && Files.isDirectory(candidate.resolve("environments"))) {
        return candidate;
      }
    }
    throw new NotFoundException(
        "gitops directory",
        start.toString(),
        "create gitops/functions/ and gitops/environments/ at the repository root, or name the"
            + " gitops directory",
        "gitops");
  }

  /** The {@code gitops/} directory. */
  public Path root() {
    return root;
  }

  /** The function files, by name. */
  public Map<String, FunctionSpec> functions() {
    return functions;
  }

  /** The environments, by name. */
  public Map<String, EnvironmentSpec> environments() {
    return environments;
  }

  /** The environment {@code name}, or a {@link NotFoundException} listing the known ones. */
  public EnvironmentSpec environment(String name) {
    EnvironmentSpec spec = environments.get(name);
    if (spec == null) {
      throw new NotFoundException(
          "environment",
          name,
          "known environments: "
              + String.join(", ", environments.keySet().stream().sorted().toList())
              + "; add environments/"
              + name
              + "/"
              + ENVIRONMENT_FILE
              + " to create it");
    }
    return spec;
  }

  public FunctionSpec function(String name) {
    FunctionSpec spec = functions.get(name);
    if (spec == null) {
      throw new NotFoundException(
          "function", name, "add functions/" + name + ".yaml to the gitops directory");
    }
    return spec;
  }

  /** The path of an environment's file. */
  public Path environmentFile(String name) {
    return root.resolve("environments").resolve(name).resolve(ENVIRONMENT_FILE);
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static Optional<String> read(Path file, Problems problems) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return Optional.of(
          StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      problems.file("the file is not valid UTF-8", "save it as UTF-8");
      return Optional.empty();
    } catch (IOException e) {
      problems.file("cannot read the file: " + e.getMessage(), "check its permissions");
      return Optional.empty();
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }
}
