package dev.vigil.generator;

import java.util.SplittableRandom;

/**
 * How the people and processes around one model react to its predictions: which share of
 * predictions gets an action and which action, how soon; which share gets ground truth, how late.
 * Delays are lognormal (a median and a log-space sigma), which gives the long right tail real
 * feedback has (most labels within the hour, some after many hours).
 */
final class FeedbackBehaviour {

    /** The actions of the feedback contract, in the order of {@link #actionCumulative}. */
    static final String[] ACTIONS = {"accepted", "overridden", "ignored", "escalated"};
    static final int ACCEPTED = 0;
    static final int OVERRIDDEN = 1;

    /** Share of predictions a person acts on. */
    final double actionShare;
    /** Cumulative weights of accepted, overridden, ignored, escalated. */
    final double[] actionCumulative;
    final double actionDelayMedianSeconds;
    final double actionDelaySigma;
    /** Share of predictions that ever get ground truth. */
    final double labelShare;
    final double labelDelayMedianSeconds;
    final double labelDelaySigma;
    /**
     * Share of ground truth whose timestamp precedes the prediction's by a few seconds (the label
     * system is faster than the inference log's shipping, or its clock is ahead), so it reaches
     * Kafka before the prediction does.
     */
    final double earlyLabelShare;

    FeedbackBehaviour(double actionShare, double[] actionWeights, double actionDelayMedianSeconds,
            double actionDelaySigma, double labelShare, double labelDelayMedianSeconds, double labelDelaySigma,
            double earlyLabelShare) {
        this.actionShare = actionShare;
        this.actionCumulative = Rand.cumulative(actionWeights);
        this.actionDelayMedianSeconds = actionDelayMedianSeconds;
        this.actionDelaySigma = actionDelaySigma;
        this.labelShare = labelShare;
        this.labelDelayMedianSeconds = labelDelayMedianSeconds;
        this.labelDelaySigma = labelDelaySigma;
        this.earlyLabelShare = earlyLabelShare;
    }

    /** The base share of overrides among actions. */
    double overrideRate() {
        double total = actionCumulative[actionCumulative.length - 1];
        return (actionCumulative[OVERRIDDEN] - actionCumulative[ACCEPTED]) / total;
    }

    /**
     * Picks an action from a uniform {@code u} in [0, 1). With {@code overrideRate} in [0, 1] the
     * override share is that rate and the other actions keep their relative weights; with a
     * negative rate the model's own mix applies.
     */
    int action(double u, double overrideRate) {
        double[] c = actionCumulative;
        double total = c[c.length - 1];
        if (overrideRate < 0) {
            return pick(u * total, c);
        }
        if (u < overrideRate) {
            return OVERRIDDEN;
        }
        double overridden = c[OVERRIDDEN] - c[ACCEPTED];
        double v = (u - overrideRate) / (1 - overrideRate) * (total - overridden);
        // Walk the cumulative weights without the override band.
        double acc = 0;
        for (int i = 0; i < c.length; i++) {
            if (i == OVERRIDDEN) {
                continue;
            }
            acc += c[i] - (i == 0 ? 0 : c[i - 1]);
            if (v < acc) {
                return i;
            }
        }
        return c.length - 1;
    }

    private static int pick(double v, double[] cumulative) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (v < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** An action delay in milliseconds, between 0.5 s and 30 minutes. */
    long actionDelayMillis(double gaussian) {
        double s = actionDelayMedianSeconds * Math.exp(actionDelaySigma * gaussian);
        return (long) (Rand.clamp(s, 0.5, 1800) * 1000);
    }

    /** A ground-truth delay in milliseconds, between 1 s and 2 days. */
    long labelDelayMillis(double gaussian) {
        double s = labelDelayMedianSeconds * Math.exp(labelDelaySigma * gaussian);
        return (long) (Rand.clamp(s, 1, 172_800) * 1000);
    }

    /** How far an early label's timestamp precedes the prediction's: 0.2 s to 10 s. */
    static long earlyOffsetMillis(SplittableRandom r) {
        return 200 + (long) (r.nextDouble() * 9_800);
    }
}
