package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

/**
 * One environment variable of a function: a literal value, or a reference to a secret.
 *
 * @param name the variable's name
 * @param value the literal value, or null when {@code secretRef} is set
 * @param secretRef the secret it comes from, or null when {@code value} is set
 */
public record EnvVar(String name, String value, SecretRef secretRef) {

  public EnvVar {
    requireNonNull(name, "name");
    if ((value == null) == (secretRef == null)) {
      throw new IllegalArgumentException(
          "env " + name + " needs exactly one of value and valueFrom.secretRef");
    }
  }

  /** The value given to the platform: the literal, or the secret reference. */
  public String configValue() {
    return value != null ? value : secretRef.envValue();
  }
}
