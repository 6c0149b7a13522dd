package dev.vigil.performance;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.io.IOException;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labeled predictions of one window and segment, folded into constant-size state from
 * which the model's performance metrics are computed: what the performance aggregator keeps per
 * (model, version, segment, prediction-time window) while labels trickle in.
 *
 * <p>It is mergeable ({@link #merge}: accumulating A and merging an accumulator of B gives the
 * metrics of accumulating A and B; counts, histograms and therefore AUC and delay quantiles
 * exactly, floating sums to about 1e-12 relative) and has a compact, versioned binary form
 * ({@link #toBytes}, {@link #fromBytes}) so that it can live in Flink state as {@code byte[]}.
 *
 * <p>One implementation per {@link ModelTask}, chosen by {@link #create}. Ranking has no
 * quality metrics yet: its accumulator reports label coverage and label delay only. The
 * metrics, their edge cases and error bounds are in docs/performance-metrics.md.
 *
 * <p>Not thread-safe; one instance belongs to one operator's key.
 */
public abstract class PerformanceAccumulator {
    /** The first byte of {@link #toBytes()}; bumped when the layout changes. */
    static final byte FORMAT_VERSION = 1;
    /** The decision threshold when a spec gives none. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private static final byte BINARY = 1;
    private static final byte MULTICLASS = 2;
    private static final byte REGRESSION = 3;
    private static final byte RANKING = 4;

    private long predictions;
    private long labels;
    private long labelsBeforePrediction;
    private LabelDelayHistogram delays = new LabelDelayHistogram();

    PerformanceAccumulator() {}

    /**
     * An empty accumulator for a model's task.
     *
     * @param positiveLabel binary classification only (ignored otherwise, may be null): the label
     *     whose probability the score is; every other true label is a negative
     * @param threshold binary classification only: a score {@code >= threshold} predicts the
     *     positive label; in [0, 1]
     */
    public static PerformanceAccumulator create(ModelTask task, String positiveLabel, double threshold) {
        Objects.requireNonNull(task, "task cannot be null");
        return switch (task) {
            case BINARY_CLASSIFICATION -> new BinaryClassificationPerformance(positiveLabel, threshold);
            case MULTICLASS_CLASSIFICATION -> new MulticlassPerformance();
            case REGRESSION -> new RegressionPerformance();
            case RANKING -> new RankingPerformance();
        };
    }

    public abstract ModelTask task();

    /** Counts one sampled prediction, labeled or not: the denominator of label coverage. */
    public void addPrediction() {
        predictions++;
    }

    /**
     * Adds the ground truth of one prediction (an outcome of type {@link Outcome#LABEL}). Its
     * delay is {@code feedbackTime - predictionTime}; a label that came before the prediction
     * was logged (negative delay) counts with delay 0 and in {@link #labelsBeforePrediction()}.
     * A label that cannot be scored (no prediction or no truth of the kind the task needs)
     * still counts toward coverage and delay, not toward the quality metrics.
     *
     * @throws IllegalArgumentException when the outcome is not a label
     */
    public void addLabel(Outcome outcome) {
        if (!Outcome.LABEL.equals(outcome.type)) {
            throw new IllegalArgumentException("not a label outcome: " + outcome.type);
        }
        labels++;
        long delay = outcome.feedbackTime - outcome.predictionTime;
        if (delay < 0) {
            labelsBeforePrediction++;
            delay = 0;
        }
        delays.add(delay);
        addGroundTruth(outcome);
    }

    abstract void addGroundTruth(Outcome outcome);

    /**
     * Adds another accumulator of the same task and parameters into this one.
     *
     * @throws IllegalArgumentException when the task or the binary parameters differ
     */
    public void merge(PerformanceAccumulator other) {
        if (other.getClass() != getClass()) {
            throw new IllegalArgumentException("cannot merge " + other.task().specName() + " performance into "
                    + task().specName() + " performance");
        }
        checkMergeable(other);
        if (other == this) other = fromBytes(toBytes());
        predictions += other.predictions;
        labels += other.labels;
        labelsBeforePrediction += other.labelsBeforePrediction;
        delays.merge(other.delays);
        mergeGroundTruth(other);
    }

    void checkMergeable(PerformanceAccumulator other) {}

    abstract void mergeGroundTruth(PerformanceAccumulator other);

    /** Sampled predictions counted by {@link #addPrediction()}. */
    public long predictions() {
        return predictions;
    }

    /** Labels added, whether or not they could be scored. */
    public long labels() {
        return labels;
    }

    /** Labels whose feedback time was before their prediction's time (counted with delay 0). */
    public long labelsBeforePrediction() {
        return labelsBeforePrediction;
    }

    /**
     * Labels that entered the quality metrics (e.g. accuracy): those with both a prediction and
     * a truth the task can use. The sample size to require before alerting on a metric.
     */
    public abstract long evaluatedLabels();

    /**
     * Metric name ({@link PerformanceMetric#key()}) to value, in name order. A metric that is
     * undefined for the data (no positives for recall, no labels for accuracy, all-zero truths
     * for MAPE...) is absent rather than NaN.
     */
    public SortedMap<String, Double> metrics() {
        SortedMap<String, Double> metrics = new TreeMap<>();
        addQualityMetrics(metrics);
        if (predictions > 0) {
            put(metrics, PerformanceMetric.LABEL_COVERAGE, (double) labels / predictions);
        }
        if (delays.count() > 0) {
            put(metrics, PerformanceMetric.LABEL_DELAY_P50_MS, delays.quantile(0.50));
            put(metrics, PerformanceMetric.LABEL_DELAY_P90_MS, delays.quantile(0.90));
            put(metrics, PerformanceMetric.LABEL_DELAY_P99_MS, delays.quantile(0.99));
        }
        return metrics;
    }

    abstract void addQualityMetrics(SortedMap<String, Double> metrics);

    static void put(SortedMap<String, Double> metrics, PerformanceMetric metric, double value) {
        if (Double.isFinite(value)) metrics.put(metric.key(), value);
    }

    /** The label-delay quantile at rank {@code q}, within 1% (NaN without labels). */
    public double labelDelayQuantileMs(double q) {
        return delays.quantile(q);
    }

    /** The compact binary form: a format version byte, the task, then the state. */
    public byte[] toBytes() {
        CompactEncoding.Writer out = new CompactEncoding.Writer(64 + 5 * delays.bucketCount() + encodedSizeHint());
        out.writeByte(FORMAT_VERSION);
        out.writeByte(taskCode(task()));
        out.writeVarLong(predictions);
        out.writeVarLong(labels);
        out.writeVarLong(labelsBeforePrediction);
        delays.write(out);
        writeGroundTruth(out);
        return out.toByteArray();
    }

    abstract void writeGroundTruth(CompactEncoding.Writer out);

    /** About how many bytes {@link #writeGroundTruth} writes, so encoding copies the array once. */
    int encodedSizeHint() {
        return 64;
    }

    /**
     * Reads what {@link #toBytes()} wrote.
     *
     * @throws IllegalArgumentException when the bytes are not a performance accumulator of a
     *     known format version
     */
    public static PerformanceAccumulator fromBytes(byte[] data) {
        if (data == null || data.length < 2) throw new IllegalArgumentException("not a performance accumulator");
        try {
            CompactEncoding.Reader in = new CompactEncoding.Reader(data);
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown performance accumulator format version " + version);
            }
            byte task = in.readByte();
            long predictions = in.readVarLong();
            long labels = in.readVarLong();
            long beforePrediction = in.readVarLong();
            LabelDelayHistogram delays = LabelDelayHistogram.read(in);
            PerformanceAccumulator result = switch (task) {
                case BINARY -> BinaryClassificationPerformance.read(in);
                case MULTICLASS -> MulticlassPerformance.read(in);
                case REGRESSION -> RegressionPerformance.read(in);
                case RANKING -> new RankingPerformance();
                default -> throw new IllegalArgumentException("unknown task code " + task);
            };
            if (in.remaining() > 0) throw new IllegalArgumentException("trailing bytes after performance accumulator");
            result.predictions = predictions;
            result.labels = labels;
            result.labelsBeforePrediction = beforePrediction;
            result.delays = delays;
            return result;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt performance accumulator: " + e.getMessage(), e);
        }
    }

    private static byte taskCode(ModelTask task) {
        return switch (task) {
            case BINARY_CLASSIFICATION -> BINARY;
            case MULTICLASS_CLASSIFICATION -> MULTICLASS;
            case REGRESSION -> REGRESSION;
            case RANKING -> RANKING;
        };
    }

    @Override
    public String toString() {
        return task().specName() + " performance of " + labels + " labels / " + predictions + " predictions: " + metrics();
    }
}
