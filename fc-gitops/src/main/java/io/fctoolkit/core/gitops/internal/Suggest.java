package io.fctoolkit.core.gitops.internal;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for near misses: the closest candidate within a small edit distance. */
public final class Suggest {

  private Suggest() {}

  /** The closest candidate, or null when none is close enough to be a likely typo. */
  public static String closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // Allow one edit per three characters (at least one, at most three): "timout" -> "timeout",
    // but "name" does not suggest "image".
    int allowed = Math.max(1, Math.min(3, typed.length() / 3));
    return bestDistance <= allowed ? best : null;
  }

  /** " (did you mean 'x'?)" or the empty string. */
  public static String didYouMean(String typed, Collection<String> candidates) {
    String best = closest(typed, candidates);
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
