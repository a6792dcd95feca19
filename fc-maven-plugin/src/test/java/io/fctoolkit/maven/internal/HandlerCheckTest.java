package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerCheckTest {
  private static final String PACKAGE = "io.fctoolkit.maven.internal.handlers.";

  /** The Functions Framework API and cloudevents-api jars, as the image holds them. */
  private static List<Path> apiJars() {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("functions-framework-api") || entry.contains("cloudevents-api")) {
        jars.add(Path.of(entry));
      }
    }
    assertThat(jars).hasSize(2);
    return jars;
  }

  private static Path testClasses() throws URISyntaxException {
    return Path.of(
        HandlerCheckTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static String problem(String handler) throws URISyntaxException {
    try {
      HandlerCheck.check(handler, testClasses(), apiJars());
      return null;
    } catch (InvalidRequestException e) {
      return e.getMessage();
    }
  }

  @Test
  void aPublicFunctionWithAPublicConstructorPasses() {
    assertThatCode(() -> HandlerCheck.check(PACKAGE + "Hello", testClasses(), apiJars()))
        .doesNotThrowAnyException();
  }

  @Test
  void aMissingClassIsNamed_andTheFunctionsThatExistAreSuggested() throws Exception {
    assertThat(problem(PACKAGE + "Helo"))
        .contains(PACKAGE + "Helo")
        .contains("no such class in " + testClasses())
        .contains(PACKAGE + "Hello")
        .doesNotContain(PACKAGE + "NotAFunction");
  }

  @Test
  void aClassOfNoKindNamesTheKinds() throws Exception {
    assertThat(problem(PACKAGE + "NotAFunction"))
        .contains(PACKAGE + "NotAFunction")
        .contains(
            "the class is not a function: implement one of HttpFunction, CloudEventsFunction,"
                + " TypedFunction, BackgroundFunction, RawBackgroundFunction");
  }

  @Test
  void noPublicNoArgumentConstructor() throws Exception {
    assertThat(problem(PACKAGE + "NeedsArgument"))
        .contains("no public no-argument constructor; add public NeedsArgument() {}");
  }

  @Test
  void abstractAndNonPublicClassesAreRefused() throws Exception {
    assertThat(problem(PACKAGE + "AbstractGreeter"))
        .contains(
            "abstract or an interface; name the concrete class that implements TypedFunction");
    assertThat(problem(PACKAGE + "Hidden$Raw")).contains("must be public");
  }

  @Test
  void withoutTheApiJarsNothingIsAFunction() throws Exception {
    // The check sees only what the image holds: the API must come with it.
    assertThatThrownBy(() -> HandlerCheck.check(PACKAGE + "Hello", testClasses(), List.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot be loaded");
  }

  @Test
  void aMissingClassesFolderSaysToCompileFirst(@TempDir Path dir) {
    assertThatThrownBy(
            () -> HandlerCheck.check(PACKAGE + "Hello", dir.resolve("classes"), apiJars()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("does not exist; compile the project first");
  }

  @Test
  void hostDependenciesAreTheApiAndWhatItDependsOn() {
    String api = "com.google.cloud.functions:functions-framework-api";
    List<String> throughApi =
        List.of(
            "io.fctoolkit:fc-maven-plugin:maven-plugin:0.1.0",
            "io.fctoolkit:fc-host:jar:0.1.0",
            "com.google.cloud.functions:functions-framework-api:jar:2.0.0",
            "io.cloudevents:cloudevents-api:jar:4.0.1");
    List<String> elsewhere =
        List.of(
            "io.fctoolkit:fc-maven-plugin:maven-plugin:0.1.0",
            "io.fctoolkit:fc-runtime:jar:0.1.0",
            "io.cloudevents:cloudevents-api:jar:4.0.1");

    assertThat(ImageRequests.isHostDependency(api, null, api)).isTrue();
    assertThat(ImageRequests.isHostDependency("io.cloudevents:cloudevents-api", throughApi, api))
        .isTrue();
    assertThat(ImageRequests.isHostDependency("io.cloudevents:cloudevents-api", elsewhere, api))
        .isFalse();
    assertThat(ImageRequests.isHostDependency("org.slf4j:slf4j-api", null, api)).isFalse();
  }
}
