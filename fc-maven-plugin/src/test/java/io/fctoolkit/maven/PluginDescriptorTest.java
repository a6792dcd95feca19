package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Checks the generated plugin.xml: what Maven users actually get. */
class PluginDescriptorTest {

  private static Document descriptor;
  private static final XPath XPATH = XPathFactory.newInstance().newXPath();

  @BeforeAll
  static void load() throws Exception {
    Path file = Path.of("target/classes/META-INF/maven/plugin.xml");
    assertThat(file).as("maven-plugin-plugin:descriptor ran in process-classes").exists();
    descriptor =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(file));
  }

  private static String text(String expression) throws Exception {
    return XPATH.evaluate(expression, descriptor);
  }

  @Test
  void prefixIsFc() throws Exception {
    assertThat(text("/plugin/goalPrefix")).isEqualTo("fc");
    assertThat(text("/plugin/artifactId")).isEqualTo("fc-maven-plugin");
  }

  @Test
  void build_isBoundToPackageAndResolvesRuntimeDependencies() throws Exception {
    assertThat(text("/plugin/mojos/mojo[goal='build']/phase")).isEqualTo("package");
    assertThat(text("/plugin/mojos/mojo[goal='build']/requiresDependencyResolution"))
        .isEqualTo("runtime");
    assertThat(text("/plugin/mojos/mojo[goal='build']/threadSafe")).isEqualTo("true");
  }

  @Test
  void deploy_isBoundToDeploy_andEveryGoalExists() throws Exception {
    assertThat(text("/plugin/mojos/mojo[goal='deploy']/phase")).isEqualTo("deploy");
    assertThat(text("/plugin/mojos/mojo[goal='deploy']/requiresDependencyResolution"))
        .isEqualTo("runtime");
    for (String goal :
        new String[] {
          "promote",
          "rollback",
          "status",
          "invoke",
          "local",
          "local-stop",
          "plan",
          "apply",
          "rollout",
          "dashboard"
        }) {
      assertThat(text("count(/plugin/mojos/mojo[goal='" + goal + "'])")).as(goal).isEqualTo("1");
      assertThat(text("/plugin/mojos/mojo[goal='" + goal + "']/phase")).as(goal).isEmpty();
    }
    for (String property :
        new String[] {
          "fc.alias", "fc.version", "fc.release", "fc.weight", "fc.affinity", "fc.env"
        }) {
      assertThat(
              text(
                  "count(/plugin/mojos/mojo[goal='promote']/configuration/*[text()='${"
                      + property
                      + "}'])"))
          .as(property)
          .isEqualTo("1");
    }
    for (String property : new String[] {"fc.memory", "fc.concurrency", "fc.alias"}) {
      assertThat(
              text(
                  "count(/plugin/mojos/mojo[goal='deploy']/configuration/*[text()='${"
                      + property
                      + "}'])"))
          .as(property)
          .isEqualTo("1");
    }
  }

  @Test
  void planAndApply_runOnceForTheWholeBuild() throws Exception {
    assertThat(text("/plugin/mojos/mojo[goal='plan']/aggregator")).isEqualTo("true");
    assertThat(text("/plugin/mojos/mojo[goal='apply']/aggregator")).isEqualTo("true");
    assertThat(text("/plugin/mojos/mojo[goal='plan']/requiresProject")).isEqualTo("false");
  }

  @Test
  void help_exists() throws Exception {
    assertThat(text("count(/plugin/mojos/mojo[goal='help'])")).isEqualTo("1");
  }

  @Test
  void everyUserParameter_hasAnFcPropertyOrIsNested_andSince() throws Exception {
    NodeList mojos =
        (NodeList)
            XPATH.evaluate("/plugin/mojos/mojo[goal!='help']", descriptor, XPathConstants.NODESET);
    assertThat(mojos.getLength()).isGreaterThan(0);
    for (int i = 0; i < mojos.getLength(); i++) {
      String goal = XPATH.evaluate("goal", mojos.item(i));
      NodeList parameters =
          (NodeList)
              XPATH.evaluate(
                  "parameters/parameter[editable='true']", mojos.item(i), XPathConstants.NODESET);
      for (int j = 0; j < parameters.getLength(); j++) {
        String name = XPATH.evaluate("name", parameters.item(j));
        String expression = XPATH.evaluate("configuration/" + name, mojos.item(i));
        String type = XPATH.evaluate("type", parameters.item(j));
        assertThat(XPATH.evaluate("since", parameters.item(j)))
            .as(goal + " " + name + " @since")
            .isEqualTo("0.1.0");
        // Nested objects read fc.* properties themselves; a map (variables) is XML only.
        if (!type.startsWith("io.fctoolkit") && !type.equals("java.util.Map")) {
          assertThat(expression).as(goal + " " + name + " property").startsWith("${fc.");
        }
      }
    }
  }

  @Test
  void build_hasTheImageParameters() throws Exception {
    for (String property : new String[] {"fc.image", "fc.handler", "fc.function", "fc.skip"}) {
      assertThat(
              text(
                  "count(/plugin/mojos/mojo[goal='build']/configuration/*[text()='${"
                      + property
                      + "}'])"))
          .as(property)
          .isEqualTo("1");
    }
    assertThat(text("/plugin/mojos/mojo[goal='build']/parameters/parameter[name='from']/type"))
        .isEqualTo("io.fctoolkit.maven.From");
  }

  @Test
  void everyGoalsRealm_hasTheRuntimesClient_butNotItsKafkaBrokerNorKnativeSupport()
      throws Exception {
    // The plugin's dependencies are collected and loaded before every goal; the broker runs only
    // in the runtime's own JVM, on the classpath RuntimeClasspath resolves when one is started.
    assertThat(text("count(/plugin/dependencies/dependency[artifactId='fc-runtime'])"))
        .isEqualTo("1");
    assertThat(text("count(/plugin/dependencies/dependency[artifactId='kafka-clients'])"))
        .isEqualTo("1");
    assertThat(
            text(
                "count(/plugin/dependencies/dependency[artifactId='kafka_2.13'"
                    + " or starts-with(artifactId, 'kafka-server') or artifactId='kafka-raft'"
                    + " or groupId='org.scala-lang'])"))
        .isEqualTo("0");
    // Knative support is added to the realm only when a goal needs it (PlatformSupport).
    assertThat(
            text(
                "count(/plugin/dependencies/dependency[artifactId='fc-knative'"
                    + " or groupId='io.fabric8' or groupId='io.vertx' or groupId='io.netty'])"))
        .isEqualTo("0");
    assertThat(text("count(/plugin/dependencies/dependency[artifactId='fc-core'])")).isEqualTo("1");
    for (String goal : new String[] {"deploy", "apply", "local", "render", "status"}) {
      assertThat(
              text(
                  "count(/plugin/mojos/mojo[goal='"
                      + goal
                      + "']/requirements/requirement[role='org.eclipse.aether.RepositorySystem'])"))
          .as(goal)
          .isEqualTo("1");
    }
  }
}
