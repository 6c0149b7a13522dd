package dev.vigil.performance;

import dev.vigil.alerts.Evaluation;
import dev.vigil.feedback.Outcome;
import dev.vigil.feedback.OutcomeSegments;
import dev.vigil.feedback.SegmentOutcome;
import dev.vigil.spec.AdoptionSpec;
import dev.vigil.spec.FeedbackSpec;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.PerformanceSpec;
import dev.vigil.usage.AdoptionCheck;
import dev.vigil.usage.AdoptionHistory;
import dev.vigil.usage.UsageStatsRow;
import dev.vigil.usage.UsageWindow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Usage and performance per prediction-time window, for one model version and segment (keyed by
 * {@link SegmentOutcome#key()}): the consumer of the feedback join's {@link Outcome}s.
 *
 * <p>Every outcome counts in the window of its prediction's time, so feedback that arrives hours
 * later updates the window the prediction belongs to. Per window the state holds the usage
 * counts ({@link UsageWindow}, {@code adoption.window}) and, when the spec has a
 * {@code performance} section, a {@link PerformanceAccumulator} ({@code performance.window}),
 * until the window end plus the feedback join's time-to-live (or the evaluation delay, if longer):
 * no outcome of the window can arrive after that. Outcomes that still do are dropped and counted
 * ({@code outcomesAfterRetentionDropped}, once per outcome).
 *
 * <p><b>Rows.</b> When the watermark passes a window's end its rows are emitted
 * ({@link UsageStatsRow} as {@link #USAGE_STATS}, one {@link PerformanceMetricRow} per metric as
 * the main output). Outcomes that arrive later update the window and its rows are emitted again,
 * at most once per model window of event time (and at the end of input): the sinks upsert on the
 * natural key, so the stored rows become the latest totals.
 *
 * <p><b>Cheap per outcome.</b> An outcome is only appended to a list state and a timer is set at
 * the end of the model window the watermark is in; the accumulators are folded at that timer, one
 * read and write per window touched. So the state backend does not (de)serialize an accumulator
 * per outcome, and the timer doubles as the throttle of rewritten rows.
 *
 * <p><b>Evaluations</b> ({@link #EVALUATIONS}) are emitted from event-time timers, so in event
 * time per key: {@code override_rate} and {@code ignore_rate} at window end +
 * {@code adoption.evaluate-after}, {@code performance} (feature = metric) and
 * {@code label_coverage} at window end + {@code performance.evaluate-after}; their
 * {@code evaluatedAt} is that time, one millisecond ahead of the timer, so the alert lifecycle
 * receives them before the watermark that fired the timer.
 */
public final class OutcomeAggregator extends KeyedProcessFunction<String, SegmentOutcome, PerformanceMetricRow> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "aggregate-outcomes";
    public static final String NAME = "aggregate usage and performance";
    public static final OutputTag<UsageStatsRow> USAGE_STATS = new OutputTag<>("usage-stats", Types.POJO(UsageStatsRow.class)) {};
    public static final OutputTag<Evaluation> EVALUATIONS = new OutputTag<>("outcome-evaluations", Types.POJO(Evaluation.class)) {};

    private final MonitorSpec spec;

    private transient ListState<Outcome> pending;
    private transient MapState<Long, UsageWindow> usage;
    private transient MapState<Long, PerformanceWindow> performance;
    private transient ValueState<AdoptionHistory> adoptionHistory;
    /** The latest event time (prediction or feedback) among this key's outcomes: how far its data reaches. */
    private transient ValueState<Long> dataSeenUntil;
    private transient Counter droppedAfterRetention;
    private transient Counter rowsRewritten;

    public OutcomeAggregator(MonitorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-outcomes", Types.POJO(Outcome.class)));
        usage = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("usage-windows", Types.LONG, Types.POJO(UsageWindow.class)));
        performance = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("performance-windows", Types.LONG, Types.POJO(PerformanceWindow.class)));
        adoptionHistory = getRuntimeContext().getState(
                new ValueStateDescriptor<>("adoption-history", Types.POJO(AdoptionHistory.class)));
        dataSeenUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("data-seen-until", Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup();
        droppedAfterRetention = metrics.counter("outcomesAfterRetentionDropped");
        rowsRewritten = metrics.counter("outcomeWindowsRewritten");
    }

    /** Outcomes dropped because their windows' state was already gone (counted on segment {@code all} only). */
    long droppedAfterRetention() {
        return droppedAfterRetention.getCount();
    }

    // ---- windows and their lifetimes -------------------------------------------------------------

    /** The usage window: {@code adoption.window}, or the hour (rounded up to whole model windows) without an adoption section. */
    static long usageWindowMillis(ModelSpec model) {
        if (model.adoption() != null) return model.adoption().window().toMillis();
        long mw = model.windowMillis();
        return Math.max(1, (AdoptionSpec.DEFAULT_WINDOW.toMillis() + mw - 1) / mw) * mw;
    }

    /** How long after its prediction a feedback event can still be joined: the feedback section's time-to-live. */
    static long feedbackTtlMillis(ModelSpec model) {
        return model.feedback() != null ? model.feedback().ttlMillis() : FeedbackSpec.DEFAULT_TTL.toMillis();
    }

    /** How long after a usage window's end its state is kept. */
    static long usageRetention(ModelSpec model) {
        long evaluate = model.adoption() == null ? 0 : model.adoption().evaluateAfter().toMillis();
        return Math.max(feedbackTtlMillis(model), evaluate);
    }

    /** How long after a performance window's end its state is kept. */
    static long performanceRetention(ModelSpec model) {
        return Math.max(feedbackTtlMillis(model), model.performance().evaluateAfter().toMillis());
    }

    private static long start(long time, long window) {
        return time - Math.floorMod(time, window);
    }

    // ---- input -----------------------------------------------------------------------------------

    @Override
    public void processElement(SegmentOutcome in, Context ctx, Collector<PerformanceMetricRow> out) throws Exception {
        Outcome o = in.outcome;
        ModelSpec model = spec.model(o.model);
        if (model == null) return;
        boolean countsInUsage = !Outcome.LABEL.equals(o.type);
        boolean countsInPerformance = model.performance() != null && !Outcome.ACTION.equals(o.type);
        if (!countsInUsage && !countsInPerformance) return; // a label of a model without a performance section
        long watermark = ctx.timerService().currentWatermark();
        long usageWindow = usageWindowMillis(model);
        boolean usageAlive = countsInUsage
                && start(o.predictionTime, usageWindow) + usageWindow + usageRetention(model) - 1 > watermark;
        boolean performanceAlive = countsInPerformance && start(o.predictionTime, model.performance().window().toMillis())
                + model.performance().window().toMillis() + performanceRetention(model) - 1 > watermark;
        if (!usageAlive && !performanceAlive) {
            if (OutcomeSegments.ALL.equals(in.segment)) droppedAfterRetention.inc();
            return;
        }
        pending.add(o);
        // Fold at the end of the model window the watermark is in: before any window can close
        // (window ends are model-window boundaries), and at most once per model window for late outcomes.
        long mw = model.windowMillis();
        long foldAt = watermark == Long.MIN_VALUE
                ? start(o.predictionTime, mw) + mw - 1
                : start(watermark + 1, mw) + mw - 1;
        ctx.timerService().registerEventTimeTimer(foldAt);
    }

    // ---- timers ----------------------------------------------------------------------------------

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PerformanceMetricRow> out) throws Exception {
        String[] key = ctx.getCurrentKey().split("\u0001", -1);
        ModelSpec model = spec.model(key[0]);
        if (model == null) { // removed from the spec across a restart
            pending.clear();
            usage.clear();
            performance.clear();
            adoptionHistory.clear();
            dataSeenUntil.clear();
            return;
        }
        TimerPass pass = new TimerPass(model, key[1], key[2], timestamp, ctx, out);
        pass.fold();
        pass.usageWindows();
        if (model.performance() != null) pass.performanceWindows();
        if (usage.isEmpty() && performance.isEmpty()) dataSeenUntil.clear();
    }

    /** One timer of one key: folds the pending outcomes, then writes, evaluates and forgets the key's due windows. */
    private final class TimerPass {
        final ModelSpec model;
        final String version;
        final String segment;
        final long now;
        final OnTimerContext ctx;
        final Collector<PerformanceMetricRow> out;
        final long usageWindow;
        final PerformanceSpec perf;
        /**
         * The input ended (a bounded job, or a drain): rows are written, but a window is judged only
         * where the data reaches its evaluation time — the end of the data is not a broken label
         * pipeline, and a bounded replay still judges every window its feedback covers.
         */
        final boolean endOfInput;

        TimerPass(ModelSpec model, String version, String segment, long now, OnTimerContext ctx, Collector<PerformanceMetricRow> out) {
            this.model = model;
            this.version = version;
            this.segment = segment;
            this.now = now;
            this.ctx = ctx;
            this.out = out;
            this.usageWindow = usageWindowMillis(model);
            this.perf = model.performance();
            this.endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        }

        /** Folds the pending outcomes into their windows, one state read and write per window. */
        void fold() throws Exception {
            Iterable<Outcome> outcomes = pending.get();
            if (outcomes == null || !outcomes.iterator().hasNext()) return;
            Map<Long, UsageWindow> usageTouched = new HashMap<>();
            Map<Long, PerformanceAccumulator> perfTouched = new HashMap<>();
            Map<Long, PerformanceWindow> perfWindows = new HashMap<>();
            long usageRetention = usageRetention(model);
            long perfWindow = perf == null ? 0 : perf.window().toMillis();
            long perfRetention = perf == null ? 0 : performanceRetention(model);
            long seen = Long.MIN_VALUE;
            for (Outcome o : outcomes) {
                seen = Math.max(seen, Math.max(o.predictionTime, o.feedbackTime));
                boolean dropped = false;
                long us = start(o.predictionTime, usageWindow);
                if (Outcome.LABEL.equals(o.type)) {
                    // Labels do not change usage counts: no rewrite of the usage row.
                } else if (us + usageWindow + usageRetention - 1 >= now) {
                    UsageWindow u = usageTouched.get(us);
                    if (u == null) {
                        u = usage.get(us);
                        if (u == null) u = newUsageWindow(us);
                        usageTouched.put(us, u);
                    }
                    u.add(o);
                } else {
                    dropped = true;
                }
                if (perf != null && !Outcome.ACTION.equals(o.type)) {
                    long ps = start(o.predictionTime, perfWindow);
                    if (ps + perfWindow + perfRetention - 1 >= now) {
                        PerformanceAccumulator acc = perfTouched.get(ps);
                        if (acc == null) {
                            PerformanceWindow pw = performance.get(ps);
                            if (pw == null) pw = newPerformanceWindow(ps);
                            perfWindows.put(ps, pw);
                            acc = pw.accumulator == null
                                    ? PerformanceAccumulator.create(model.task(), perf.positiveLabel(), perf.threshold())
                                    : PerformanceAccumulator.fromBytes(pw.accumulator);
                            perfTouched.put(ps, acc);
                        }
                        if (Outcome.PREDICTION.equals(o.type)) acc.addPrediction();
                        else if (Outcome.LABEL.equals(o.type)) acc.addLabel(o);
                    } else {
                        dropped = true;
                    }
                }
                if (dropped && OutcomeSegments.ALL.equals(segment)) droppedAfterRetention.inc();
            }
            Long before = dataSeenUntil.value();
            if (before == null || seen > before) dataSeenUntil.update(seen);
            pending.clear();
            for (Map.Entry<Long, UsageWindow> e : usageTouched.entrySet()) {
                e.getValue().changed = true;
                usage.put(e.getKey(), e.getValue());
            }
            for (Map.Entry<Long, PerformanceAccumulator> e : perfTouched.entrySet()) {
                PerformanceWindow pw = perfWindows.get(e.getKey());
                pw.accumulator = e.getValue().toBytes();
                pw.changed = true;
                performance.put(e.getKey(), pw);
            }
        }

        private UsageWindow newUsageWindow(long start) {
            UsageWindow u = new UsageWindow();
            long end = start + usageWindow;
            AdoptionSpec adoption = model.adoption();
            long evaluateAt = adoption == null ? Long.MIN_VALUE : end + adoption.evaluateAfter().toMillis() - 1;
            // A window first seen after its evaluation time is not judged: its evaluation would be behind the watermark.
            u.evaluated = adoption == null || evaluateAt < now;
            timers(end - 1, u.evaluated ? Long.MIN_VALUE : evaluateAt, end + usageRetention(model) - 1);
            return u;
        }

        private PerformanceWindow newPerformanceWindow(long start) {
            PerformanceWindow p = new PerformanceWindow();
            long end = start + perf.window().toMillis();
            long evaluateAt = end + perf.evaluateAfter().toMillis() - 1;
            p.evaluated = evaluateAt < now;
            timers(end - 1, p.evaluated ? Long.MIN_VALUE : evaluateAt, end + performanceRetention(model) - 1);
            return p;
        }

        private void timers(long... times) {
            for (long t : times) {
                if (t > now) ctx.timerService().registerEventTimeTimer(t);
            }
        }

        /** Writes closed windows that are new or changed, evaluates due ones, forgets expired ones; oldest first. */
        void usageWindows() throws Exception {
            AdoptionSpec adoption = model.adoption();
            long retention = usageRetention(model);
            AdoptionHistory history = null;
            for (long start : sortedKeys(usage.keys())) {
                long end = start + usageWindow;
                if (end - 1 > now) break;
                UsageWindow u = usage.get(start);
                boolean dirty = false;
                if (!u.written || u.changed) {
                    if (u.written) rowsRewritten.inc();
                    ctx.output(USAGE_STATS, UsageStatsRow.of(model.name(), version, segment, start, end, u));
                    u.written = true;
                    u.changed = false;
                    dirty = true;
                }
                if (!u.evaluated && adoption != null && end + adoption.evaluateAfter().toMillis() - 1 <= now
                        && dataReaches(end + adoption.evaluateAfter().toMillis())) {
                    if (history == null && adoption.trailing()) {
                        history = adoptionHistory.value();
                        if (history == null) history = new AdoptionHistory();
                    }
                    long evaluatedAt = end + adoption.evaluateAfter().toMillis();
                    for (Evaluation e : AdoptionCheck.evaluate(adoption, model.name(), version, segment, start, end,
                            evaluatedAt, u, history)) {
                        ctx.output(EVALUATIONS, e);
                    }
                    u.evaluated = true;
                    dirty = true;
                }
                if (end + retention - 1 <= now) {
                    usage.remove(start);
                } else if (dirty) {
                    usage.put(start, u);
                }
            }
            if (usage.isEmpty()) {
                // No window left: the segment had no outcomes for the whole retention; its trailing baseline starts over.
                adoptionHistory.clear();
            } else if (history != null) {
                adoptionHistory.update(history);
            }
        }

        /** Whether a window evaluated at {@code evaluatedAt} may be judged now (always, unless the input ended short of it). */
        boolean dataReaches(long evaluatedAt) throws Exception {
            if (!endOfInput) return true;
            Long seen = dataSeenUntil.value();
            return seen != null && seen >= evaluatedAt;
        }

        void performanceWindows() throws Exception {
            long window = perf.window().toMillis();
            long retention = performanceRetention(model);
            for (long start : sortedKeys(performance.keys())) {
                long end = start + window;
                if (end - 1 > now) break;
                PerformanceWindow p = performance.get(start);
                boolean dirty = false;
                PerformanceAccumulator acc = null;
                if (!p.written || p.changed) {
                    if (p.written) rowsRewritten.inc();
                    acc = PerformanceAccumulator.fromBytes(p.accumulator);
                    emitRows(start, end, acc);
                    p.written = true;
                    p.changed = false;
                    dirty = true;
                }
                if (!p.evaluated && end + perf.evaluateAfter().toMillis() - 1 <= now && dataReaches(end + perf.evaluateAfter().toMillis())) {
                    if (acc == null) acc = PerformanceAccumulator.fromBytes(p.accumulator);
                    long evaluatedAt = end + perf.evaluateAfter().toMillis();
                    for (Evaluation e : PerformanceCheck.evaluate(perf, model.name(), version, segment, start, end, evaluatedAt, acc)) {
                        ctx.output(EVALUATIONS, e);
                    }
                    p.evaluated = true;
                    dirty = true;
                }
                if (end + retention - 1 <= now) {
                    performance.remove(start);
                } else if (dirty) {
                    performance.put(start, p);
                }
            }
        }

        private void emitRows(long start, long end, PerformanceAccumulator acc) {
            long scored = acc.evaluatedLabels();
            for (Map.Entry<String, Double> m : acc.metrics().entrySet()) {
                PerformanceMetricRow r = new PerformanceMetricRow();
                r.model = model.name();
                r.modelVersion = version;
                r.segment = segment;
                r.windowStart = start;
                r.windowEnd = end;
                r.metric = m.getKey();
                r.value = m.getValue();
                r.labels = m.getKey().startsWith("label_") ? acc.labels() : scored;
                r.predictions = acc.predictions();
                out.collect(r);
            }
        }
    }

    private static List<Long> sortedKeys(Iterable<Long> keys) {
        List<Long> out = new ArrayList<>();
        if (keys != null) keys.forEach(out::add);
        out.sort(null);
        return out;
    }
}
