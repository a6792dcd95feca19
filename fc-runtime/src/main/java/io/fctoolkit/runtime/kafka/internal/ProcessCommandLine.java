package io.fctoolkit.runtime.kafka.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole command line of a process. {@link ProcessHandle.Info#commandLine()} is cut at 4,096
 * characters on Linux, and a broker's command line (its class path) is longer, so the part that
 * names the data directory is lost; {@code /proc/<pid>/cmdline} is read instead where it exists.
 */
public final class ProcessCommandLine {
  private static final Path PROC = Path.of("/proc");

  private ProcessCommandLine() {}

  /** The arguments of {@code process} (program first), or empty when the system won't tell. */
  public static Optional<List<String>> of(ProcessHandle process) {
    Path cmdline = PROC.resolve(Long.toString(process.pid())).resolve("cmdline");
    if (Files.isReadable(cmdline)) {
      try {
        return parse(Files.readAllBytes(cmdline));
      } catch (IOException e) {
        // The process exited between the check and the read, or /proc hides it: ask the JDK.
      }
    }
    ProcessHandle.Info info = process.info();
    if (info.command().isPresent() && info.arguments().isPresent()) {
      List<String> args = new ArrayList<>();
      args.add(info.command().get());
      args.addAll(List.of(info.arguments().get()));
      return Optional.of(args);
    }
    return info.commandLine().map(List::of);
  }

  /**
   * Splits {@code /proc/<pid>/cmdline}: arguments end with NUL; empty for a zombie or a kernel
   * thread.
   */
  static Optional<List<String>> parse(byte[] cmdline) {
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < cmdline.length) {
      args.add(new String(cmdline, start, cmdline.length - start, StandardCharsets.UTF_8));
    }
    return args.isEmpty() ? Optional.empty() : Optional.of(args);
  }
}
