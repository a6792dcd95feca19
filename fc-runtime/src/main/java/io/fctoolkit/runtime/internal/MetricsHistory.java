package io.fctoolkit.runtime.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The dashboard's history: fixed-size rings of samples, one per series, on one time axis shared by
 * all functions. A series is named by its function and a path ({@code versions/3/p95Ms}, {@code
 * triggers/submissions/partitions/0/lag}); a tick starts a new column in every ring, and a series
 * with no value in a column reads as null.
 *
 * <p>Memory is bounded: each series is one {@code double[capacity]} (720 x 8 = 5,760 bytes at the
 * default), at most {@code maxSeries} of them (1,024: 5.9 MB in all, plus the time ring); a series
 * that got no value for a whole ring is dropped, and past the cap new series are not recorded
 * (counted in {@link #refused()}). {@link HistoryFile} keeps it in the state directory across
 * restarts.
 */
public final class MetricsHistory {

  /** Columns kept: one hour at the default 5 s interval. */
  public static final int DEFAULT_CAPACITY = 720;

  /** Series kept at most, all functions together. */
  public static final int DEFAULT_MAX_SERIES = 1024;

  private final int capacity;
  private final int maxSeries;
  private final long intervalMs;
  private final long[] times;
  private final Map<String, Map<List<String>, Series>> functions = new HashMap<>();
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private int series;
  private long tick = -1;
  private long refused;

  private static final class Series {
    final double[] values;
    long lastTick;

    Series(int capacity) {
      values = new double[capacity];
      Arrays.fill(values, Double.NaN);
    }
  }

  public MetricsHistory(int capacity, int maxSeries, long intervalMs) {
    if (capacity < 2 || maxSeries < 1 || intervalMs < 1) {
      throw new IllegalArgumentException(
          "capacity >= 2, maxSeries >= 1 and intervalMs >= 1 are needed, got "
              + capacity
              + ", "
              + maxSeries
              + ", "
              + intervalMs);
    }
    this.capacity = capacity;
    this.maxSeries = maxSeries;
    this.intervalMs = intervalMs;
    this.times = new long[capacity];
  }

  public long intervalMs() {
    return intervalMs;
  }

  /** Starts a new column at {@code timeMs}; series not written in it read null there. */
  public synchronized void tick(long timeMs) {
    tick++;
    int column = (int) (tick % capacity);
    times[column] = timeMs;
    List<String> emptyFunctions = new ArrayList<>();
    for (Map.Entry<String, Map<List<String>, Series>> f : functions.entrySet()) {
      var it = f.getValue().values().iterator();
      while (it.hasNext()) {
        Series s = it.next();
        if (tick - s.lastTick >= capacity) {
          it.remove();
          series--;
        } else {
          s.values[column] = Double.NaN;
        }
      }
      if (f.getValue().isEmpty()) {
        emptyFunctions.add(f.getKey());
      }
    }
    emptyFunctions.forEach(functions::remove);
  }

  /** Sets a series' value in the current column (NaN for none); ignored before the first tick. */
  public synchronized void put(String function, List<String> path, double value) {
    if (tick < 0) {
      return;
    }
    Map<List<String>, Series> of = functions.computeIfAbsent(function, f -> new HashMap<>());
    Series s = of.get(path);
    if (s == null) {
      if (series >= maxSeries) {
        refused++;
        return;
      }
      s = new Series(capacity);
      of.put(List.copyOf(path), s);
      series++;
    }
    s.values[(int) (tick % capacity)] = value;
    s.lastTick = tick;
  }

  /** Tells {@code listener} the time of each column once the sampler has filled it. */
  public void onSample(LongConsumer listener) {
    listeners.add(listener);
  }

  /** Called by the sampler when a column is complete. */
  void sampled(long timeMs) {
    for (LongConsumer l : listeners) {
      l.accept(timeMs);
    }
  }

  /** Series not recorded because the cap was reached, since start. */
  public synchronized long refused() {
    return refused;
  }

  /** Series kept now. */
  public synchronized int seriesCount() {
    return series;
  }

  /** Upper bound of the bytes the rings take: what the docs quote. */
  public long maxBytes() {
    return (long) maxSeries * capacity * Double.BYTES + (long) capacity * Long.BYTES;
  }

  /**
   * A function's columns later than {@code sinceMs}, oldest first, as JSON-ready maps: {@code
   * {"intervalMs", "times": [...], "series": {nested by path: [values or null]}}}.
   */
  public synchronized Map<String, Object> snapshot(String function, long sinceMs) {
    List<Integer> columns = new ArrayList<>();
    long first = Math.max(0, tick - capacity + 1);
    for (long t = first; t <= tick; t++) {
      int column = (int) (t % capacity);
      if (times[column] > sinceMs) {
        columns.add(column);
      }
    }
    List<Long> timeList = new ArrayList<>(columns.size());
    columns.forEach(c -> timeList.add(times[c]));
    Map<String, Object> tree = new LinkedHashMap<>();
    Map<List<String>, Series> of = functions.getOrDefault(function, Map.of());
    of.entrySet().stream()
        .sorted((a, b) -> String.join("/", a.getKey()).compareTo(String.join("/", b.getKey())))
        .forEach(
            e -> {
              List<Double> values = new ArrayList<>(columns.size());
              for (int c : columns) {
                double v = e.getValue().values[c];
                values.add(Double.isNaN(v) ? null : v);
              }
              place(tree, e.getKey(), values);
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("function", function);
    out.put("intervalMs", intervalMs);
    out.put("times", timeList);
    out.put("series", tree);
    return out;
  }

  /** The format {@link #writeTo} writes; {@link #readFrom} refuses others. */
  static final int FORMAT = 1;

  /**
   * Writes every ring, the time ring and the column counter, so that {@link #readFrom} restores the
   * history as it is (a restarted runtime keeps its last hour). At most {@link #maxBytes()} plus
   * the series' names.
   */
  public synchronized void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(FORMAT);
    out.writeInt(capacity);
    out.writeLong(intervalMs);
    out.writeLong(tick);
    for (long t : times) {
      out.writeLong(t);
    }
    out.writeInt(series);
    for (Map.Entry<String, Map<List<String>, Series>> f : functions.entrySet()) {
      for (Map.Entry<List<String>, Series> e : f.getValue().entrySet()) {
        out.writeUTF(f.getKey());
        out.writeInt(e.getKey().size());
        for (String part : e.getKey()) {
          out.writeUTF(part);
        }
        out.writeLong(e.getValue().lastTick);
        for (double v : e.getValue().values) {
          out.writeDouble(v);
        }
      }
    }
  }

  /**
   * Replaces this history with what {@link #writeTo} wrote, when it was written with the same
   * capacity and interval (else nothing changes and the reason is thrown). Series past {@code
   * maxSeries} are left out.
   *
   * @throws IOException when the data is cut, of another format, capacity or interval
   */
  public synchronized void readFrom(DataInputStream in) throws IOException {
    int format = in.readInt();
    int savedCapacity = in.readInt();
    long savedInterval = in.readLong();
    if (format != FORMAT || savedCapacity != capacity || savedInterval != intervalMs) {
      throw new IOException(
          "written as format "
              + format
              + " with "
              + savedCapacity
              + " columns of "
              + savedInterval
              + " ms; this runtime keeps format "
              + FORMAT
              + " with "
              + capacity
              + " columns of "
              + intervalMs
              + " ms");
    }
    long savedTick = in.readLong();
    long[] savedTimes = new long[capacity];
    for (int i = 0; i < capacity; i++) {
      savedTimes[i] = in.readLong();
    }
    int count = in.readInt();
    if (count < 0 || savedTick < -1) {
      throw new IOException("malformed history: " + count + " series, column " + savedTick);
    }
    Map<String, Map<List<String>, Series>> read = new HashMap<>();
    int kept = 0;
    for (int i = 0; i < count; i++) {
      String function = in.readUTF();
      int parts = in.readInt();
      if (parts < 1 || parts > 16) {
        throw new IOException("malformed history: a series path of " + parts + " parts");
      }
      List<String> path = new ArrayList<>(parts);
      for (int j = 0; j < parts; j++) {
        path.add(in.readUTF());
      }
      Series s = new Series(capacity);
      s.lastTick = in.readLong();
      for (int j = 0; j < capacity; j++) {
        s.values[j] = in.readDouble();
      }
      if (kept < maxSeries) {
        read.computeIfAbsent(function, f -> new HashMap<>()).put(List.copyOf(path), s);
        kept++;
      }
    }
    System.arraycopy(savedTimes, 0, times, 0, capacity);
    tick = savedTick;
    functions.clear();
    functions.putAll(read);
    series = kept;
  }

  @SuppressWarnings("unchecked")
  private static void place(Map<String, Object> tree, List<String> path, Object leaf) {
    Map<String, Object> node = tree;
    for (int i = 0; i < path.size() - 1; i++) {
      Object next = node.computeIfAbsent(path.get(i), k -> new LinkedHashMap<String, Object>());
      if (!(next instanceof Map)) {
        return; // a path that is also a leaf: keep the leaf
      }
      node = (Map<String, Object>) next;
    }
    node.putIfAbsent(path.get(path.size() - 1), leaf);
  }
}
