package dev.vigil.performance;

import java.util.Arrays;
import java.util.Optional;

/**
 * The metrics a {@link PerformanceAccumulator} reports, by the name used as the key of
 * {@link PerformanceAccumulator#metrics()}, in rows and in alerts ({@code feature} of a
 * {@code performance} alert). Formulas and edge cases: docs/performance-metrics.md.
 */
public enum PerformanceMetric {
    ACCURACY("accuracy", Better.HIGHER),
    PRECISION("precision", Better.HIGHER),
    RECALL("recall", Better.HIGHER),
    F1("f1", Better.HIGHER),
    ROC_AUC("roc_auc", Better.HIGHER),
    LOG_LOSS("log_loss", Better.LOWER),
    BRIER("brier", Better.LOWER),
    ECE("ece", Better.LOWER),
    MACRO_F1("macro_f1", Better.HIGHER),
    MAE("mae", Better.LOWER),
    RMSE("rmse", Better.LOWER),
    MEAN_ERROR("mean_error", Better.CLOSER_TO_ZERO),
    MAPE("mape", Better.LOWER),
    LABEL_COVERAGE("label_coverage", Better.HIGHER),
    LABEL_DELAY_P50_MS("label_delay_p50_ms", Better.LOWER),
    LABEL_DELAY_P90_MS("label_delay_p90_ms", Better.LOWER),
    LABEL_DELAY_P99_MS("label_delay_p99_ms", Better.LOWER);

    /** Which way a metric improves: what "worse than the reference by a margin" means for it. */
    public enum Better {
        HIGHER,
        LOWER,
        /** A bias: both directions away from zero are worse. */
        CLOSER_TO_ZERO
    }

    private final String key;
    private final Better better;

    PerformanceMetric(String key, Better better) {
        this.key = key;
        this.better = better;
    }

    /** The name in {@link PerformanceAccumulator#metrics()}, e.g. {@code roc_auc}. */
    public String key() {
        return key;
    }

    public Better better() {
        return better;
    }

    public static Optional<PerformanceMetric> fromKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }
}
