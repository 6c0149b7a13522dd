/**
 * Model performance once ground truth arrives: the metric mathematics of labeled predictions.
 *
 * <ul>
 *   <li>{@link dev.vigil.performance.PerformanceAccumulator}: the labeled predictions of one
 *       window and segment in constant-size, mergeable, serializable state, and the metrics
 *       computed from it (accuracy, precision, recall, F1, ROC AUC, log loss, Brier score,
 *       expected calibration error, macro F1, MAE, RMSE, mean error, MAPE, label coverage and
 *       label delay quantiles).
 *   <li>{@link dev.vigil.performance.PerformanceMetric}: the metric names and which way each
 *       improves.
 * </ul>
 *
 * <p>Formulas, edge cases and error bounds: docs/performance-metrics.md.
 */
package dev.vigil.performance;
