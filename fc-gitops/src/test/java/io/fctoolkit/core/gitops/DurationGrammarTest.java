package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.fctoolkit.core.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One duration grammar: the gitops reader, {@link Durations} (which the plugin's parameters use)
 * and the JSON Schema accept exactly the same strings. Checked on hand-picked cases and on strings
 * drawn at random from the grammar's alphabet, with the schema run by the networknt validator, not
 * by our regex.
 */
class DurationGrammarTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void schemaPatterns_areTheOneGrammar() throws Exception {
    JsonNode schema =
        JSON.readTree(SchemaSupport.SCHEMA_DIR.resolve("function.schema.json").toFile());
    List<String> durationPatterns = new ArrayList<>();
    schema.findParents("pattern").stream()
        .filter(node -> node.path("description").asText().startsWith("A duration"))
        .forEach(node -> durationPatterns.add(node.get("pattern").asText()));
    assertThat(durationPatterns).hasSize(4).containsOnly(Durations.SCHEMA_PATTERN);
  }

  @Test
  void handPicked_valuesAndRefusals() {
    assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse(" 1h ")).contains(Duration.ofHours(1));
    assertThat(Durations.parse("PT30S")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("PT1M30.5S")).contains(Duration.ofMillis(90_500));
    assertThat(Durations.parse("P1D")).contains(Duration.ofDays(1));
    for (String bad :
        List.of("", "30", "s", "-5s", "30S", "pt30s", "PT", "P", "PT-1S", "P1DT", "PT1,5S", "1d")) {
      assertThat(Durations.parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void gitopsReader_acceptsIsoDurations_likeThePlugin() throws Exception {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    Fixtures.replace(root, Fixtures.GRADER, "timeout: 30s", "timeout: PT45S");
    GitOpsRepository repository = GitOpsRepository.open(root);
    assertThat(repository.function("grader").resources().timeout())
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void randomStrings_readerAndSchemaAgree() throws Exception {
    JsonSchema schema = SchemaSupport.schema("function.schema.json");
    Random random = new Random(20261206L);
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder(nearDuration(random));
      // Then up to two random edits, so that near misses are drawn as often as hits.
      String alphabet = "0123456789PTDHMSmsh.-+, ";
      for (int edits = random.nextInt(3); edits > 0 && text.length() > 0; edits--) {
        int at = random.nextInt(text.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.insert(at, c);
          case 1 -> text.deleteCharAt(at);
          default -> text.setCharAt(at, c);
        }
      }
      String value = text.toString().strip();
      boolean ours = Durations.parse(value).isPresent();
      boolean schemas = schema.validate(functionWithTimeout(value)).isEmpty();
      assertThat(ours)
          .as("'%s': Durations says %s, the schema %s", value, ours, schemas)
          .isEqualTo(schemas);
      accepted += ours ? 1 : 0;
    }
    // The draw must reach both sides of the grammar, or the agreement says little.
    assertThat(accepted).isBetween(100, 2900);
  }

  /** A string drawn from the grammar itself: short form or ISO-8601 with optional parts. */
  private static String nearDuration(Random random) {
    if (random.nextBoolean()) {
      return random.nextInt(100_000) + List.of("ms", "s", "m", "h").get(random.nextInt(4));
    }
    StringBuilder iso = new StringBuilder("P");
    if (random.nextInt(3) == 0) {
      iso.append(random.nextInt(40)).append('D');
    }
    if (random.nextInt(4) > 0) {
      iso.append('T');
      if (random.nextBoolean()) {
        iso.append(random.nextInt(30)).append('H');
      }
      if (random.nextBoolean()) {
        iso.append(random.nextInt(90)).append('M');
      }
      if (random.nextBoolean()) {
        iso.append(random.nextInt(90));
        if (random.nextBoolean()) {
          iso.append('.').append(random.nextInt(1000));
        }
        iso.append('S');
      }
    }
    return iso.toString();
  }

  private static JsonNode functionWithTimeout(String timeout) {
    ObjectNode node = JSON.createObjectNode();
    node.put("apiVersion", "fc-toolkit.io/v1").put("kind", "Function").put("name", "f");
    node.put("handler", "a.B");
    node.putObject("resources").put("timeout", timeout);
    return node;
  }
}
