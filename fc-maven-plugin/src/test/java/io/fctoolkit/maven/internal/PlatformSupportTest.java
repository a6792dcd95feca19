package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.knative.KnativePlatform;
import java.io.File;
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

/**
 * A platform module joins a realm that lacks it, once, and only with what the realm lacks; its
 * provider is then found through ServiceLoader.
 */
class PlatformSupportTest {

  @Test
  void ensureLoaded_addsWhatTheRealmLacks_once_thenFindsTheProvider() throws Exception {
    ClassWorld world = new ClassWorld();
    ClassRealm realm = world.newRealm("plugin", null);
    // As in the plugin's realm: fc-core is there, fc-knative is not.
    realm.importFrom(getClass().getClassLoader(), "io.fctoolkit.core");
    assertThatThrownBy(() -> PlatformSupport.provider(realm, "knative", "env.yaml"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("env.yaml names platform 'knative'")
        .hasMessageContaining("io.fctoolkit:fc-knative");
    Artifact knative = artifact("io.fctoolkit", "fc-knative", location(KnativePlatform.class));
    Artifact core = artifact("io.fctoolkit", "fc-core", location(Platform.class));
    AtomicInteger resolutions = new AtomicInteger();

    int added =
        PlatformSupport.ensureLoaded(
            realm,
            "knative",
            Set.of("io.fctoolkit:fc-core"),
            () -> {
              resolutions.incrementAndGet();
              return List.of(knative, core);
            });

    assertThat(added).isEqualTo(1);
    assertThat(Arrays.asList(realm.getURLs())).containsExactly(knative.getFile().toURI().toURL());
    PlatformProvider provider = PlatformSupport.provider(realm, "knative", "env.yaml");
    assertThat(provider.type()).isEqualTo("knative");
    assertThat(provider.getClass().getClassLoader()).isSameAs(realm);
    // Loadable now: a second goal resolves nothing.
    assertThat(PlatformSupport.ensureLoaded(realm, "knative", Set.of(), () -> List.of(knative)))
        .isZero();
    assertThat(resolutions).hasValue(1);
    world.disposeRealm("plugin");
  }

  @Test
  void artifact_isTheModuleOfTheType() {
    assertThat(PlatformSupport.artifact("knative")).isEqualTo("io.fctoolkit:fc-knative");
  }

  private static Artifact artifact(String group, String name, File file) {
    return new DefaultArtifact(group, name, "jar", "1").setFile(file);
  }

  private static File location(Class<?> type) throws Exception {
    URL url = type.getProtectionDomain().getCodeSource().getLocation();
    return new File(url.toURI());
  }
}
