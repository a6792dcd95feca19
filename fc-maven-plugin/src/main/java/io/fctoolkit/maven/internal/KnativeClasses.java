package io.fctoolkit.maven.internal;

import io.fctoolkit.core.Platform;
import java.net.MalformedURLException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.artifact.Artifact;

/**
 * Knative support (fc-knative and its fabric8 client), added to the plugin's class realm the first
 * time a goal needs it. It is not among the plugin's dependencies because Maven collects and
 * resolves those before every goal, and it is two thirds of them (226 of 352 graph nodes), while
 * most builds only deploy to the local runtime.
 *
 * <p>Code that may run without it never names a Knative type where the JVM would load it: no {@code
 * instanceof KnativePlatform} and no lambda taking one; it asks {@link #isKnative} first.
 */
public final class KnativeClasses {

  /** Knative support's coordinates without the version, which is the plugin's own. */
  public static final String ARTIFACT = "io.fctoolkit:fc-knative";

  private static final String PLATFORM_CLASS = "io.fctoolkit.knative.KnativePlatform";

  private KnativeClasses() {}

  /**
   * Makes Knative support loadable from {@code realm}: nothing to do when it already is (the
   * plugin's own tests have it on their classpath), else the files of {@code graph} (fc-knative and
   * its runtime dependencies) that the realm lacks are added to it.
   *
   * @param present the {@code groupId:artifactId} of every artifact already in the realm
   * @return how many files were added
   */
  public static synchronized int ensureLoaded(
      ClassRealm realm, Set<String> present, Supplier<List<Artifact>> graph) {
    if (loadable(realm)) {
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

  /** Whether {@code platform} is a KnativePlatform, told without loading that class. */
  public static boolean isKnative(Platform platform) {
    return platform != null && platform.getClass().getName().equals(PLATFORM_CLASS);
  }

  private static boolean loadable(ClassLoader loader) {
    try {
      Class.forName(PLATFORM_CLASS, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
