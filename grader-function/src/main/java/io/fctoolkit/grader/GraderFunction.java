package io.fctoolkit.grader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.fctoolkit.grader.internal.ImageFetcher;
import io.fctoolkit.grader.internal.SubmissionParser;
import io.fctoolkit.grader.internal.WarmUp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The grader as a Functions Framework HTTP function: takes a submission (plain JSON, binary-mode or
 * structured CloudEvent), fetches the photo, grades it and answers JSON.
 *
 * <p>Every failure answers a JSON body {@code {"error":{"code","message","retryable",...}}} with
 * status 4xx when a retry cannot help (triggers send those to the dead-letter topic at once) and
 * 5xx when it may. An unreadable photo is not an error: it is a 200 result with status {@code
 * UNREADABLE} and a reason, so the student can be asked for a new photo.
 */
public final class GraderFunction implements HttpFunction {

  private static final System.Logger LOG = System.getLogger(GraderFunction.class.getName());

  private final GraderConfig config;
  private final WorksheetGrader grader;
  private final ImageFetcher fetcher;
  private final SubmissionParser parser;
  private final ObjectMapper json = new ObjectMapper();

  /** The constructor the host uses: configuration from the process environment. */
  public GraderFunction() {
    this(System.getenv());
  }

  /** A function configured from {@code env} (see {@link GraderConfig}), read once here. */
  public GraderFunction(Map<String, String> env) {
    this.config = GraderConfig.fromEnv(env);
    this.grader = new WorksheetGrader(LayoutRegistry.builtIn(json), config.maxPixels());
    this.fetcher = new ImageFetcher(config);
    this.parser = new SubmissionParser(json);
    WarmUp policy = WarmUp.fromEnv(env);
    int rounds = policy.rounds(env);
    if (rounds > 0 && policy.inBackground(env)) {
      Thread t = new Thread(() -> warmUp(rounds), "grader-warm-up");
      t.setDaemon(true);
      t.start();
    } else if (rounds > 0) {
      warmUp(rounds);
    }
  }

  /**
   * Grades the stored photo {@code rounds} times through the request path (parse a submission,
   * grade, build and serialise the answer; only the fetch is left out, as the file roots may be
   * unset), so that in the host's training run the class-data archive records what a real request
   * loads and runs.
   */
  private void warmUp(int rounds) {
    try {
      byte[] photo = WarmUp.photo();
      byte[] submission =
          ("{\"submissionId\":\"warm-up\",\"studentId\":\"warm-up\",\"worksheetId\":\""
                  + WarmUp.PHOTO_LAYOUT
                  + "\",\"imageUri\":\"file:///warm-up/sheet.jpg\"}")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < rounds; i++) {
        long started = System.nanoTime();
        SubmissionParser.Parsed parsed = parser.parse("application/json", Map.of(), submission);
        SheetGrade grade = grader.grade(photo, parsed.submission().worksheetId());
        json.writeValueAsBytes(resultJson(parsed, grade, 0, (System.nanoTime() - started) / 1e6));
        if (grade.status() == SheetStatus.UNREADABLE) {
          // The boxes were not read: the archive then lacks what a gradable photo needs.
          LOG.log(
              System.Logger.Level.WARNING,
              "warm-up grading of the stored photo gave UNREADABLE ({0})",
              grade.reason());
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "warm-up grading failed; the first request pays", e);
    }
  }

  /** The configuration in force. */
  public GraderConfig config() {
    return config;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    long started = System.nanoTime();
    SubmissionParser.Parsed parsed = null;
    try {
      if (!"POST".equalsIgnoreCase(request.getMethod())) {
        response.appendHeader("Allow", "POST");
        writeError(
            response,
            405,
            "METHOD_NOT_ALLOWED",
            false,
            "Send the submission with POST, not " + request.getMethod(),
            Map.of(),
            null);
        return;
      }
      byte[] body = readBody(request);
      parsed = parser.parse(request.getContentType().orElse(null), request.getHeaders(), body);
      Submission submission = parsed.submission();
      long fetchStart = System.nanoTime();
      byte[] image = fetcher.fetch(submission.imageUri());
      double fetchMs = (System.nanoTime() - fetchStart) / 1e6;
      SheetGrade grade = grader.grade(image, submission.worksheetId());
      writeResult(response, parsed, grade, fetchMs, (System.nanoTime() - started) / 1e6);
    } catch (GraderException e) {
      if (e.httpStatus() >= 500) {
        response.appendHeader("Retry-After", "1");
      }
      writeError(
          response, e.httpStatus(), e.code(), e.retryable(), e.getMessage(), e.details(), parsed);
    } catch (OutOfMemoryError e) {
      // Should not happen (sizes are capped before allocation), but another instance may cope.
      response.appendHeader("Retry-After", "1");
      writeError(
          response,
          503,
          "OUT_OF_MEMORY",
          true,
          "The grader ran out of memory on this photo; a retry may succeed",
          Map.of(),
          parsed);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "grading failed unexpectedly", e);
      writeError(
          response,
          500,
          "INTERNAL_ERROR",
          true,
          "The grader failed unexpectedly ("
              + e.getClass().getSimpleName()
              + "); the details are in the function's log",
          Map.of(),
          parsed);
    }
  }

  private static byte[] readBody(HttpRequest request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(SubmissionParser.MAX_BODY_BYTES + 1);
      if (body.length > SubmissionParser.MAX_BODY_BYTES) {
        throw new MalformedSubmissionException(
            "The request body is larger than "
                + SubmissionParser.MAX_BODY_BYTES
                + " bytes; a submission names its photo by imageUri, it does not carry it",
            Map.of("maxBytes", SubmissionParser.MAX_BODY_BYTES));
      }
      return body;
    }
  }

  private void writeResult(
      HttpResponse response,
      SubmissionParser.Parsed parsed,
      SheetGrade grade,
      double fetchMs,
      double totalMs)
      throws IOException {
    write(response, 200, resultJson(parsed, grade, fetchMs, totalMs));
  }

  private ObjectNode resultJson(
      SubmissionParser.Parsed parsed, SheetGrade grade, double fetchMs, double totalMs) {
    Submission s = parsed.submission();
    ObjectNode root = json.createObjectNode();
    root.put("submissionId", s.submissionId());
    root.put("studentId", s.studentId());
    if (s.worksheetId() != null) {
      root.put("worksheetId", s.worksheetId());
    }
    root.put("layout", grade.layout());
    root.put("status", grade.status().name());
    if (grade.reason() != null) {
      ObjectNode reason = root.putObject("reason");
      reason.put("code", grade.reason().name());
      reason.put("message", grade.reasonMessage());
      reason.put("retryable", false);
    } else {
      root.putNull("reason");
    }
    root.put("completion", grade.completion());
    long answered = grade.boxes().stream().filter(b -> b.state() == BoxState.ANSWERED).count();
    root.put("answered", answered);
    root.put("total", grade.boxes().size());
    var boxes = root.putArray("boxes");
    for (BoxResult box : grade.boxes()) {
      ObjectNode node = boxes.addObject();
      node.put("id", box.id());
      node.put("state", box.state().name());
      node.put("confidence", box.confidence());
      node.put("inkMm2", box.inkMm2());
    }
    // By hand rather than valueToTree: binding the records is a reflective introspection that the
    // first request of every cold instance paid for (docs/performance.md).
    put(root.putObject("quality"), grade.quality());
    put(
        root.putObject("timings"),
        new Timings(
            round(fetchMs), grade.decodeMs(), grade.locateMs(), grade.boxesMs(), round(totalMs)));
    root.put("graderVersion", config.version());
    if (parsed.eventId() != null) {
      ObjectNode event = root.putObject("event");
      event.put("id", parsed.eventId());
      event.put("source", parsed.eventSource());
      event.put("type", parsed.eventType());
    }
    return root;
  }

  /** Writes {@code q}'s components into {@code node}, in order, as Jackson would bind them. */
  static void put(ObjectNode node, Quality q) {
    node.put("width", q.width());
    node.put("height", q.height());
    node.put("subsampling", q.subsampling());
    node.put("brightness", q.brightness());
    node.put("darkFraction", q.darkFraction());
    node.put("brightFraction", q.brightFraction());
    node.put("laplacianVariance", q.laplacianVariance());
    node.put("edgeWidthMm", q.edgeWidthMm());
    node.put("contrast", q.contrast());
    node.put("pxPerMm", q.pxPerMm());
  }

  /** Writes {@code t}'s components into {@code node}, in order, as Jackson would bind them. */
  static void put(ObjectNode node, Timings t) {
    node.put("fetchMs", t.fetchMs());
    node.put("decodeMs", t.decodeMs());
    node.put("locateMs", t.locateMs());
    node.put("boxesMs", t.boxesMs());
    node.put("totalMs", t.totalMs());
  }

  private void writeError(
      HttpResponse response,
      int status,
      String code,
      boolean retryable,
      String message,
      Map<String, Object> details,
      SubmissionParser.Parsed parsed)
      throws IOException {
    ObjectNode root = json.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", message);
    error.put("retryable", retryable);
    error.put("status", status);
    if (!details.isEmpty()) {
      error.set("details", json.valueToTree(details));
    }
    if (parsed != null) {
      error.put("submissionId", parsed.submission().submissionId());
    }
    error.put("graderVersion", config.version());
    write(response, status, root);
  }

  private void write(HttpResponse response, int status, ObjectNode root) throws IOException {
    byte[] bytes = json.writeValueAsBytes(root);
    response.setStatusCode(status);
    response.setContentType("application/json");
    try (OutputStream out = response.getOutputStream()) {
      out.write(bytes);
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
