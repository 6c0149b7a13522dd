package dev.vigil.performance;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.io.IOException;
import java.util.SortedMap;

/**
 * Binary classification: the confusion matrix at the decision threshold, probability sums for
 * log loss and Brier score, 10 calibration bins, and per-class score histograms at resolution
 * 1e-4 from which ROC AUC is computed with ties counted one half.
 *
 * <p>A label is positive when it equals the positive label; any other label, including one the
 * spec does not list, is a negative. The predicted class is {@code score >= threshold}; without
 * a score (NaN), the predicted label decides. Score-based metrics (AUC, log loss, Brier, ECE)
 * use only scores in [0, 1]: a NaN score is skipped, a score outside [0, 1] is skipped and
 * counted in {@link #scoresOutOfRange()}.
 */
final class BinaryClassificationPerformance extends PerformanceAccumulator {
    /** Score histogram bins per unit: AUC is exact for scores with at most 4 decimals. */
    static final int SCORE_RESOLUTION = 10_000;
    /** Probabilities are clipped to [ε, 1 − ε] in log loss (scikit-learn's default before 1.3). */
    static final double LOG_LOSS_EPSILON = 1e-15;
    /** Equal-width bins of expected calibration error. */
    static final int CALIBRATION_BINS = 10;

    private final String positiveLabel;
    private final double threshold;

    private long truePositives;
    private long falsePositives;
    private long trueNegatives;
    private long falseNegatives;

    private long scored;
    private long scoresOutOfRange;
    private final CompensatedSum logLoss = new CompensatedSum();
    private final CompensatedSum brier = new CompensatedSum();
    private final long[] binCount = new long[CALIBRATION_BINS];
    private final long[] binPositives = new long[CALIBRATION_BINS];
    private final CompensatedSum[] binScoreSum = new CompensatedSum[CALIBRATION_BINS];

    private SparseCounts positivesByScore = new SparseCounts();
    private SparseCounts negativesByScore = new SparseCounts();

    BinaryClassificationPerformance(String positiveLabel, double threshold) {
        if (positiveLabel == null || positiveLabel.isEmpty()) {
            throw new IllegalArgumentException("binary classification needs a positive label");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
        }
        this.positiveLabel = positiveLabel;
        this.threshold = threshold;
        for (int i = 0; i < CALIBRATION_BINS; i++) binScoreSum[i] = new CompensatedSum();
    }

    @Override
    public ModelTask task() {
        return ModelTask.BINARY_CLASSIFICATION;
    }

    String positiveLabel() {
        return positiveLabel;
    }

    double threshold() {
        return threshold;
    }

    /** Labels with a score outside [0, 1]: not probabilities, left out of the score metrics. */
    long scoresOutOfRange() {
        return scoresOutOfRange;
    }

    /** Labels that entered AUC, log loss, Brier score and ECE. */
    long scoredLabels() {
        return scored;
    }

    @Override
    public long evaluatedLabels() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    @Override
    void addGroundTruth(Outcome outcome) {
        if (outcome.trueLabel == null) return;
        boolean positive = positiveLabel.equals(outcome.trueLabel);
        double score = outcome.score;
        if (!Double.isNaN(score)) {
            countDecision(positive, score >= threshold);
        } else if (outcome.predictedLabel != null) {
            countDecision(positive, positiveLabel.equals(outcome.predictedLabel));
        }
        if (score >= 0 && score <= 1) {
            addScore(positive, score);
        } else if (!Double.isNaN(score)) {
            scoresOutOfRange++;
        }
    }

    private void countDecision(boolean positive, boolean predictedPositive) {
        if (positive) {
            if (predictedPositive) truePositives++;
            else falseNegatives++;
        } else {
            if (predictedPositive) falsePositives++;
            else trueNegatives++;
        }
    }

    private void addScore(boolean positive, double score) {
        scored++;
        double y = positive ? 1 : 0;
        double p = Math.min(Math.max(score, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
        logLoss.add(positive ? -Math.log(p) : -Math.log(1 - p));
        brier.add((score - y) * (score - y));
        int bin = calibrationBin(score);
        binCount[bin]++;
        if (positive) binPositives[bin]++;
        binScoreSum[bin].add(score);
        (positive ? positivesByScore : negativesByScore).add(scoreBin(score), 1);
    }

    /** [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]: the last bin includes 1. */
    static int calibrationBin(double score) {
        return Math.min((int) (score * CALIBRATION_BINS), CALIBRATION_BINS - 1);
    }

    /** The score rounded to 4 decimals, as an integer; monotone in the score. */
    static int scoreBin(double score) {
        return (int) Math.round(score * SCORE_RESOLUTION);
    }

    @Override
    void checkMergeable(PerformanceAccumulator other) {
        BinaryClassificationPerformance o = (BinaryClassificationPerformance) other;
        if (!positiveLabel.equals(o.positiveLabel) || Double.compare(threshold, o.threshold) != 0) {
            throw new IllegalArgumentException("cannot merge binary performance with positive label " + o.positiveLabel
                    + " and threshold " + o.threshold + " into one with " + positiveLabel + " and " + threshold);
        }
    }

    @Override
    void mergeGroundTruth(PerformanceAccumulator other) {
        BinaryClassificationPerformance o = (BinaryClassificationPerformance) other;
        truePositives += o.truePositives;
        falsePositives += o.falsePositives;
        trueNegatives += o.trueNegatives;
        falseNegatives += o.falseNegatives;
        scored += o.scored;
        scoresOutOfRange += o.scoresOutOfRange;
        logLoss.merge(o.logLoss);
        brier.merge(o.brier);
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            binCount[i] += o.binCount[i];
            binPositives[i] += o.binPositives[i];
            binScoreSum[i].merge(o.binScoreSum[i]);
        }
        positivesByScore.merge(o.positivesByScore);
        negativesByScore.merge(o.negativesByScore);
    }

    @Override
    void addQualityMetrics(SortedMap<String, Double> metrics) {
        long decided = evaluatedLabels();
        if (decided > 0) {
            put(metrics, PerformanceMetric.ACCURACY, (double) (truePositives + trueNegatives) / decided);
        }
        if (truePositives + falsePositives > 0) {
            put(metrics, PerformanceMetric.PRECISION, (double) truePositives / (truePositives + falsePositives));
        }
        if (truePositives + falseNegatives > 0) {
            put(metrics, PerformanceMetric.RECALL, (double) truePositives / (truePositives + falseNegatives));
        }
        long f1Denominator = 2 * truePositives + falsePositives + falseNegatives;
        if (f1Denominator > 0) {
            put(metrics, PerformanceMetric.F1, 2.0 * truePositives / f1Denominator);
        }
        if (scored > 0) {
            put(metrics, PerformanceMetric.LOG_LOSS, logLoss.value() / scored);
            put(metrics, PerformanceMetric.BRIER, brier.value() / scored);
            put(metrics, PerformanceMetric.ECE, expectedCalibrationError());
        }
        if (positivesByScore.total() > 0 && negativesByScore.total() > 0) {
            put(metrics, PerformanceMetric.ROC_AUC, rocAuc());
        }
    }

    private double expectedCalibrationError() {
        double ece = 0;
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            if (binCount[i] == 0) continue;
            double meanScore = binScoreSum[i].value() / binCount[i];
            double positiveShare = (double) binPositives[i] / binCount[i];
            ece += (double) binCount[i] / scored * Math.abs(meanScore - positiveShare);
        }
        return ece;
    }

    /**
     * The Mann–Whitney statistic over score bins: for each positive, the negatives below its bin
     * plus half the negatives in its bin, over all positive-negative pairs.
     */
    double rocAuc() {
        double pairs = (double) positivesByScore.total() * negativesByScore.total();
        double wins = 0;
        double negativesBelow = 0;
        int i = 0;
        int j = 0;
        while (i < positivesByScore.size() || j < negativesByScore.size()) {
            int key = Math.min(
                    i < positivesByScore.size() ? positivesByScore.key(i) : Integer.MAX_VALUE,
                    j < negativesByScore.size() ? negativesByScore.key(j) : Integer.MAX_VALUE);
            long negativesHere = 0;
            if (j < negativesByScore.size() && negativesByScore.key(j) == key) negativesHere = negativesByScore.count(j++);
            if (i < positivesByScore.size() && positivesByScore.key(i) == key) {
                wins += positivesByScore.count(i++) * (negativesBelow + 0.5 * negativesHere);
            }
            negativesBelow += negativesHere;
        }
        return wins / pairs;
    }

    /**
     * The most the reported AUC can differ from the AUC of the unrounded scores: half the share
     * of positive-negative pairs whose scores fall in the same 1e-4 bin (those are counted as
     * ties). Zero difference when scores have at most 4 decimals. NaN without both classes.
     */
    double rocAucErrorBound() {
        double pairs = (double) positivesByScore.total() * negativesByScore.total();
        if (pairs == 0) return Double.NaN;
        double sameBin = 0;
        int j = 0;
        for (int i = 0; i < positivesByScore.size(); i++) {
            int key = positivesByScore.key(i);
            while (j < negativesByScore.size() && negativesByScore.key(j) < key) j++;
            if (j < negativesByScore.size() && negativesByScore.key(j) == key) {
                sameBin += (double) positivesByScore.count(i) * negativesByScore.count(j);
            }
        }
        return 0.5 * sameBin / pairs;
    }

    @Override
    void writeGroundTruth(CompactEncoding.Writer out) {
        out.writeText(positiveLabel);
        out.writeDouble(threshold);
        out.writeVarLong(truePositives);
        out.writeVarLong(falsePositives);
        out.writeVarLong(trueNegatives);
        out.writeVarLong(falseNegatives);
        out.writeVarLong(scored);
        out.writeVarLong(scoresOutOfRange);
        if (scored == 0) return;
        logLoss.write(out);
        brier.write(out);
        int usedBins = 0;
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            if (binCount[i] > 0) usedBins |= 1 << i;
        }
        out.writeVarLong(usedBins);
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            if (binCount[i] == 0) continue;
            out.writeVarLong(binCount[i]);
            out.writeVarLong(binPositives[i]);
            binScoreSum[i].write(out);
        }
        positivesByScore.write(out);
        negativesByScore.write(out);
    }

    @Override
    int encodedSizeHint() {
        return 256 + positiveLabel.length() + 5 * (positivesByScore.size() + negativesByScore.size());
    }

    static BinaryClassificationPerformance read(CompactEncoding.Reader in) throws IOException {
        String positiveLabel = in.readText();
        double threshold = in.readDouble();
        BinaryClassificationPerformance p;
        try {
            p = new BinaryClassificationPerformance(positiveLabel, threshold);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        p.truePositives = in.readVarLong();
        p.falsePositives = in.readVarLong();
        p.trueNegatives = in.readVarLong();
        p.falseNegatives = in.readVarLong();
        p.scored = in.readVarLong();
        p.scoresOutOfRange = in.readVarLong();
        if (p.scored == 0) return p;
        p.logLoss.read(in);
        p.brier.read(in);
        int usedBins = in.readVarInt((1 << CALIBRATION_BINS) - 1);
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            if ((usedBins & (1 << i)) == 0) continue;
            p.binCount[i] = in.readVarLong();
            p.binPositives[i] = in.readVarLong();
            p.binScoreSum[i].read(in);
        }
        p.positivesByScore = SparseCounts.read(in, SCORE_RESOLUTION);
        p.negativesByScore = SparseCounts.read(in, SCORE_RESOLUTION);
        if (p.positivesByScore.total() + p.negativesByScore.total() != p.scored) {
            throw new IOException("score histogram does not match the scored count");
        }
        return p;
    }
}
