package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

/**
 * A reference to one key of a secret held by the platform; the value never appears in Git.
 *
 * @param name the secret's name (a Kubernetes Secret, or a file in the local runtime's secret dir)
 * @param key the key inside the secret
 */
public record SecretRef(String name, String key) {

  /** The prefix of the environment value that carries a secret reference to the platform. */
  public static final String PREFIX = "${secret:";

  public SecretRef {
    requireNonNull(name, "name");
    requireNonNull(key, "key");
  }

  /**
   * The value put into {@link io.fctoolkit.core.FunctionConfig#env()} for this reference: {@code
   * ${secret:<name>/<key>}}. It is content-hashed like any value, so rotating the secret's value
   * does not make a new version, but pointing at another secret does.
   */
  public String envValue() {
    return PREFIX + name + "/" + key + "}";
  }
}
