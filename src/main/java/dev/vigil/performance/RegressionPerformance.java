package dev.vigil.performance;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.io.IOException;
import java.util.SortedMap;

/**
 * Regression: sums of errors (prediction − truth), absolute errors, squared errors and
 * absolute percentage errors. A label counts when both the predicted and the true value are
 * finite; MAPE only over non-zero truths.
 */
final class RegressionPerformance extends PerformanceAccumulator {
    private long evaluated;
    private final CompensatedSum error = new CompensatedSum();
    private final CompensatedSum absoluteError = new CompensatedSum();
    private final CompensatedSum squaredError = new CompensatedSum();
    private long nonZeroTruths;
    private final CompensatedSum absolutePercentageError = new CompensatedSum();

    @Override
    public ModelTask task() {
        return ModelTask.REGRESSION;
    }

    @Override
    public long evaluatedLabels() {
        return evaluated;
    }

    @Override
    void addGroundTruth(Outcome outcome) {
        double prediction = outcome.predictedValue;
        double truth = outcome.trueValue;
        if (!Double.isFinite(prediction) || !Double.isFinite(truth)) return;
        double e = prediction - truth;
        evaluated++;
        error.add(e);
        absoluteError.add(Math.abs(e));
        squaredError.add(e * e);
        if (truth != 0) {
            nonZeroTruths++;
            absolutePercentageError.add(Math.abs(e) / Math.abs(truth));
        }
    }

    @Override
    void mergeGroundTruth(PerformanceAccumulator other) {
        RegressionPerformance o = (RegressionPerformance) other;
        evaluated += o.evaluated;
        error.merge(o.error);
        absoluteError.merge(o.absoluteError);
        squaredError.merge(o.squaredError);
        nonZeroTruths += o.nonZeroTruths;
        absolutePercentageError.merge(o.absolutePercentageError);
    }

    @Override
    void addQualityMetrics(SortedMap<String, Double> metrics) {
        if (evaluated > 0) {
            put(metrics, PerformanceMetric.MAE, absoluteError.value() / evaluated);
            put(metrics, PerformanceMetric.RMSE, Math.sqrt(Math.max(0, squaredError.value()) / evaluated));
            put(metrics, PerformanceMetric.MEAN_ERROR, error.value() / evaluated);
        }
        if (nonZeroTruths > 0) {
            put(metrics, PerformanceMetric.MAPE, absolutePercentageError.value() / nonZeroTruths);
        }
    }

    @Override
    void writeGroundTruth(CompactEncoding.Writer out) {
        out.writeVarLong(evaluated);
        out.writeVarLong(nonZeroTruths);
        if (evaluated == 0) return;
        error.write(out);
        absoluteError.write(out);
        squaredError.write(out);
        if (nonZeroTruths > 0) absolutePercentageError.write(out);
    }

    static RegressionPerformance read(CompactEncoding.Reader in) throws IOException {
        RegressionPerformance p = new RegressionPerformance();
        p.evaluated = in.readVarLong();
        p.nonZeroTruths = in.readVarLong();
        if (p.nonZeroTruths > p.evaluated) throw new IOException("more non-zero truths than labels");
        if (p.evaluated == 0) return p;
        p.error.read(in);
        p.absoluteError.read(in);
        p.squaredError.read(in);
        if (p.nonZeroTruths > 0) p.absolutePercentageError.read(in);
        return p;
    }
}
