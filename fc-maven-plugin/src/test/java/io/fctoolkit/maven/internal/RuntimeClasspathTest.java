package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.impl.DefaultServiceLocator;
import org.eclipse.aether.repository.LocalRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's classpath through Maven's real resolver (the one Maven 3.9 ships), on a local
 * repository written by the test: fc-runtime's own graph, in classpath order, and clear errors.
 */
class RuntimeClasspathTest {

  @TempDir Path repo;

  RepositorySystem system;
  DefaultRepositorySystemSession session;

  @BeforeEach
  @SuppressWarnings("deprecation") // the service locator: the smallest way to Maven's resolver
  void resolverOnATemporaryLocalRepository() {
    DefaultServiceLocator locator = MavenRepositorySystemUtils.newServiceLocator();
    system = locator.getService(RepositorySystem.class);
    session = MavenRepositorySystemUtils.newSession();
    session.setLocalRepositoryManager(
        system.newLocalRepositoryManager(session, new LocalRepository(repo.toFile())));
    session.setOffline(true);
  }

  @Test
  void resolvesTheRuntimeAndItsRuntimeGraph_runtimeFirst_withItsOwnManagement_noTestOrProvided()
      throws IOException {
    givenTheRuntime("1.0");

    List<Path> classpath = new RuntimeClasspath(system, session, List.of()).resolve("1.0");

    assertThat(classpath)
        .extracting(path -> path.getFileName().toString())
        .containsExactly(
            "fc-runtime-1.0.jar", "client-1.jar", "shared-2.jar", "broker-1.jar", "scala-1.jar");
    assertThat(classpath).allSatisfy(path -> assertThat(path).isRegularFile().startsWith(repo));
  }

  @Test
  void anAbsentRuntimeVersion_offline_namesTheArtifact_andHowToFetchIt() throws IOException {
    givenTheRuntime("1.0");

    assertThatThrownBy(() -> new RuntimeClasspath(system, session, List.of()).resolve("2.0"))
        .isInstanceOf(RuntimeClasspathException.class)
        .hasMessageContaining("io.fctoolkit:fc-runtime:2.0")
        .satisfies(
            e ->
                assertThat(((RuntimeClasspathException) e).describe())
                    .contains("Maven runs offline (-o)")
                    .contains("run the goal once without -o")
                    .contains("mvn dependency:get -Dartifact=io.fctoolkit:fc-runtime:2.0"));
  }

  @Test
  void anAbsentDependencyJar_online_namesIt_andTheRepositoriesToCheck() throws IOException {
    givenTheRuntime("1.0");
    Files.delete(jar("org.example", "broker", "1"));
    session.setOffline(false);

    assertThatThrownBy(() -> new RuntimeClasspath(system, session, List.of()).resolve("1.0"))
        .isInstanceOf(RuntimeClasspathException.class)
        .hasMessageContaining("io.fctoolkit:fc-runtime:1.0")
        .hasMessageContaining("org.example:broker:jar:1")
        .satisfies(
            e ->
                assertThat(((RuntimeClasspathException) e).describe())
                    .contains("pluginRepositories")
                    .contains("-Dfc.runtime.url"));
  }

  /**
   * fc-runtime with a compile dependency (whose transitive one fc-runtime manages to version 2), a
   * runtime one with its own dependency (as kafka_2.13 and scala), and test and provided ones that
   * are not in the repository at all (resolving them would fail).
   */
  private void givenTheRuntime(String version) throws IOException {
    artifact(
        "io.fctoolkit",
        "fc-runtime",
        version,
        """
        <dependencyManagement><dependencies>
          <dependency><groupId>org.example</groupId><artifactId>shared</artifactId><version>2</version></dependency>
        </dependencies></dependencyManagement>
        <dependencies>
          <dependency><groupId>org.example</groupId><artifactId>client</artifactId><version>1</version></dependency>
          <dependency><groupId>org.example</groupId><artifactId>broker</artifactId><version>1</version><scope>runtime</scope></dependency>
          <dependency><groupId>org.example</groupId><artifactId>test-only</artifactId><version>1</version><scope>test</scope></dependency>
          <dependency><groupId>org.example</groupId><artifactId>provided-only</artifactId><version>1</version><scope>provided</scope></dependency>
        </dependencies>
        """);
    artifact(
        "org.example",
        "client",
        "1",
        """
        <dependencies>
          <dependency><groupId>org.example</groupId><artifactId>shared</artifactId><version>1</version></dependency>
        </dependencies>
        """);
    artifact("org.example", "shared", "1", "");
    artifact("org.example", "shared", "2", "");
    artifact(
        "org.example",
        "broker",
        "1",
        """
        <dependencies>
          <dependency><groupId>org.example</groupId><artifactId>scala</artifactId><version>1</version></dependency>
        </dependencies>
        """);
    artifact("org.example", "scala", "1", "");
  }

  private void artifact(String groupId, String artifactId, String version, String body)
      throws IOException {
    Path jar = jar(groupId, artifactId, version);
    Files.createDirectories(jar.getParent());
    Files.write(jar, new byte[] {'P', 'K', 5, 6});
    Files.writeString(
        jar.resolveSibling(artifactId + "-" + version + ".pom"),
        "<project><modelVersion>4.0.0</modelVersion><groupId>"
            + groupId
            + "</groupId><artifactId>"
            + artifactId
            + "</artifactId><version>"
            + version
            + "</version>"
            + body
            + "</project>");
  }

  private Path jar(String groupId, String artifactId, String version) {
    return repo.resolve(groupId.replace('.', '/'))
        .resolve(artifactId)
        .resolve(version)
        .resolve(artifactId + "-" + version + ".jar");
  }
}
