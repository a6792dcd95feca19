package io.fctoolkit.host.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One JSON object per line on stdout.
 *
 * <p>Hand-written rather than java.util.logging or a JSON library: the host must start in tens of
 * milliseconds and logging frameworks load hundreds of classes before the first line.
 */
public final class JsonLog {
  private final PrintStream out;

  /** Creates a log that writes to {@code out}. */
  public JsonLog(PrintStream out) {
    this.out = out;
  }

  /** Starts an INFO line with the message {@code msg}. */
  public Line info(String msg) {
    return new Line(this, "INFO", msg);
  }

  /** Starts a WARN line with the message {@code msg}. */
  public Line warn(String msg) {
    return new Line(this, "WARN", msg);
  }

  /** Starts an ERROR line with the message {@code msg}. */
  public Line error(String msg) {
    return new Line(this, "ERROR", msg);
  }

  void write(StringBuilder line) {
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes, 0, bytes.length);
      out.flush();
    }
  }

  /** A log line being built; {@link #write()} ends it. */
  public static final class Line {
    private final JsonLog log;
    private final StringBuilder sb = new StringBuilder(160);

    Line(JsonLog log, String level, String msg) {
      this.log = log;
      sb.append("{\"ts\":\"");
      isoTimestamp(System.currentTimeMillis(), sb);
      sb.append("\",\"level\":\"").append(level).append("\",\"msg\":");
      JsonText.quote(msg, sb);
    }

    /** Adds a string field; null values are left out. */
    public Line field(String name, String value) {
      if (value != null) {
        sb.append(",\"").append(name).append("\":");
        JsonText.quote(value, sb);
      }
      return this;
    }

    /** Adds a number field. */
    public Line field(String name, long value) {
      sb.append(",\"").append(name).append("\":").append(value);
      return this;
    }

    /** Adds the type and message of {@code error}, and its causes' messages. */
    public Line error(Throwable error) {
      field("errorType", error.getClass().getName());
      field("error", Errors.describe(error));
      return this;
    }

    /** Writes the line. */
    public void write() {
      sb.append("}\n");
      log.write(sb);
    }
  }

  /**
   * Formats epoch milliseconds as ISO-8601 UTC ({@code 2026-01-01T00:00:00.000Z}) without loading
   * java.time's formatter machinery on the start path.
   */
  static void isoTimestamp(long epochMillis, StringBuilder sb) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
    // Civil-from-days (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    sb.append(year).append('-');
    pad(month, 2, sb);
    sb.append('-');
    pad(day, 2, sb);
    sb.append('T');
    pad(millisOfDay / 3_600_000, 2, sb);
    sb.append(':');
    pad(millisOfDay / 60_000 % 60, 2, sb);
    sb.append(':');
    pad(millisOfDay / 1000 % 60, 2, sb);
    sb.append('.');
    pad(millisOfDay % 1000, 3, sb);
    sb.append('Z');
  }

  private static void pad(long value, int width, StringBuilder sb) {
    String s = Long.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    sb.append(s);
  }
}
