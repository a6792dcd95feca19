package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.runtime.kafka.SendRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFilesTest {

  @TempDir Path dir;

  private static String text(SendRecord r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }

  @Test
  void oneValue_isOneRecord_withTheKeyAndHeaders() throws Exception {
    List<SendRecord> records = RecordFiles.read("{\"a\":1}", null, "k", "x-a: 1");
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key()).isEqualTo("k");
    assertThat(records.get(0).headers()).containsExactly(Map.entry("x-a", "1"));
    assertThat(text(records.get(0))).isEqualTo("{\"a\":1}");
    assertThat(records.get(0).origin()).isEqualTo("fc.value");
  }

  @Test
  void jsonLines_giveKeysHeadersAndValues_stringsAsText_restAsCompactJson() throws Exception {
    Path file = dir.resolve("r.jsonl");
    Files.writeString(
        file,
        "{\"key\":\"s1\",\"headers\":{\"x-b\":\"2\"},\"value\":{\"id\": 1}}\n"
            + "\n"
            + "{\"value\":\"plain text\"}\n"
            + "{\"key\":null,\"valueFile\":\"photo.bin\"}\n");
    Files.write(dir.resolve("photo.bin"), new byte[] {1, 2, 3});
    List<SendRecord> records = RecordFiles.read(null, file, "default", "x-a: 1");
    assertThat(records)
        .extracting(SendRecord::origin)
        .containsExactly("r.jsonl:1", "r.jsonl:3", "r.jsonl:4");
    assertThat(records.get(0).key()).isEqualTo("s1");
    assertThat(records.get(0).headers())
        .containsExactly(Map.entry("x-a", "1"), Map.entry("x-b", "2"));
    assertThat(text(records.get(0))).isEqualTo("{\"id\":1}");
    assertThat(records.get(1).key()).isEqualTo("default");
    assertThat(text(records.get(1))).isEqualTo("plain text");
    assertThat(records.get(2).value()).containsExactly(1, 2, 3);
  }

  @Test
  void aFolder_isItsFilesInNameOrder_jsonlAsLines_othersAsOneRecord_hiddenAndFoldersLeftOut()
      throws Exception {
    Files.writeString(dir.resolve("b.jsonl"), "{\"value\":\"b1\"}\n{\"value\":\"b2\"}\n");
    Files.writeString(dir.resolve("a.json"), "{\"whole\":true}");
    Files.writeString(dir.resolve(".hidden"), "no");
    Files.createDirectory(dir.resolve("sub"));
    List<SendRecord> records = RecordFiles.read(null, dir, null, null);
    assertThat(records)
        .extracting(SendRecord::origin)
        .containsExactly("a.json", "b.jsonl:1", "b.jsonl:2");
    assertThat(text(records.get(0))).isEqualTo("{\"whole\":true}");
    assertThat(records.get(0).key()).isNull();
  }

  @Test
  void badLines_areRefusedNamingFileLineAndProblem() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    for (String[] c :
        new String[][] {
          {"{\"value\":1,\"kye\":\"x\"}", "unknown field 'kye'"},
          {"[1]", "JSON object"},
          {"{oops", "not JSON"},
          {"{\"key\":\"k\"}", "either 'value' or 'valueFile'"},
          {"{\"value\":1,\"headers\":{\"a\":1}}", "header 'a' is not a string"},
          {"{\"value\":1,\"headers\":{\"a b\":\"1\"}}", "RFC 9110"},
          {"{\"valueFile\":\"missing.bin\"}", "does not exist"}
        }) {
      Files.writeString(file, "{\"value\":\"ok\"}\n" + c[0] + "\n");
      assertThatThrownBy(() -> RecordFiles.read(null, file, null, null))
          .as(c[0])
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("bad.jsonl line 2")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void valueAndRecordsTogether_neither_aMissingPath_andAnEmptyFolder_areRefused() throws Exception {
    assertThatThrownBy(() -> RecordFiles.read("v", dir, null, null))
        .hasMessageContaining("either fc.value");
    assertThatThrownBy(() -> RecordFiles.read(null, null, null, null))
        .hasMessageContaining("-Dfc.value=");
    assertThatThrownBy(() -> RecordFiles.read(null, dir.resolve("nope"), null, null))
        .hasMessageContaining("no such file or folder");
    assertThatThrownBy(() -> RecordFiles.read(null, dir, null, null))
        .hasMessageContaining("holds no records");
  }
}
