package dev.vigil.alerts;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the evaluations of one key ({@link Evaluation#key()}) into alerts, the same way for every
 * detector.
 *
 * <ul>
 *   <li><b>Open</b> after {@code fireAfter} consecutive breaching evaluations: {@code openedAt} is
 *       the first breaching evaluation of the run, {@code firedAt} the one that completed it, the
 *       severity the highest in the run.
 *   <li><b>Escalate</b> at once when a breaching evaluation is more severe than the open alert.
 *   <li><b>De-escalate</b> after {@code resolveAfter} consecutive evaluations less severe than the
 *       alert, to the highest severity among them (the same hysteresis as resolving, so an alert
 *       hovering at the critical threshold does not flap).
 *   <li><b>Resolve</b> after {@code resolveAfter} consecutive clean evaluations; {@code resolvedAt}
 *       is the one that completed the run. A later breaching run opens a new alert with a new id.
 * </ul>
 * While an alert is open, nothing is emitted except these changes: no repeated "opened".
 *
 * <p><b>Event-time order.</b> Evaluations wait in a buffer keyed by {@code evaluatedAt} and are
 * applied one at a time, in event time, when the watermark passes them (one event-time timer per
 * buffered timestamp, so the timer queue is the sorted buffer). An evaluation for a timestamp
 * already buffered replaces it (a replay or a recomputation is counted once). An evaluation at or
 * behind the watermark when it arrives is ignored and counted ({@code lateEvaluationsDropped}): at
 * that point evaluations after it may have been applied already (including a replay of itself).
 * Evaluations with an unknown severity or without model, version, segment or kind are dropped and
 * counted ({@code invalidEvaluationsDropped}).
 *
 * <p><b>Bounded state.</b> Per key: the buffer (only evaluations ahead of the watermark) and an
 * {@link AlertTrack}, cleared whenever the last evaluation was clean and no alert is open.
 */
public final class AlertLifecycle extends KeyedProcessFunction<String, Evaluation, AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AlertLifecycle.class);

    public static final String UID = "alert-lifecycle";

    private transient MapState<Long, Evaluation> pending;
    private transient ValueState<AlertTrack> track;
    private transient Counter lateDropped;
    private transient Counter duplicates;
    private transient Counter invalidDropped;
    private transient Counter opened;
    private transient Counter resolved;

    /**
     * Keys the evaluations by {@link Evaluation#key()} and runs the lifecycle on them, as operator
     * {@value #UID}. Union the evaluations of all detectors into one stream first: the alerts of
     * all detectors share the operator, its state and its sinks.
     */
    public static SingleOutputStreamOperator<AlertEvent> apply(DataStream<Evaluation> evaluations) {
        return evaluations
                .keyBy(Evaluation::key, Types.STRING)
                .process(new AlertLifecycle())
                .name("alert lifecycle")
                .uid(UID);
    }

    @Override
    public void open(OpenContext context) {
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, Types.POJO(Evaluation.class)));
        track = getRuntimeContext().getState(new ValueStateDescriptor<>("track", Types.POJO(AlertTrack.class)));
        var metrics = getRuntimeContext().getMetricGroup();
        lateDropped = metrics.counter("lateEvaluationsDropped");
        duplicates = metrics.counter("duplicateEvaluations");
        invalidDropped = metrics.counter("invalidEvaluationsDropped");
        opened = metrics.counter("alertsOpened");
        resolved = metrics.counter("alertsResolved");
    }

    @Override
    public void processElement(Evaluation e, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (!valid(e)) {
            invalidDropped.inc();
            LOG.warn("Dropping invalid evaluation {}", e);
            return;
        }
        if (e.evaluatedAt <= ctx.timerService().currentWatermark()) {
            lateDropped.inc();
            return;
        }
        if (pending.contains(e.evaluatedAt)) {
            duplicates.inc();
        } else {
            ctx.timerService().registerEventTimeTimer(e.evaluatedAt);
        }
        pending.put(e.evaluatedAt, e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        Evaluation e = pending.get(timestamp);
        if (e == null) return;
        pending.remove(timestamp);
        apply(e, out);
    }

    private static boolean valid(Evaluation e) {
        return e.model != null && e.modelVersion != null && e.segment != null && e.kind != null
                && Severity.isValid(e.severity);
    }

    private void apply(Evaluation e, Collector<AlertEvent> out) throws Exception {
        int fireAfter = Math.max(1, e.fireAfter);
        int resolveAfter = Math.max(1, e.resolveAfter);
        int rank = Severity.rank(e.severity);
        AlertTrack s = track.value();
        if (s == null) s = new AlertTrack();

        if (rank > 0) {
            if (s.breaches == 0) {
                s.runStartedAt = e.evaluatedAt;
                s.runSeverity = e.severity;
            } else {
                s.runSeverity = Severity.max(s.runSeverity, e.severity);
            }
            s.breaches++;
            s.cleans = 0;
        } else {
            s.breaches = 0;
            s.runSeverity = null;
            s.cleans++;
        }

        if (!s.alertOpen()) {
            if (rank > 0 && s.breaches >= fireAfter) {
                s.alertId = Evaluation.alertId(e.key(), s.runStartedAt);
                s.openedAt = s.runStartedAt;
                s.firedAt = e.evaluatedAt;
                s.severity = s.runSeverity;
                s.below = 0;
                s.belowSeverity = null;
                opened.inc();
                out.collect(event(s, e, AlertEvent.CHANGE_OPENED, explanation(e)));
            }
        } else {
            int alertRank = Severity.rank(s.severity);
            if (rank == 0 && s.cleans >= resolveAfter) {
                resolved.inc();
                out.collect(event(s, e, AlertEvent.CHANGE_RESOLVED, "Resolved: " + resolveAfter
                        + (resolveAfter == 1 ? " evaluation" : " consecutive evaluations") + " without a breach. "
                        + explanation(e)));
                s.alertId = null;
            } else if (rank > alertRank) {
                s.severity = e.severity;
                s.below = 0;
                s.belowSeverity = null;
                out.collect(event(s, e, AlertEvent.CHANGE_ESCALATED, explanation(e)));
            } else if (rank == alertRank) {
                s.below = 0;
                s.belowSeverity = null;
            } else {
                s.below++;
                s.belowSeverity = Severity.max(s.belowSeverity, e.severity);
                if (s.below >= resolveAfter && s.belowSeverity != null) {
                    String from = s.severity;
                    s.severity = s.belowSeverity;
                    s.below = 0;
                    s.belowSeverity = null;
                    out.collect(event(s, e, AlertEvent.CHANGE_DE_ESCALATED, "De-escalated from " + from + " to "
                            + s.severity + ": " + resolveAfter + (resolveAfter == 1 ? " evaluation" : " consecutive evaluations")
                            + " below " + from + ". " + explanation(e)));
                }
            }
        }

        if (!s.alertOpen() && s.breaches == 0) {
            track.clear();
        } else {
            track.update(s);
        }
    }

    private static AlertEvent event(AlertTrack s, Evaluation e, String change, String explanation) {
        AlertEvent a = new AlertEvent();
        a.alertId = s.alertId;
        a.model = e.model;
        a.modelVersion = e.modelVersion;
        a.segment = e.segment;
        a.feature = e.feature == null ? "" : e.feature;
        a.kind = e.kind;
        a.severity = s.severity;
        boolean resolving = AlertEvent.CHANGE_RESOLVED.equals(change);
        a.status = resolving ? AlertEvent.RESOLVED : AlertEvent.OPEN;
        a.openedAt = s.openedAt;
        a.firedAt = s.firedAt;
        a.updatedAt = e.evaluatedAt;
        a.resolvedAt = resolving ? e.evaluatedAt : null;
        a.score = e.score;
        a.threshold = e.threshold;
        a.explanation = explanation;
        a.change = change;
        return a;
    }

    /** The detector's explanation, or a plain one from the evaluation's fields when it gave none. */
    static String explanation(Evaluation e) {
        if (e.explanation != null && !e.explanation.isBlank()) return e.explanation;
        StringBuilder b = new StringBuilder(e.kind);
        if (e.feature != null && !e.feature.isEmpty()) b.append(" of ").append(e.feature);
        b.append(" for ").append(e.model).append(' ').append(e.modelVersion).append(", segment ").append(e.segment)
                .append(": score ").append(e.score);
        if (e.threshold != null) b.append(", threshold ").append(e.threshold);
        b.append(e.severity == null ? " (within threshold)." : " (" + e.severity + ").");
        return b.toString();
    }
}
