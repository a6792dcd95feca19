package io.fctoolkit.core.gitops.internal;

/** Checks the {@code apiVersion} and {@code kind} every gitops file starts with. */
final class Header {

  private Header() {}

  /** False when the file is not of the expected version and kind (then nothing else is read). */
  static boolean check(Mapping root, String kind, Problems problems) {
    if (!(root.node() instanceof org.snakeyaml.engine.v2.nodes.MappingNode)) {
      return false;
    }
    boolean ok = true;
    String apiVersion =
        root.string(
            "apiVersion",
            true,
            "start the file with 'apiVersion: " + FunctionFileReader.API_VERSION + "'");
    if (apiVersion != null && !apiVersion.equals(FunctionFileReader.API_VERSION)) {
      root.error(
          "apiVersion",
          "unsupported apiVersion '" + apiVersion + "'",
          "this fc-toolkit reads '" + FunctionFileReader.API_VERSION + "'");
      ok = false;
    }
    String actualKind = root.string("kind", true, "add 'kind: " + kind + "'");
    if (actualKind != null && !actualKind.equals(kind)) {
      root.error(
          "kind",
          "expected kind '" + kind + "' in this directory, got '" + actualKind + "'",
          kind.equals("Function")
              ? "function files live in functions/, environment files in environments/<name>/"
              : "environment files live in environments/<name>/environment.yaml");
      ok = false;
    }
    return ok && apiVersion != null && actualKind != null;
  }
}
