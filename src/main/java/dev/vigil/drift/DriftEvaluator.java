package dev.vigil.drift;

import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.profile.CategoricalProfile;
import dev.vigil.profile.NumericProfile;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.DriftSpec;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Evaluates the drift of one model version and segment (keyed by {@link #key(WindowProfile)}).
 *
 * <p>Keeps the segment's recent window profiles in state and, every {@code drift.every} of event
 * time, merges the last {@code drift.window} of them into one profile (sketches merge; events
 * are never re-read) and compares it with the reference: a stored baseline, or the same span
 * {@code trailing} earlier, merged from the same state. Writes a {@link DriftScoreRow} per feature
 * and the prediction, and an {@link Evaluation} per feature and kind for the alert lifecycle.
 * Formulas: docs/drift-metrics.md.
 */
public final class DriftEvaluator extends KeyedProcessFunction<String, WindowProfile, DriftScoreRow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Evaluation> EVALUATIONS = new OutputTag<>("drift-evaluations", Types.POJO(Evaluation.class)) {};

    /** Alert kinds this evaluator emits. */
    public static final String DRIFT = "drift";
    public static final String MISSING_RATE = "missing_rate";
    public static final String OUT_OF_RANGE = "out_of_range";
    /** Pseudo-features for the model output. */
    public static final String PREDICTION = "prediction";
    public static final String PREDICTED_LABEL = "predicted_label";

    private static final String[] NUMERIC_METRICS = {"psi", "js", "ks", "wasserstein"};
    private static final String[] CATEGORICAL_METRICS = {"psi", "js", "linf", "unseen-share", "chi-square-p"};

    private final MonitorSpec spec;
    private final ReferenceStore references;

    private transient MapState<Long, byte[]> windows;
    private transient Map<String, Map<String, SegmentProfile>> baselines;
    private transient Counter skippedForSamples;
    private transient Counter skippedWithoutReference;

    public DriftEvaluator(MonitorSpec spec, ReferenceStore references) {
        this.spec = spec;
        this.references = references;
    }

    public static String key(WindowProfile p) {
        return p.model + '\u0001' + p.modelVersion + '\u0001' + p.segment;
    }

    @Override
    public void open(OpenContext context) {
        windows = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("window-profiles", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        baselines = new HashMap<>();
        skippedForSamples = getRuntimeContext().getMetricGroup().counter("driftSkippedTooFewSamples");
        skippedWithoutReference = getRuntimeContext().getMetricGroup().counter("driftSkippedWithoutReference");
    }

    @Override
    public void processElement(WindowProfile p, Context ctx, Collector<DriftScoreRow> out) throws Exception {
        ModelSpec model = spec.model(p.model);
        if (model == null || model.drift() == null) return;
        DriftSpec drift = model.drift();
        // A late update replaces the window's earlier profile: profiles are totals, not increments.
        windows.put(p.windowStart, p.profile);
        long every = drift.every().toMillis();
        long evaluateAt = Math.floorDiv(p.windowEnd + every - 1, every) * every;
        ctx.timerService().registerEventTimeTimer(evaluateAt - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftScoreRow> out) throws Exception {
        String[] parts = ctx.getCurrentKey().split("\u0001", -1);
        ModelSpec model = spec.model(parts[0]);
        if (model == null || model.drift() == null) {
            windows.clear();
            return;
        }
        DriftSpec drift = model.drift();
        long end = timestamp + 1;
        long start = end - drift.window().toMillis();
        long horizon = start - (drift.reference().isBaseline() ? 0 : drift.reference().trailing().toMillis());
        SegmentProfile current = merged(model, start, end);
        SegmentProfile reference = drift.reference().isBaseline()
                ? baseline(drift.reference().baseline(), model, parts[2])
                : merged(model, start - drift.reference().trailing().toMillis(), end - drift.reference().trailing().toMillis());
        forgetBefore(horizon);
        if (current == null) return;
        if (reference == null || !compatible(reference, model)) {
            skippedWithoutReference.inc();
            return;
        }
        if (current.events() < drift.minSamples() || reference.events() < drift.minSamples()) {
            skippedForSamples.inc();
            return;
        }
        Evaluator e = new Evaluator(model, drift, parts[1], parts[2], start, end, ctx, out);
        e.run(reference, current);
    }

    private SegmentProfile merged(ModelSpec model, long start, long end) throws Exception {
        SegmentProfile merged = null;
        for (Map.Entry<Long, byte[]> w : windows.entries()) {
            if (w.getKey() < start || w.getKey() >= end) continue;
            if (merged == null) merged = SegmentProfile.empty(model);
            merged.merge(ProfileCodec.decode(w.getValue()));
        }
        return merged;
    }

    private void forgetBefore(long horizon) throws Exception {
        Iterator<Map.Entry<Long, byte[]>> it = windows.iterator();
        while (it.hasNext()) {
            if (it.next().getKey() < horizon) it.remove();
        }
    }

    private SegmentProfile baseline(String name, ModelSpec model, String segment) throws Exception {
        Map<String, SegmentProfile> profiles = baselines.get(name + '\u0001' + model.name());
        if (profiles == null) {
            profiles = references.load(name, model.name());
            baselines.put(name + '\u0001' + model.name(), profiles);
        }
        return profiles.get(segment);
    }

    /** A baseline built for another feature list cannot be compared slot by slot. */
    private static boolean compatible(SegmentProfile reference, ModelSpec model) {
        return reference.numericCount() == model.numericFeatures().size()
                && reference.categoricalCount() == model.categoricalFeatures().size();
    }

    /** One evaluation of one key: compares each feature and the prediction, emits rows and evaluations. */
    private final class Evaluator {
        private final ModelSpec model;
        private final DriftSpec drift;
        private final String version;
        private final String segment;
        private final long start;
        private final long end;
        private final OnTimerContext ctx;
        private final Collector<DriftScoreRow> out;

        Evaluator(ModelSpec model, DriftSpec drift, String version, String segment, long start, long end,
                  OnTimerContext ctx, Collector<DriftScoreRow> out) {
            this.model = model;
            this.drift = drift;
            this.version = version;
            this.segment = segment;
            this.start = start;
            this.end = end;
            this.ctx = ctx;
            this.out = out;
        }

        void run(SegmentProfile reference, SegmentProfile current) {
            List<Pending> categorical = new ArrayList<>();
            for (int i = 0; i < model.numericFeatures().size(); i++) {
                String feature = model.numericFeatures().get(i).name();
                numeric(feature, reference.numeric(i), current.numeric(i), true);
            }
            for (int j = 0; j < model.categoricalFeatures().size(); j++) {
                String feature = model.categoricalFeatures().get(j).name();
                CategoricalProfile r = reference.categorical(j);
                CategoricalProfile c = current.categorical(j);
                if (c.count() < drift.minSamples() || r.count() < drift.minSamples()) continue;
                categorical.add(new Pending(feature, CategoricalDrift.of(r, c), r.count(), c.count(), r, c));
            }
            numeric(PREDICTION, reference.score(), current.score(), false);
            long refLabels = reference.labels().values().stream().mapToLong(Long::longValue).sum();
            long curLabels = current.labels().values().stream().mapToLong(Long::longValue).sum();
            if (refLabels >= drift.minSamples() && curLabels >= drift.minSamples()) {
                categorical.add(new Pending(PREDICTED_LABEL, CategoricalDrift.of(reference.labels(), current.labels()),
                        refLabels, curLabels, null, null));
            }
            boolean[] significant = significance(categorical);
            for (int k = 0; k < categorical.size(); k++) {
                categorical(categorical.get(k), significant[k]);
            }
        }

        /** With {@code fdr} set, the chi-square p-values of one evaluation pass Benjamini–Hochberg together. */
        private boolean[] significance(List<Pending> categorical) {
            boolean[] significant = new boolean[categorical.size()];
            java.util.Arrays.fill(significant, true);
            if (drift.falseDiscoveryRate() == null || categorical.isEmpty()) return significant;
            double[] p = categorical.stream().mapToDouble(c -> c.scores.chiSquareP()).toArray();
            return BenjaminiHochberg.rejected(p, drift.falseDiscoveryRate());
        }

        private void numeric(String feature, NumericProfile r, NumericProfile c, boolean quality) {
            if (c.count() < drift.minSamples() || r.count() < drift.minSamples()) return;
            NumericDriftScores s = NumericDrift.of(r, c);
            DriftScoreRow row = row(feature, r.count(), c.count());
            row.psi = s.psi();
            row.jsDistance = s.js();
            row.ksDistance = s.ks();
            row.wasserstein = s.wasserstein();
            Breach breach = new Breach(feature);
            breach.check("psi", s.psi(), "PSI");
            breach.check("js", s.js(), "JS distance");
            breach.check("ks", s.ks(), "KS distance");
            breach.check("wasserstein", s.wasserstein(), "normalized Wasserstein");
            String shifts = s.topShifts().stream().limit(3).map(b -> b.describe(feature))
                    .collect(java.util.stream.Collectors.joining("; "));
            String worst = breach.emit(DRIFT, shifts);
            if (quality) {
                worst = Severity.max(worst, quality(feature, row, QualityDrift.of(r, c), "out-of-range rate"));
            }
            row.breached = worst;
            row.explanation = breach.explanation(shifts);
            out.collect(row);
        }

        private void categorical(Pending p, boolean significant) {
            CategoricalDriftScores s = p.scores;
            DriftScoreRow row = row(p.feature, p.referenceCount, p.currentCount);
            row.psi = s.psi();
            row.jsDistance = s.js();
            row.linf = s.linf();
            row.chiSquare = s.chiSquare();
            row.chiSquareP = s.chiSquareP();
            row.unseenShare = s.unseenShare();
            Breach breach = new Breach(p.feature);
            breach.check("psi", s.psi(), "PSI");
            breach.check("js", s.js(), "JS distance");
            breach.check("linf", s.linf(), "L∞ distance");
            breach.check("unseen-share", s.unseenShare(), "share of unseen categories");
            if (significant) breach.checkBelow("chi-square-p", s.chiSquareP(), "chi-square p-value");
            String shifts = s.topShifts().stream().limit(3).map(c -> c.describe(p.feature))
                    .collect(java.util.stream.Collectors.joining("; "));
            String worst = breach.emit(DRIFT, shifts);
            if (p.reference != null) {
                worst = Severity.max(worst, quality(p.feature, row, QualityDrift.of(p.reference, p.current),
                        "share of unexpected categories"));
            }
            row.breached = worst;
            row.explanation = breach.explanation(shifts);
            out.collect(row);
        }

        /** Records a feature's missing and out-of-range rates and evaluates how much they rose over the reference. */
        private String quality(String feature, DriftScoreRow row, QualityDrift q, String rangeLabel) {
            row.missingRate = q.currentMissingRate();
            row.referenceMissingRate = q.referenceMissingRate();
            row.outOfRangeRate = q.currentOutOfRangeRate();
            row.referenceOutOfRangeRate = q.referenceOutOfRangeRate();
            String worst = rate(feature, MISSING_RATE, "missing-rate", "missing rate", q.referenceMissingRate(), q.currentMissingRate());
            return Severity.max(worst, rate(feature, OUT_OF_RANGE, "out-of-range-rate", rangeLabel,
                    q.referenceOutOfRangeRate(), q.currentOutOfRangeRate()));
        }

        /** A data-quality rate against the reference: breaches when it rose by at least the threshold. */
        private String rate(String feature, String kind, String metric, String label, Double reference, Double current) {
            DriftSpec.Threshold t = drift.threshold(feature, metric);
            if (t == null || reference == null || current == null) return null;
            double increase = current - reference;
            String severity = increase >= t.critical() ? Severity.CRITICAL : increase >= t.warning() ? Severity.WARNING : null;
            double level = Severity.CRITICAL.equals(severity) ? t.critical() : t.warning();
            send(evaluation(feature, kind).result(severity, increase, level, String.format(Locale.ROOT,
                    "%s of %s in %s is %s against %s in the reference (+%s; %s at +%s)", label, feature, segment,
                    NumericDriftScores.percent(current), NumericDriftScores.percent(reference),
                    NumericDriftScores.percent(Math.max(0, increase)), severity == null ? "alerts" : severity,
                    NumericDriftScores.percent(level))));
            return severity;
        }

        private Evaluation evaluation(String feature, String kind) {
            return new Evaluation(model.name(), version, segment, feature, kind, end).policy(drift.fireAfter(), drift.resolveAfter());
        }

        /** Emits a completed evaluation; it is serialized on the way out, so it must not change afterwards. */
        private void send(Evaluation e) {
            ctx.output(EVALUATIONS, e);
        }

        private DriftScoreRow row(String feature, long referenceSamples, long samples) {
            DriftScoreRow row = new DriftScoreRow();
            row.model = model.name();
            row.modelVersion = version;
            row.segment = segment;
            row.feature = feature;
            row.evaluatedAt = end;
            row.windowStart = start;
            row.reference = drift.reference().describe();
            row.samples = samples;
            row.referenceSamples = referenceSamples;
            return row;
        }

        /** The thresholded metrics of one feature: the worst severity and which metrics crossed what. */
        private final class Breach {
            final String feature;
            String severity;
            Double score;
            Double threshold;
            final List<String> crossed = new ArrayList<>();

            Breach(String feature) {
                this.feature = feature;
            }

            void check(String metric, double value, String label) {
                DriftSpec.Threshold t = drift.threshold(feature, metric);
                if (t == null || Double.isNaN(value)) return;
                String s = value >= t.critical() ? Severity.CRITICAL : value >= t.warning() ? Severity.WARNING : null;
                record(s, value, Severity.CRITICAL.equals(s) ? t.critical() : t.warning(), label + " " + fmt(value)
                        + (s == null ? "" : " (" + s + " at " + fmt(Severity.CRITICAL.equals(s) ? t.critical() : t.warning()) + ")"));
            }

            void checkBelow(String metric, double value, String label) {
                DriftSpec.Threshold t = drift.threshold(feature, metric);
                if (t == null || Double.isNaN(value)) return;
                String s = value <= t.critical() ? Severity.CRITICAL : value <= t.warning() ? Severity.WARNING : null;
                record(s, value, Severity.CRITICAL.equals(s) ? t.critical() : t.warning(), label + " " + fmt(value)
                        + (s == null ? "" : " (" + s + " below " + fmt(Severity.CRITICAL.equals(s) ? t.critical() : t.warning()) + ")"));
            }

            private void record(String s, double value, double level, String text) {
                if (s != null) crossed.add(text);
                if (score == null || Severity.rank(s) > Severity.rank(severity)) {
                    severity = s;
                    score = value;
                    threshold = level;
                }
            }

            String emit(String kind, String shifts) {
                if (score == null) return null; // no thresholded metric for this feature
                send(evaluation(feature, kind).result(severity, score, threshold, explanation(shifts)));
                return severity;
            }

            String explanation(String shifts) {
                String head = crossed.isEmpty()
                        ? feature + " in " + segment + " matches " + drift.reference().describe()
                        : feature + " in " + segment + " drifted from " + drift.reference().describe() + ": " + String.join(", ", crossed);
                return shifts.isEmpty() ? head : head + ". Moved most: " + shifts;
            }
        }
    }

    private record Pending(String feature, CategoricalDriftScores scores, long referenceCount, long currentCount,
                           CategoricalProfile reference, CategoricalProfile current) {}

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
