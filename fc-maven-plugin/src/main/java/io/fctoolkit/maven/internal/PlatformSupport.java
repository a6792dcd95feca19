package io.fctoolkit.maven.internal;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.PlatformProvider;
import java.net.MalformedURLException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.artifact.Artifact;

/**
 * Platforms other than the local runtime: module {@code io.fctoolkit:fc-<type>} (fc-knative and its
 * fabric8 client for {@code knative}), added to the plugin's class realm the first time a goal
 * needs it, and its {@link PlatformProvider} found through {@link ServiceLoader}. It is not among
 * the plugin's dependencies because Maven collects and resolves those before every goal, and
 * Knative support is two thirds of them (226 of 352 graph nodes), while most builds only deploy to
 * the local runtime.
 *
 * <p>The plugin's main code does not have fc-knative on its compile classpath (it is a test
 * dependency), so no class of the plugin can name a Knative type: the compiler keeps a local-only
 * build free of {@code NoClassDefFoundError}, and {@code PlatformNeutralityTest} checks the
 * compiled classes for the local runtime's client.
 */
public final class PlatformSupport {

  private PlatformSupport() {}

  /** The coordinates of a platform type's module without the version, which is the plugin's own. */
  public static String artifact(String type) {
    return "io.fctoolkit:fc-" + type;
  }

  /**
   * Makes the provider of {@code type} loadable from {@code realm}: nothing to do when it already
   * is (the plugin's own tests have fc-knative on their classpath), else the files of {@code graph}
   * (the platform module and its runtime dependencies) that the realm lacks are added to it.
   *
   * @param present the {@code groupId:artifactId} of every artifact already in the realm
   * @return how many files were added
   */
  public static synchronized int ensureLoaded(
      ClassRealm realm, String type, Set<String> present, Supplier<List<Artifact>> graph) {
    if (find(realm, type).isPresent()) {
      return 0;
    }
    int added = 0;
    for (Artifact artifact : graph.get()) {
      if (present.contains(artifact.getGroupId() + ":" + artifact.getArtifactId())) {
        continue;
      }
      try {
        realm.addURL(artifact.getFile().toURI().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalStateException("not a file URL: " + artifact.getFile(), e);
      }
      added++;
    }
    return added;
  }

  /**
   * The provider of platform {@code type} that {@code loader} sees.
   *
   * @param source where the type is written, for the error
   * @throws InvalidRequestException when no provider serves the type
   */
  public static PlatformProvider provider(ClassLoader loader, String type, String source) {
    return find(loader, type)
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "platform.type",
                    source
                        + " names platform '"
                        + type
                        + "', but "
                        + artifact(type)
                        + " provides no platform of that type",
                    "use platform type local or knative"));
  }

  private static Optional<PlatformProvider> find(ClassLoader loader, String type) {
    try {
      for (PlatformProvider provider : ServiceLoader.load(PlatformProvider.class, loader)) {
        if (provider.type().equals(type)) {
          return Optional.of(provider);
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      // A provider listed but not loadable (its dependencies missing) counts as absent.
      return Optional.empty();
    }
    return Optional.empty();
  }
}
