package io.fctoolkit.maven.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code gh} on PATH for tests that records every call (its arguments, and the file a {@code -F
 * body=@file} names) and answers the few GitHub API calls the pipeline scripts make from a state
 * folder: issue comments (listed by their first line, created, edited), pull requests (listed by
 * head, created) and environments (their protection-rule count). Any other call fails, so a script
 * that starts calling something new fails its test until the stub knows it.
 */
final class StubGh {

  /** One recorded call: gh's arguments, and the body file's content when one was sent. */
  record Call(List<String> args, String body) {
    boolean has(String... expected) {
      return args.containsAll(Arrays.asList(expected));
    }
  }

  private static final String SCRIPT =
      """
      #!/usr/bin/env bash
      # Stub of the GitHub CLI for the pipeline tests (written by StubGh.java).
      set -euo pipefail
      state=$STUB_GH_STATE
      n=$(find "$state/calls" -maxdepth 1 -name '*.args' | wc -l)
      n=$(printf '%04d' $((n + 1)))
      printf '%s\\0' "$@" >"$state/calls/$n.args"
      body=
      for arg in "$@"; do
        case "$arg" in body=@*) body=${arg#body=@}; cp "$body" "$state/calls/$n.body" ;; esac
      done
      [ "${1:-}" = api ] || { echo "stub gh: unexpected call: $*" >&2; exit 2; }
      shift
      method=GET jq= path= fields=()
      while [ $# -gt 0 ]; do
        case "$1" in
          --method) method=$2; shift 2 ;;
          --jq) jq=$2; shift 2 ;;
          --paginate) shift ;;
          -f|-F) fields+=("$2"); shift 2 ;;
          *) path=$1; shift ;;
        esac
      done
      field() { local f; for f in "${fields[@]}"; do case "$f" in "$1="*) printf '%s' "${f#"$1="}" ;; esac; done; }
      case "$method $path" in
        "GET repos/"*/issues/*/comments)
          marker=$(printf '%s' "$jq" | sed -n 's/.*startswith("\\([^"]*\\)").*/\\1/p')
          for c in "$state"/comments/*; do
            [ -f "$c" ] || continue
            [ "$(head -n 1 "$c")" = "$marker" ] && basename "$c"
          done
          exit 0 ;;
        "POST repos/"*/issues/*/comments)
          id=$((1000 + $(find "$state/comments" -type f | wc -l)))
          cp "$body" "$state/comments/$id"; echo '{}'; exit 0 ;;
        "PATCH repos/"*/issues/comments/*)
          id=${path##*/}
          [ -f "$state/comments/$id" ] || { echo "stub gh: no comment $id" >&2; exit 1; }
          cp "$body" "$state/comments/$id"; echo '{}'; exit 0 ;;
        "GET repos/"*/pulls\\?*)
          head=$(printf '%s' "$path" | sed -n 's/.*head=[^:]*:\\([^&]*\\).*/\\1/p')
          key=$(printf '%s' "$head" | tr '/' '_')
          [ -f "$state/pulls/$key" ] && cat "$state/pulls/$key"
          exit 0 ;;
        "POST repos/"*/pulls)
          n=$((1 + $(find "$state/pulls" -type f | wc -l)))
          key=$(field head | tr '/' '_')
          url="https://github.com/${path#repos/}/$n"
          url=${url/\\/pulls\\//\\/pull\\/}
          echo "$url" >"$state/pulls/$key"; echo "$url"; exit 0 ;;
        "GET repos/"*/environments/*)
          name=${path##*/}
          [ -f "$state/environments/$name" ] || { echo 'gh: Not Found (HTTP 404)' >&2; exit 1; }
          cat "$state/environments/$name"; exit 0 ;;
      esac
      echo "stub gh: unexpected call: $method $path" >&2
      exit 2
      """;

  final Path bin;
  final Path state;

  private StubGh(Path bin, Path state) {
    this.bin = bin;
    this.state = state;
  }

  /** Writes {@code bin/gh} and an empty state under {@code dir}. */
  static StubGh install(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path state = dir.resolve("gh-state");
    for (String sub : List.of("calls", "comments", "pulls", "environments")) {
      Files.createDirectories(state.resolve(sub));
    }
    Path gh = bin.resolve("gh");
    Files.writeString(gh, SCRIPT);
    Files.setPosixFilePermissions(gh, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new StubGh(bin, state);
  }

  /** A GitHub environment the stub knows, with this many protection rules. */
  void environment(String name, int protectionRules) throws IOException {
    Files.writeString(state.resolve("environments").resolve(name), protectionRules + "\n");
  }

  /** PATH with the stub first. */
  String path() {
    return bin + ":" + System.getenv("PATH");
  }

  /** The environment the stub needs (its state folder). */
  String stateVariable() {
    return state.toString();
  }

  /** Every call so far, in order. */
  List<Call> calls() throws IOException {
    List<Call> calls = new ArrayList<>();
    try (Stream<Path> files = Files.list(state.resolve("calls"))) {
      for (Path args : files.filter(f -> f.toString().endsWith(".args")).sorted().toList()) {
        String raw = Files.readString(args, StandardCharsets.UTF_8);
        List<String> list = new ArrayList<>(Arrays.asList(raw.split("\0", -1)));
        list.remove(list.size() - 1); // after the last NUL
        Path body = args.resolveSibling(args.getFileName().toString().replace(".args", ".body"));
        calls.add(new Call(list, Files.exists(body) ? Files.readString(body) : null));
      }
    }
    return calls;
  }

  /** The comments on the pull request as the stub keeps them, by id. */
  List<String> comments() throws IOException {
    try (Stream<Path> files = Files.list(state.resolve("comments"))) {
      List<String> bodies = new ArrayList<>();
      for (Path f : files.sorted().toList()) {
        bodies.add(Files.readString(f));
      }
      return bodies;
    }
  }
}
