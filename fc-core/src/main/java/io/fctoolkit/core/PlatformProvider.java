package io.fctoolkit.core;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes the platforms of one type, found through {@link java.util.ServiceLoader}: a platform module
 * lists its provider in {@code META-INF/services/io.fctoolkit.core.PlatformProvider}, so that a
 * caller connects to any platform an environment names without naming a type of that module.
 */
public interface PlatformProvider {

  /**
   * The platform type this provider serves, as environment files write it, e.g. {@code knative}.
   */
  String type();

  /**
   * Connects to the platform a binding names. Fails rather than guess: a binding that does not
   * match what is there (on Kubernetes: a kube context the kubeconfig lacks, a namespace the
   * cluster lacks) is an {@link FcException} naming the binding's source and how to fix it.
   */
  Platform connect(PlatformConnection connection, Consumer<FcEvent> events);

  /**
   * Writes the platform's manifests of an environment's desired state into {@code directory}, for a
   * pull-mode deployer (Argo CD, Flux). Platforms without manifests refuse.
   *
   * @throws InvalidRequestException when this platform has no manifests to render
   */
  default RenderReport render(
      PlatformConnection connection, List<DesiredFunction> functions, Path directory) {
    throw new InvalidRequestException(
        "platform.type",
        connection.source() + " binds platform " + type() + ", which has no manifests to render",
        "render an environment of a platform that a GitOps controller syncs (knative)");
  }
}
