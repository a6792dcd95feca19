package io.fctoolkit.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutRegistryTest {

  @Test
  void builtIn_hasBothLayouts_withDistinctFiducials() {
    LayoutRegistry registry = LayoutRegistry.builtIn();
    assertThat(registry.all()).extracting(Layout::name).containsExactly("math-12", "words-6");
    Layout math = registry.byCode(1).orElseThrow();
    assertThat(math.boxes()).hasSize(12);
    assertThat(math.markerId(0)).isEqualTo(4);
    assertThat(math.markerId(3)).isEqualTo(7);
    assertThat(registry.byName("words-6").orElseThrow().markerId(0)).isEqualTo(8);
  }

  @Test
  void invalidLayouts_areRejectedWithTheReason() {
    var box = new AnswerBox("q1", "1.", 10, 10, 40, 20);
    assertThatThrownBy(() -> new Layout("x", 62, "t", 210, 297, 24, 10, List.of(box)))
        .hasMessageContaining("code 62");
    assertThatThrownBy(() -> new Layout("x", 1, "t", 210, 297, 24, 10, List.of(box, box)))
        .hasMessageContaining("duplicate box id q1");
    assertThatThrownBy(
            () ->
                new Layout(
                    "x",
                    1,
                    "t",
                    210,
                    297,
                    24,
                    10,
                    List.of(new AnswerBox("q", "", 200, 10, 40, 20))))
        .hasMessageContaining("outside the page");
    assertThatThrownBy(() -> new AnswerBox("q", "", 0, 0, 5, 5)).hasMessageContaining("at least");
  }

  @Test
  void unknownJsonFields_areErrors() {
    String json =
        "{\"layouts\":[{\"name\":\"a\",\"code\":3,\"title\":\"t\",\"pageWidth\":210,"
            + "\"pageHeight\":297,\"markerSize\":24,\"markerMargin\":10,\"colour\":\"red\","
            + "\"boxes\":[{\"id\":\"q\",\"prompt\":\"p\",\"x\":50,\"y\":50,\"width\":40,"
            + "\"height\":20}]}]}";
    assertThatThrownBy(
            () ->
                LayoutRegistry.fromJson(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("colour");
  }

  @Test
  void missingOrMistypedJsonFields_areErrorsNamingTheField() throws Exception {
    String good =
        "{\"layouts\":[{\"name\":\"a\",\"code\":3,\"title\":\"t\",\"pageWidth\":210,"
            + "\"pageHeight\":297,\"markerSize\":24,\"markerMargin\":10,"
            + "\"boxes\":[{\"id\":\"q\",\"prompt\":\"p\",\"x\":50,\"y\":50,\"width\":40,"
            + "\"height\":20.5}]}]}";
    Layout a = read(good).byCode(3).orElseThrow();
    assertThat(a.boxes()).containsExactly(new AnswerBox("q", "p", 50, 50, 40, 20.5));
    assertThat(a.pageWidth()).isEqualTo(210);
    assertThatThrownBy(() -> read(good.replace("\"title\":\"t\",", "")))
        .hasMessageContaining("layout a: field \"title\" must be a string");
    assertThatThrownBy(() -> read(good.replace("\"code\":3", "\"code\":3.5")))
        .hasMessageContaining("field \"code\" must be an integer");
    assertThatThrownBy(() -> read(good.replace("\"x\":50", "\"x\":\"50\"")))
        .hasMessageContaining("layout a, box 0: field \"x\" must be a number");
    assertThatThrownBy(() -> read("{\"layouts\":{}}"))
        .hasMessageContaining("field \"layouts\" must be an array");
  }

  private static LayoutRegistry read(String json) throws Exception {
    return LayoutRegistry.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}
