package io.twinrouter.router.builtin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A TF-IDF cosine index over word tokens, with an inverted index so a query costs one sparse dot
 * product per shared term rather than one per document. Tokens are maximal runs of letters,
 * digits and {@code _}, lower-cased; weight = (1 + ln tf) * (ln((N + 1) / (df + 1)) + 1), and
 * every vector is L2-normalised, so scores are cosines in [0, 1].
 */
final class TfIdfIndex {

  /** The best document and its cosine; index -1 when nothing matched. */
  record Hit(int doc, double cosine) {}

  private final Map<String, Integer> termIds = new HashMap<>();
  private final double[] idf;
  private final int[][] postingDocs;
  private final float[][] postingWeights;
  private final int docCount;

  TfIdfIndex(List<String> documents) {
    docCount = documents.size();
    List<Map<Integer, Integer>> counts = new ArrayList<>(docCount);
    List<Integer> df = new ArrayList<>();
    for (String doc : documents) {
      Map<Integer, Integer> tf = new HashMap<>();
      for (String token : tokens(doc)) {
        int id = termIds.computeIfAbsent(token, t -> termIds.size());
        if (id == df.size()) {
          df.add(0);
        }
        if (tf.merge(id, 1, Integer::sum) == 1) {
          df.set(id, df.get(id) + 1);
        }
      }
      counts.add(tf);
    }
    int terms = termIds.size();
    idf = new double[terms];
    for (int t = 0; t < terms; t++) {
      idf[t] = idf(df.get(t));
    }
    int[] fill = new int[terms];
    postingDocs = new int[terms][];
    postingWeights = new float[terms][];
    for (int t = 0; t < terms; t++) {
      postingDocs[t] = new int[df.get(t)];
      postingWeights[t] = new float[df.get(t)];
    }
    for (int d = 0; d < docCount; d++) {
      Map<Integer, Integer> tf = counts.get(d);
      double norm = 0;
      for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
        double w = weight(e.getValue(), idf[e.getKey()]);
        norm += w * w;
      }
      norm = Math.sqrt(norm);
      for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
        int t = e.getKey();
        postingDocs[t][fill[t]] = d;
        postingWeights[t][fill[t]++] = (float) (weight(e.getValue(), idf[t]) / norm);
      }
    }
  }

  int size() {
    return docCount;
  }

  /** The most similar admitted document; ties go to the lowest index (the bank's row order). */
  Hit nearest(String query, IntPredicate admitted) {
    Map<String, Integer> tf = new HashMap<>();
    for (String token : tokens(query)) {
      tf.merge(token, 1, Integer::sum);
    }
    double[] scores = new double[docCount];
    double norm = 0;
    for (Map.Entry<String, Integer> e : tf.entrySet()) {
      Integer t = termIds.get(e.getKey());
      double w = weight(e.getValue(), t == null ? idf(0) : idf[t]);
      norm += w * w;
      if (t != null) {
        int[] docs = postingDocs[t];
        float[] weights = postingWeights[t];
        for (int i = 0; i < docs.length; i++) {
          scores[docs[i]] += w * weights[i];
        }
      }
    }
    norm = Math.sqrt(norm);
    int best = -1;
    double bestScore = -1;
    for (int d = 0; d < docCount; d++) {
      if (scores[d] > bestScore && admitted.test(d)) {
        best = d;
        bestScore = scores[d];
      }
    }
    return new Hit(best, best < 0 || norm == 0 ? 0 : Math.min(1.0, bestScore / norm));
  }

  private double idf(int df) {
    return Math.log((docCount + 1.0) / (df + 1.0)) + 1.0;
  }

  private static double weight(int tf, double idf) {
    return (1.0 + Math.log(tf)) * idf;
  }

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !isWordChar(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && isWordChar(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(text.substring(start, i).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
