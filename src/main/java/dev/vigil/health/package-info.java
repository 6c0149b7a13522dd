/**
 * Checks on each closed window of each segment: service-level objectives (error rate, p99
 * latency, fallback rate) and input and output data checks (missing, out-of-range, wrong-type
 * and unseen-category rates, stuck features, the mean score and the share of each predicted
 * label). They read the merged window profiles the profile stage already writes, so they cost
 * no per-event work, and emit {@link dev.vigil.alerts.Evaluation}s to the shared alert
 * lifecycle. Formulas: docs/checks.md.
 */
package dev.vigil.health;
