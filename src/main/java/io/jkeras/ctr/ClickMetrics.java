package io.jkeras.ctr;

/**
 * Exact click-prediction metrics over a whole set of predictions, as scikit-learn computes them:
 * ROC AUC by ranks (ties share their average rank) and mean log loss with predictions clipped to
 * {@code [1e-7, 1 - 1e-7]} (Keras's epsilon).
 *
 * <pre>{@code
 * double auc = ClickMetrics.auc(labels, scores);      // labels 0/1
 * double ll = ClickMetrics.logLoss(labels, scores);
 * }</pre>
 */
public final class ClickMetrics {

  private ClickMetrics() {}

  /**
   * The area under the ROC curve: the probability that a random positive scores above a random
   * negative, ties counting half.
   *
   * @throws IllegalArgumentException when the labels are not all 0/1 or one class is missing
   */
  public static double auc(float[] labels, float[] scores) {
    check(labels, scores);
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Float.compare(scores[x], scores[y]));
    double rankSumPositives = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1; // average 1-based rank of the tie group
      for (int t = i; t <= j; t++) {
        if (labels[order[t]] == 1f) {
          rankSumPositives += rank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "ClickMetrics.auc: needs both classes, got " + positives + " positives of " + n);
    }
    return (rankSumPositives - positives * (positives + 1) / 2.0)
        / ((double) positives * negatives);
  }

  /** Mean binary cross-entropy in double, predictions clipped to {@code [1e-7, 1 - 1e-7]}. */
  public static double logLoss(float[] labels, float[] scores) {
    check(labels, scores);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = Math.min(Math.max(scores[i], 1e-7), 1 - 1e-7);
      sum -= labels[i] == 1f ? Math.log(p) : Math.log(1 - p);
    }
    return sum / labels.length;
  }

  private static void check(float[] labels, float[] scores) {
    if (labels.length != scores.length || labels.length == 0) {
      throw new IllegalArgumentException(
          "ClickMetrics: expected as many scores as labels (and some), got "
              + scores.length
              + " and "
              + labels.length);
    }
    for (float y : labels) {
      if (y != 0f && y != 1f) {
        throw new IllegalArgumentException("ClickMetrics: labels must be 0 or 1, got " + y);
      }
    }
  }
}
