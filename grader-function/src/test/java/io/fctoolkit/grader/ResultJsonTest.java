package io.fctoolkit.grader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The answer's {@code quality} and {@code timings} objects are written by hand (a cold-start
 * saving); they must stay what Jackson's binding of the records wrote before: same names, same
 * order, same values, for every component (a component added to a record fails this test).
 */
class ResultJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void quality_isWrittenAsJacksonBindsTheRecord() throws Exception {
    var quality = new Quality(800, 600, 2, 181.25, 0.125, 0.0625, 312.5, 1.75, Double.NaN, 3.04);
    ObjectNode byHand = JSON.createObjectNode();
    GraderFunction.put(byHand, quality);
    assertSameJson(byHand, JSON.valueToTree(quality));
  }

  @Test
  void timings_areWrittenAsJacksonBindsTheRecord() throws Exception {
    var timings = new Timings(1.5, 12.25, 40.0, 30.125, 84.0);
    ObjectNode byHand = JSON.createObjectNode();
    GraderFunction.put(byHand, timings);
    assertSameJson(byHand, JSON.valueToTree(timings));
  }

  private static void assertSameJson(JsonNode byHand, JsonNode bound) throws Exception {
    assertThat(names(byHand)).containsExactlyElementsOf(names(bound));
    assertThat(JSON.writeValueAsString(byHand)).isEqualTo(JSON.writeValueAsString(bound));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
