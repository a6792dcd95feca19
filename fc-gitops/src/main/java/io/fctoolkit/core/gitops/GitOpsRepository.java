package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.SmokeRequest;
import io.fctoolkit.core.gitops.internal.EnvironmentFileReader;
import io.fctoolkit.core.gitops.internal.FunctionFileReader;
import io.fctoolkit.core.gitops.internal.Problems;
import io.fctoolkit.core.gitops.internal.SmokeFixtureReader;
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

  /** The folder of a function's smoke fixtures: {@code functions/<function>/smoke/}. */
  public static final String SMOKE_FOLDER = "smoke";

  /** At most this many smoke fixtures per function: they run before every rollout's first step. */
  static final int MAX_SMOKE_FIXTURES = 50;

  private final Path root;
  private final Map<String, FunctionSpec> functions;
  private final Map<String, EnvironmentSpec> environments;
  private final Map<String, List<SmokeRequest>> smoke;

  private GitOpsRepository(
      Path root,
      Map<String, FunctionSpec> functions,
      Map<String, EnvironmentSpec> environments,
      Map<String, List<SmokeRequest>> smoke) {
    this.root = root;
    this.functions = Map.copyOf(functions);
    this.environments = Map.copyOf(environments);
    this.smoke = Map.copyOf(smoke);
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
    List<Path> functionFolders = new ArrayList<>();
    for (Path file : list(functionsDir)) {
      String relative = relative(root, file);
      String fileName = file.getFileName().toString();
      if (Files.isDirectory(file)) {
        functionFolders.add(file); // read once every function file is known
        continue;
      }
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
    Map<String, List<SmokeRequest>> smoke = new LinkedHashMap<>();
    for (Path folder : functionFolders) {
      readFunctionFolder(root, folder, functionFiles, errors)
          .ifPresent(fixtures -> smoke.put(folder.getFileName().toString(), fixtures));
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
    return new GitOpsRepository(root, functions, environments, smoke);
  }

  /**
   * The smoke fixtures of a function's folder ({@code functions/<function>/smoke/*.json}, in file
   * name order), or empty after reporting each problem; a folder holds nothing else.
   */
  private static Optional<List<SmokeRequest>> readFunctionFolder(
      Path root, Path folder, Set<String> functionFiles, List<ValidationError> errors) {
    String name = folder.getFileName().toString();
    String relative = relative(root, folder);
    if (!functionFiles.contains(name)) {
      errors.add(
          new ValidationError(
              relative,
              0,
              0,
              "",
              "folder of function '" + name + "', but there is no functions/" + name + ".yaml",
              "a function's folder holds its smoke fixtures; rename it after its function file"));
      return Optional.empty();
    }
    List<SmokeRequest> fixtures = new ArrayList<>();
    int before = errors.size();
    for (Path entry : list(folder)) {
      if (!entry.getFileName().toString().equals(SMOKE_FOLDER) || !Files.isDirectory(entry)) {
        errors.add(
            new ValidationError(
                relative(root, entry),
                0,
                0,
                "",
                "unexpected entry in the function's folder",
                "a function's folder holds only " + SMOKE_FOLDER + "/ (its smoke fixtures)"));
        continue;
      }
      List<Path> files = list(entry);
      for (Path file : files) {
        Problems problems = new Problems(relative(root, file), errors);
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".json")) {
          problems.file(
              "unexpected entry in " + SMOKE_FOLDER + "/",
              "smoke fixtures are files named <name>.json; move or rename this one");
          continue;
        }
        read(file, problems)
            .flatMap(t -> SmokeFixtureReader.read(t, problems))
            .ifPresent(fixtures::add);
      }
      if (files.size() > MAX_SMOKE_FIXTURES) {
        errors.add(
            new ValidationError(
                relative(root, entry),
                0,
                0,
                "",
                files.size() + " smoke fixtures, more than " + MAX_SMOKE_FIXTURES,
                "smoke invocations run before each rollout's first step; keep the few that"
                    + " prove the version answers"));
      }
    }
    return errors.size() > before ? Optional.empty() : Optional.of(List.copyOf(fixtures));
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

  /**
   * The pre-traffic smoke invocations of {@code function}'s rollouts, from {@code
   * functions/<function>/smoke/*.json} in file name order; empty when it has none.
   */
  public List<SmokeRequest> smoke(String function) {
    return smoke.getOrDefault(function, List.of());
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
