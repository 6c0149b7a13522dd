package dev.vigil.generator;

import java.util.SplittableRandom;

/**
 * The simulated behaviour of one demo model: its segments, feature distributions, prediction
 * function, traffic curve and latency. Subclasses hold the model-specific parts.
 */
abstract class ModelProfile {

    final int index;
    final String name;
    final String version;
    /** Task as named in the monitor spec. */
    final String task;
    final String[] segmentNames;
    /** Every value each segment dimension can take (in generation order). */
    final String[][] segmentValues;
    final FeatureDef[] features;
    /** Prediction labels (classification) or empty (regression). */
    final String[] labels;

    /** Mean events per simulated hour on a weekday, before the rate multiplier. */
    final double ratePerHour;
    /** Hour of day (UTC) at which traffic peaks. */
    final double peakHourUtc;
    /** Amplitude of the daily sinusoid; 0.6 gives a peak/trough ratio of 4. */
    final double dailyAmplitude;

    final double latencyMedianMs;
    final double latencySigma;
    final double timeoutMs;
    /** Writes {@code timestamp} as epoch milliseconds instead of an ISO-8601 string. */
    final boolean epochMillisTimestamps;

    /** Standard deviation of each numeric feature's baseline distribution (NaN for categorical). */
    private double[] referenceSd;
    /** Mean calibrated probability of the positive class (binary classifiers), measured like referenceSd. */
    private double positiveRate = Double.NaN;

    ModelProfile(int index, String name, String version, String task, String[] segmentNames,
            String[][] segmentValues, FeatureDef[] features, String[] labels, double ratePerHour,
            double peakHourUtc, double dailyAmplitude, double latencyMedianMs, double latencySigma,
            double timeoutMs, boolean epochMillisTimestamps) {
        this.index = index;
        this.name = name;
        this.version = version;
        this.task = task;
        this.segmentNames = segmentNames;
        this.segmentValues = segmentValues;
        this.features = features;
        this.labels = labels;
        this.ratePerHour = ratePerHour;
        this.peakHourUtc = peakHourUtc;
        this.dailyAmplitude = dailyAmplitude;
        this.latencyMedianMs = latencyMedianMs;
        this.latencySigma = latencySigma;
        this.timeoutMs = timeoutMs;
        this.epochMillisTimestamps = epochMillisTimestamps;
    }

    /** Draws the segment attributes. */
    abstract void sampleSegments(SplittableRandom r, EventDraft d);

    /** Draws the features, given the segments. */
    abstract void sampleFeatures(SplittableRandom r, EventDraft d);

    /**
     * Computes the prediction from the (final) features. Always consumes the same random draws.
     *
     * @param scoreShift the {@code score_shift} in effect (0 when none)
     */
    abstract void predict(SplittableRandom r, EventDraft d, double scoreShift);

    /** The prediction of the rule-based fallback that answers when the model cannot. */
    abstract void fallbackPrediction(EventDraft d);

    /** How people act on this model's predictions and how its ground truth arrives. */
    abstract FeedbackBehaviour feedback();

    /**
     * Draws the ground truth of a prediction ({@link EventDraft#trueLabel} or
     * {@link EventDraft#trueValue}) from what {@link #predict} recorded. Always consumes the same
     * random draws.
     *
     * @param decoupling the {@code concept_drift} in effect: the probability that the truth is drawn
     *     independently of the model's inputs and prediction (0 when none)
     */
    abstract void groundTruth(SplittableRandom r, EventDraft d, double decoupling);

    boolean isRegression() {
        return labels.length == 0;
    }

    int featureIndex(String feature) {
        for (int i = 0; i < features.length; i++) {
            if (features[i].name.equals(feature)) {
                return i;
            }
        }
        return -1;
    }

    int segmentIndex(String dimension) {
        for (int i = 0; i < segmentNames.length; i++) {
            if (segmentNames[i].equals(dimension)) {
                return i;
            }
        }
        return -1;
    }

    /** Mean rate (events per second) at an instant, before the rate multiplier. */
    double ratePerSecond(long epochMillis) {
        double hour = Math.floorMod(epochMillis, 86_400_000L) / 3_600_000.0;
        double daily = 1.0 + dailyAmplitude * Math.cos(2.0 * Math.PI * (hour - peakHourUtc) / 24.0);
        return ratePerHour / 3600.0 * daily * weeklyFactor(epochMillis);
    }

    /** Monday..Thursday 1.0, Friday 0.95, Saturday 0.75, Sunday 0.7. */
    static double weeklyFactor(long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        int dow = (int) Math.floorMod(day + 3, 7L); // 1970-01-01 was a Thursday; 0 = Monday
        return switch (dow) {
            case 4 -> 0.95;
            case 5 -> 0.75;
            case 6 -> 0.7;
            default -> 1.0;
        };
    }

    /** The baseline standard deviation of a numeric feature, measured on a fixed calibration sample. */
    synchronized double referenceSd(int feature) {
        if (referenceSd == null) {
            referenceSd = calibrate();
        }
        return referenceSd[feature];
    }

    /**
     * The share of positives in the model's traffic (a binary classifier's calibrated probability
     * averaged over a fixed calibration sample): the base rate a decoupled ground truth is drawn with.
     */
    synchronized double positiveRate() {
        if (Double.isNaN(positiveRate)) {
            int n = 20_000;
            double sum = 0;
            EventDraft d = new EventDraft(this);
            SplittableRandom r = new SplittableRandom(0x7a7eL + index);
            for (int i = 0; i < n; i++) {
                d.reset();
                sampleSegments(r, d);
                sampleFeatures(r, d);
                predict(r, d, 0);
                sum += d.truthProbability;
            }
            positiveRate = sum / n;
        }
        return positiveRate;
    }

    private double[] calibrate() {
        int n = 20_000;
        double[] sum = new double[features.length];
        double[] sumSq = new double[features.length];
        EventDraft d = new EventDraft(this);
        SplittableRandom r = new SplittableRandom(0x5eedL + index);
        for (int i = 0; i < n; i++) {
            d.reset();
            sampleSegments(r, d);
            sampleFeatures(r, d);
            for (int f = 0; f < features.length; f++) {
                sum[f] += d.num[f];
                sumSq[f] += d.num[f] * d.num[f];
            }
        }
        double[] sd = new double[features.length];
        for (int f = 0; f < features.length; f++) {
            if (features[f].numeric) {
                double mean = sum[f] / n;
                sd[f] = Math.sqrt(Math.max(0, sumSq[f] / n - mean * mean));
            } else {
                sd[f] = Double.NaN;
            }
        }
        return sd;
    }

    static double[][] cumulativeRows(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = Rand.cumulative(rows[i]);
        }
        return out;
    }
}
