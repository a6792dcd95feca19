package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fctoolkit.core.SmokeRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-traffic smoke fixtures read from {@code functions/<function>/smoke/*.json}: valid ones become
 * {@link SmokeRequest}s in file name order; every mistake is reported at its file, line and column
 * with the other gitops errors, so nothing is applied while one is wrong.
 */
class SmokeFixturesTest {

  static final String SMOKE = "functions/grader/smoke/";

  @TempDir Path dir;
  Path root;

  @BeforeEach
  void setUp() {
    root = Fixtures.copyValid(dir.resolve("gitops"));
  }

  private List<ValidationError> errors() {
    return catchThrowableOfType(GitOpsValidationException.class, () -> GitOpsRepository.open(root))
        .errors();
  }

  private static String at(ValidationError e) {
    return e.file() + ":" + e.line() + ":" + e.column() + ": " + e.path() + ": " + e.message();
  }

  @Test
  void fixtures_areReadInFileNameOrder_withDefaults_andJsonBodiesAsJsonText() {
    // Given
    Fixtures.write(
        root,
        SMOKE + "2-grade.json",
        "{\n"
            + "  \"method\": \"PUT\",\n"
            + "  \"path\": \"/grade?dry-run=true\",\n"
            + "  \"headers\": {\"content-type\": \"application/json\", \"x-trace\": \"smoke\"},\n"
            + "  \"body\": {\"photo\": \"https://photos.example.com/1.jpg\", \"pages\": [1, 2]},\n"
            + "  \"expectStatus\": 202\n"
            + "}\n");
    Fixtures.write(root, SMOKE + "1-ping.json", "{\"body\": \"ping\"}");
    Fixtures.write(root, SMOKE + "3-empty.json", "{}");

    // When
    List<SmokeRequest> smoke = GitOpsRepository.open(root).smoke("grader");

    // Then
    assertThat(smoke)
        .containsExactly(
            new SmokeRequest(SMOKE + "1-ping.json", "POST", "/", Map.of(), "ping", 200),
            new SmokeRequest(
                SMOKE + "2-grade.json",
                "PUT",
                "/grade?dry-run=true",
                Map.of("content-type", "application/json", "x-trace", "smoke"),
                "{\"photo\":\"https://photos.example.com/1.jpg\",\"pages\":[1,2]}",
                202),
            new SmokeRequest(SMOKE + "3-empty.json", "POST", "/", Map.of(), "", 200));
  }

  @Test
  void aFunctionWithoutAFolder_hasNoSmoke() {
    assertThat(GitOpsRepository.open(root).smoke("grader")).isEmpty();
  }

  @Test
  void everyMistake_isReportedAtItsFileLineAndColumn_withAHint() {
    // Given one fixture with five mistakes, one that is not JSON, one with a duplicate key
    Fixtures.write(
        root,
        SMOKE + "bad.json",
        "{\n"
            + "  \"methd\": \"GET\",\n"
            + "  \"method\": \"GTE\",\n"
            + "  \"path\": \"grade\",\n"
            + "  \"headers\": {\"Authorization\": \"Bearer abc\", \"x-n\": 1},\n"
            + "  \"expectStatus\": 700\n"
            + "}\n");
    Fixtures.write(root, SMOKE + "broken.json", "{\n  \"path\": \"/\"\n  \"body\": 1\n}\n");
    Fixtures.write(root, SMOKE + "twice.json", "{\"path\": \"/\", \"path\": \"/a\"}");
    Fixtures.write(root, SMOKE + "list.json", "[]");

    // When
    List<ValidationError> errors = errors();

    // Then
    assertThat(errors)
        .extracting(SmokeFixturesTest::at)
        .containsExactly(
            SMOKE + "bad.json:2:3: methd: unknown field 'methd'; did you mean 'method'?",
            SMOKE + "bad.json:3:13: method: unknown HTTP method 'GTE'; did you mean 'GET'?",
            SMOKE + "bad.json:4:11: path: path 'grade' must start with '/' and hold no spaces",
            SMOKE
                + "bad.json:5:15: headers.Authorization: header 'Authorization' carries a"
                + " credential, which does not belong in Git",
            SMOKE + "bad.json:5:53: headers.x-n: a header value must be a string, got a number",
            SMOKE
                + "bad.json:6:19: expectStatus: expectStatus must be an HTTP status from 100 to"
                + " 599, got 700",
            SMOKE
                + "broken.json:3:3: : invalid JSON: Unexpected character ('\"' (code 34)):"
                + " was expecting comma to separate Object entries",
            SMOKE + "list.json:1:1: : expected a JSON object, got [",
            SMOKE + "twice.json:1:15: path: duplicate key 'path'");
    assertThat(errors).allSatisfy(e -> assertThat(e.hint()).isNotBlank());
    // the credential is named, never echoed
    assertThat(errors).noneMatch(e -> (e.message() + e.hint()).contains("Bearer abc"));
  }

  @Test
  void aFolderWithoutItsFunctionFile_andStrayFiles_areErrors() {
    Fixtures.write(root, "functions/grder/smoke/ping.json", "{}");
    Fixtures.write(root, "functions/grader/notes.txt", "x");
    Fixtures.write(root, SMOKE + "ping.yaml", "path: /");

    assertThat(errors())
        .extracting(SmokeFixturesTest::at)
        .containsExactly(
            "functions/grader/notes.txt:0:0: : unexpected entry in the function's folder",
            SMOKE + "ping.yaml:0:0: : unexpected entry in smoke/",
            "functions/grder:0:0: : folder of function 'grder', but there is no"
                + " functions/grder.yaml");
  }
}
