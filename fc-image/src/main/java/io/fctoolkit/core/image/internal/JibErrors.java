package io.fctoolkit.core.image.internal;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.image.ImageBuildException;
import io.fctoolkit.core.image.RegistryAuthenticationException;
import io.fctoolkit.core.image.RegistryUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Maps what jib throws to fc-toolkit's exceptions, one per failure mode, keeping the cause. */
public final class JibErrors {

  private JibErrors() {}

  /**
   * @param error what jib threw
   * @param targetRegistry the registry pushed to, or null for an archive build
   * @param baseImage the base image reference
   * @param offline whether the build ran in offline mode
   */
  public static FcException map(
      Throwable error, String targetRegistry, String baseImage, boolean offline) {
    String registry = registryOf(error, targetRegistry, baseImage);
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof InsecureRegistryException || cause instanceof SSLException) {
        return new InvalidRequestException(
            "allowInsecureRegistries",
            "registry " + registry + " has no verifiable HTTPS certificate or answers plain HTTP",
            "allow insecure registries for this build if it is a local test registry");
      }
      if (cause instanceof RegistryCredentialsNotSentException) {
        return new RegistryAuthenticationException(
            registry,
            "credentials were not sent because the registry answers plain HTTP",
            "use HTTPS for a registry that needs credentials (credentials are never sent over"
                + " plain HTTP)",
            error);
      }
      if (cause instanceof RegistryUnauthorizedException
          || cause instanceof RegistryAuthenticationFailedException) {
        return new RegistryAuthenticationException(
            registry,
            "the registry refused access: " + safeMessage(cause),
            "log in to the registry (docker login) or configure a server with its credentials",
            error);
      }
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || cause instanceof SocketTimeoutException
          || cause.getClass().getName().endsWith("HttpHostConnectException")) {
        return new RegistryUnavailableException(
            registry,
            "cannot connect to the registry: " + safeMessage(cause),
            "check that the registry is running and the image name's host and port are right",
            error);
      }
    }
    if (offline && String.valueOf(error.getMessage()).contains("offline")) {
      return new ImageBuildException(
          "the base image " + baseImage + " is not in the cache and the build is offline",
          "build once online to cache the base image, or use the scratch base image",
          error);
    }
    return new ImageBuildException(
        "building the image failed: " + safeMessage(error),
        "run with debug output for details; a corrupt cache can be deleted safely",
        error);
  }

  private static String registryOf(Throwable error, String targetRegistry, String baseImage) {
    String message = String.valueOf(error.getMessage());
    if (baseImage != null) {
      String baseRegistry =
          baseImage.contains("/") ? baseImage.substring(0, baseImage.indexOf('/')) : "";
      if (!baseRegistry.isEmpty() && message.contains(baseRegistry)) {
        return baseRegistry;
      }
    }
    return targetRegistry != null ? targetRegistry : "base image registry";
  }

  private static String safeMessage(Throwable error) {
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message;
  }
}
