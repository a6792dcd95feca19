package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PropertyCheckTest {

  private static final PropertyCheck.Goal DEPLOY =
      new PropertyCheck.Goal(
          "deploy",
          Map.of(
              "fc.handler", "handler",
              "fc.image", "image",
              "fc.memory", "memory",
              "fc.alias", "alias"),
          Set.of("runtime", "from"));
  private static final PropertyCheck.Goal INVOKE =
      new PropertyCheck.Goal(
          "invoke", Map.of("fc.payload", "payload", "fc.alias", "alias"), Set.of("cloudEvent"));
  private static final List<PropertyCheck.Goal> ALL = List.of(DEPLOY, INVOKE);

  private static List<String> warnings(Map<String, String> user, Map<String, String> pom) {
    return PropertyCheck.warnings(DEPLOY, ALL, Set.of("deploy"), user, pom);
  }

  @Test
  void aPropertyThePomOverrides_isAWarningNamingBothValuesAndTheElement() {
    assertThat(
            warnings(
                Map.of("fc.handler", "com.example.Other"),
                Map.of("fc.handler", "com.example.Hello")))
        .containsExactly(
            "-Dfc.handler=com.example.Other is ignored by fc:deploy: pom.xml sets <handler> to"
                + " 'com.example.Hello', which wins over a -D property (Maven's rule); change it in"
                + " the pom, or set it there as ${fc.handler} to let the command line decide");
  }

  @Test
  void aNestedPropertyThePomOverrides_namesTheNestedElement() {
    assertThat(
            warnings(
                Map.of("fc.runtime.url", "http://127.0.0.1:1"),
                Map.of("fc.runtime.url", "http://127.0.0.1:2")))
        .singleElement()
        .asString()
        .contains("<runtime><url>");
  }

  @Test
  void noWarning_whenThePomLeavesItToTheProperty_orAgrees_orSetsNothing() {
    assertThat(warnings(Map.of("fc.handler", "a.B"), Map.of("fc.handler", "${fc.handler}")))
        .isEmpty();
    assertThat(warnings(Map.of("fc.handler", "a.B"), Map.of("fc.handler", "a.B"))).isEmpty();
    assertThat(
            warnings(
                Map.of(
                    "fc.memory", "256",
                    "fc.runtime.stateDir", "/tmp/s",
                    "fc.deploy.skip", "false",
                    "fc.variables", "A=b",
                    "other.property", "x"),
                Map.of()))
        .isEmpty();
  }

  @Test
  void aTypo_namesTheNearestProperties() {
    assertThat(warnings(Map.of("fc.to.image", "x"), Map.of()))
        .containsExactly(
            "-Dfc.to.image is not a property of fc:deploy nor of any fc goal, so it is ignored;"
                + " did you mean -Dfc.image?");
    assertThat(warnings(Map.of("fc.hanlder", "x"), Map.of()))
        .singleElement()
        .asString()
        .endsWith("did you mean -Dfc.handler?");
  }

  @Test
  void somethingFarFromEveryProperty_pointsAtTheGoalsHelp() {
    assertThat(warnings(Map.of("fc.completelyDifferent", "x"), Map.of()))
        .singleElement()
        .asString()
        .endsWith("mvn fc:help -Ddetail -Dgoal=deploy lists them");
  }

  @Test
  void aPropertyOfAnotherGoal_warnsOnlyWhenThatGoalIsNotInTheBuild() {
    assertThat(warnings(Map.of("fc.payload", "{}"), Map.of()))
        .containsExactly(
            "-Dfc.payload has no effect here: it is read by fc:invoke, not by fc:deploy");
    assertThat(
            PropertyCheck.warnings(
                DEPLOY, ALL, Set.of("deploy", "invoke"), Map.of("fc.payload", "{}"), Map.of()))
        .isEmpty();
    assertThat(warnings(Map.of("fc.cloudEvent.type", "t"), Map.of()))
        .singleElement()
        .asString()
        .contains("read by fc:invoke");
  }

  @Test
  void distance_isLevenshtein() {
    assertThat(PropertyCheck.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(PropertyCheck.distance("", "abc")).isEqualTo(3);
    assertThat(PropertyCheck.distance("same", "same")).isZero();
  }
}
