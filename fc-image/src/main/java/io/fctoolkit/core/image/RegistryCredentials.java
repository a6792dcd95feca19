package io.fctoolkit.core.image;

import static java.util.Objects.requireNonNull;

/**
 * A user name and password (or token) for a registry. Never printed: {@link #toString()} masks
 * both.
 *
 * @param username the user name
 * @param password the password or token
 */
public record RegistryCredentials(String username, String password) {

  public RegistryCredentials {
    requireNonNull(username, "username");
    requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[****]";
  }
}
