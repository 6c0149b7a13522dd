package dev.vigil.health;

import dev.vigil.alerts.Evaluation;
import dev.vigil.drift.DriftEvaluator;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Checks each closed window of each segment against the model's service-level objectives
 * ({@code service:}) and input and output checks ({@code checks:}), and emits an
 * {@link Evaluation} per check, at the window's end, clean ones included (they resolve alerts).
 *
 * <p>Keyed like {@link DriftEvaluator#key} (model, version, segment), so the evaluations of one
 * alert key come from one subtask in window order. It reads the merged window profiles the
 * merge operator emits when the watermark closes a window, ahead of that watermark, so the
 * evaluations reach the alert lifecycle before it passes their time. A window re-emitted because
 * late events updated it is checked again: its evaluations, for the same window end, replace the
 * earlier ones in the lifecycle if those have not been applied yet; otherwise the lifecycle drops
 * them as late and counts them. Stateless: every window is judged on its own.
 */
public final class WindowChecks extends KeyedProcessFunction<String, WindowProfile, Evaluation> {
    private static final long serialVersionUID = 1L;

    /** Alert kinds this operator emits. */
    public static final String ERROR_RATE = ServiceHealth.ERROR_RATE;
    public static final String LATENCY_P99 = ServiceHealth.LATENCY_P99;
    public static final String FALLBACK_RATE = ServiceHealth.FALLBACK_RATE;
    public static final String CHECK_MISSING = DataChecks.MISSING;
    public static final String CHECK_OUT_OF_RANGE = DataChecks.OUT_OF_RANGE;
    public static final String CHECK_TYPE_MISMATCH = DataChecks.TYPE_MISMATCH;
    public static final String CHECK_UNSEEN = DataChecks.UNSEEN;
    public static final String STUCK_FEATURE = DataChecks.STUCK;
    public static final String SCORE_MEAN = DataChecks.SCORE_MEAN;
    public static final String LABEL_SHARE = DataChecks.LABEL_SHARE;

    private final MonitorSpec spec;

    private transient Counter windowsChecked;
    private transient Counter windowsRechecked;
    private transient Counter incompatibleProfiles;

    public WindowChecks(MonitorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        var metrics = getRuntimeContext().getMetricGroup();
        windowsChecked = metrics.counter("windowsChecked");
        windowsRechecked = metrics.counter("windowsRecheckedAfterLateEvents");
        incompatibleProfiles = metrics.counter("windowChecksSkippedIncompatibleProfile");
    }

    @Override
    public void processElement(WindowProfile window, Context ctx, Collector<Evaluation> out) {
        ModelSpec model = spec.model(window.model);
        if (model == null || (model.service() == null && model.checks() == null)) return;
        SegmentProfile profile = ProfileCodec.decode(window.profile);
        if (profile.numericCount() != model.numericFeatures().size()
                || profile.categoricalCount() != model.categoricalFeatures().size()) {
            // In flight from before a restart with a spec whose features changed: slots do not line up.
            incompatibleProfiles.inc();
            return;
        }
        windowsChecked.inc();
        if (window.windowEnd <= ctx.timerService().currentWatermark() + 1) windowsRechecked.inc();
        for (Evaluation e : evaluate(model, window.modelVersion, window.segment, window.windowStart, window.windowEnd, profile)) {
            out.collect(e);
        }
    }

    /** Every check of one window and segment of {@code model}; empty when the spec sets none. */
    public static java.util.List<Evaluation> evaluate(ModelSpec model, String version, String segment,
                                                      long windowStart, long windowEnd, SegmentProfile profile) {
        CheckedWindow w = new CheckedWindow(model, version, segment, windowStart, windowEnd);
        java.util.List<Evaluation> out = new java.util.ArrayList<>();
        if (model.service() != null) out.addAll(ServiceHealth.evaluate(w, model.service(), profile));
        if (model.checks() != null) out.addAll(DataChecks.evaluate(w, model.checks(), profile));
        return out;
    }
}
