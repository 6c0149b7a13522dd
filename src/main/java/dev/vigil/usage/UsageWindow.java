package dev.vigil.usage;

import dev.vigil.feedback.Outcome;

/**
 * The usage counts of one prediction-time window and segment, kept in keyed state until the
 * window's feedback can no longer arrive. Counts are of the predictions sampled for the feedback
 * join, and of the first action on each of them. A Flink POJO: serialized without Kryo.
 */
public class UsageWindow {
    public static final String ACCEPTED = "accepted";
    public static final String OVERRIDDEN = "overridden";
    public static final String IGNORED = "ignored";
    public static final String ESCALATED = "escalated";

    public long predictions;
    public long errors;
    public long fallbacks;
    public long accepted;
    public long overridden;
    public long ignored;
    public long escalated;
    /** The row was written once (the window closed). */
    public boolean written;
    /** Outcomes arrived since the row was last written. */
    public boolean changed;
    /** The window's adoption rates were evaluated. */
    public boolean evaluated;

    public UsageWindow() {}

    /** Counts a prediction (with its error and fallback flags) or an action; labels do not change usage. */
    public void add(Outcome o) {
        if (Outcome.PREDICTION.equals(o.type)) {
            predictions++;
            if (o.error) errors++;
            if (o.fallback) fallbacks++;
        } else if (Outcome.ACTION.equals(o.type) && o.action != null) {
            switch (o.action) {
                case ACCEPTED -> accepted++;
                case OVERRIDDEN -> overridden++;
                case IGNORED -> ignored++;
                case ESCALATED -> escalated++;
                default -> { } // the join only passes the four actions of the feedback contract
            }
        }
    }

    /** Predictions with a user action. */
    public long feedback() {
        return accepted + overridden + ignored + escalated;
    }

    /** {@code part / whole}, or null when {@code whole} is 0. */
    public static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
