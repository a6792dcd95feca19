package io.fctoolkit.runtime.internal;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start one instance of a version: the JDK, classpath, main class, environment and heap.
 *
 * @param function the function's name
 * @param version the version number
 * @param java the JDK that runs the instance
 * @param classpath the image's entrypoint classpath, rewritten to the unpacked {@code /app}
 * @param mainClass the entrypoint's main class (the host)
 * @param env the environment of the host contract plus the function's environment
 * @param heapMb the maximum heap, sized from the function's memory
 * @param archive the class-data archive made at publish, or null
 * @param workDir the working folder (the unpacked {@code /app})
 * @param user the Unix user to run as (the runtime is root), or null for the runtime's own
 */
public record LaunchSpec(
    String function,
    int version,
    InstanceJava java,
    List<Path> classpath,
    String mainClass,
    Map<String, String> env,
    int heapMb,
    Path archive,
    Path workDir,
    String user) {

  public LaunchSpec {
    requireNonNull(function, "function");
    requireNonNull(java, "java");
    classpath = List.copyOf(classpath);
    requireNonNull(mainClass, "mainClass");
    env = Map.copyOf(env);
    requireNonNull(workDir, "workDir");
  }

  /** The heap for a function's memory: three quarters, leaving room for metaspace and stacks. */
  public static int heapFor(int memoryMb) {
    return Math.max(32, memoryMb * 3 / 4);
  }

  public LaunchSpec withArchive(Path archive) {
    return new LaunchSpec(
        function, version, java, classpath, mainClass, env, heapMb, archive, workDir, user);
  }

  /** This spec with one more environment variable. */
  public LaunchSpec withEnv(String name, String value) {
    java.util.Map<String, String> more = new java.util.LinkedHashMap<>(env);
    more.put(name, value);
    return new LaunchSpec(
        function, version, java, classpath, mainClass, more, heapMb, archive, workDir, user);
  }

  /** This spec with the classpath {@code classpath}. */
  public LaunchSpec withClasspath(List<Path> classpath) {
    return new LaunchSpec(
        function, version, java, classpath, mainClass, env, heapMb, archive, workDir, user);
  }

  /** The command line, with {@code extraFlags} (e.g. training flags) before the main class. */
  public List<String> command(List<String> extraFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.executable().toString());
    cmd.add("-Xmx" + heapMb + "m");
    // Small, single-threaded collector and no perf-data file: the fastest start for a small heap.
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:-UsePerfData");
    if (archive != null && extraFlags.isEmpty()) {
      cmd.addAll(java.runFlags(archive));
    }
    cmd.addAll(extraFlags);
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    cmd.add(mainClass);
    return cmd;
  }
}
