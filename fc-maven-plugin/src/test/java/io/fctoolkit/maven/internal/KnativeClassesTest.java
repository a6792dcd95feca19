package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Platform;
import io.fctoolkit.knative.KnativePlatform;
import io.fctoolkit.runtime.LocalPlatform;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.junit.jupiter.api.Test;

/** Knative support joins a realm that lacks it, once, and only with what the realm lacks. */
class KnativeClassesTest {

  @Test
  void ensureLoaded_addsWhatTheRealmLacks_once() throws Exception {
    ClassWorld world = new ClassWorld();
    ClassRealm realm = world.newRealm("plugin", null);
    // As in the plugin's realm: fc-core is there, fc-knative is not.
    realm.importFrom(getClass().getClassLoader(), "io.fctoolkit.core");
    String platformClass = "io.fctoolkit.knative.KnativePlatform";
    assertThatThrownBy(() -> Class.forName(platformClass, false, realm))
        .isInstanceOf(ClassNotFoundException.class);
    Artifact knative = artifact("io.fctoolkit", "fc-knative", location(KnativePlatform.class));
    Artifact core = artifact("io.fctoolkit", "fc-core", location(Platform.class));
    AtomicInteger resolutions = new AtomicInteger();

    int added =
        KnativeClasses.ensureLoaded(
            realm,
            Set.of("io.fctoolkit:fc-core"),
            () -> {
              resolutions.incrementAndGet();
              return List.of(knative, core);
            });

    assertThat(added).isEqualTo(1);
    assertThat(Arrays.asList(realm.getURLs())).containsExactly(knative.getFile().toURI().toURL());
    Class<?> loaded = Class.forName(platformClass, false, realm);
    assertThat(loaded.getClassLoader()).isSameAs(realm);
    assertThat(Platform.class.isAssignableFrom(loaded)).isTrue();
    // Loadable now: a second goal resolves nothing.
    assertThat(KnativeClasses.ensureLoaded(realm, Set.of(), () -> List.of(knative))).isZero();
    assertThat(resolutions).hasValue(1);
    world.disposeRealm("plugin");
  }

  @Test
  void isKnative_tellsPlatformsApartByName() {
    LocalPlatform local = new LocalPlatform(URI.create("http://127.0.0.1:1"), "t");
    assertThat(KnativeClasses.isKnative(local)).isFalse();
    assertThat(KnativeClasses.isKnative(null)).isFalse();
  }

  private static Artifact artifact(String group, String name, File file) {
    return new DefaultArtifact(group, name, "jar", "1").setFile(file);
  }

  private static File location(Class<?> type) throws Exception {
    URL url = type.getProtectionDomain().getCodeSource().getLocation();
    return new File(url.toURI());
  }
}
