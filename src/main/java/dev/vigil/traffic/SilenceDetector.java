package dev.vigil.traffic;

import dev.vigil.alerts.AlertEvent;
import dev.vigil.alerts.Evaluation;
import dev.vigil.alerts.Severity;
import dev.vigil.profile.WindowKey;
import dev.vigil.spec.DurationText;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SilenceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.util.Collector;

/**
 * Notices a model (keyed by model name) that had traffic and then sends nothing for
 * {@code silence.after}, by whichever clock sees it first:
 * <ul>
 *   <li><b>event time</b>: the watermark passes the end of the model's newest window with traffic
 *       plus {@code after} (other models keep event time moving);
 *   <li><b>wall-clock time</b>: {@code after} of processing time passes without any activity of
 *       the model reaching the job, which also works when every input is idle and event time
 *       stands still.
 * </ul>
 * Both are timers in keyed state (processing-time timers are checkpointed too, so they survive a
 * restore). After a restore every model gets {@code after} of wall-clock time to show up again
 * before it counts as silent, so downtime of the job itself is not reported as silent models.
 *
 * <p>It emits {@link AlertEvent}s itself: the lifecycle applies evaluations when the watermark
 * passes them, which never happens while event time stands still. One alert per silence, kind
 * {@value #KIND}, segment {@code all}, the model's last seen version: opened when silent (never
 * twice), resolved when traffic returns. {@code openedAt} is the end of the newest window with
 * traffic, {@code firedAt} is {@code after} later. State is one small record per model; a model
 * removed from the spec is forgotten at its next timer (an open alert is resolved then).
 */
public final class SilenceDetector extends KeyedProcessFunction<String, ModelActivity, AlertEvent> {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "silence";

    private final MonitorSpec spec;

    private transient ValueState<SilenceTrack> track;
    /** Wall-clock time this subtask (re)started: the grace period after a restore counts from here. */
    private transient long startedAt;
    private transient Counter opened;
    private transient Counter resolved;

    public SilenceDetector(MonitorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        track = getRuntimeContext().getState(new ValueStateDescriptor<>("silence", Types.POJO(SilenceTrack.class)));
        opened = getRuntimeContext().getMetricGroup().counter("silenceAlertsOpened");
        resolved = getRuntimeContext().getMetricGroup().counter("silenceAlertsResolved");
        startedAt = getRuntimeContext() instanceof StreamingRuntimeContext streaming
                ? streaming.getProcessingTimeService().getCurrentProcessingTime()
                : System.currentTimeMillis();
    }

    @Override
    public void processElement(ModelActivity a, Context ctx, Collector<AlertEvent> out) throws Exception {
        ModelSpec model = spec.model(a.model);
        SilenceSpec silence = model == null ? null : model.silence();
        if (silence == null) return;
        SilenceTrack s = track.value();
        if (s == null) s = new SilenceTrack();
        // The version of the newest window; when two versions serve side by side, the greater name, so a replay
        // picks the same one (the alert id contains it).
        if (s.modelVersion == null || a.windowEnd > s.lastWindowEnd
                || (a.windowEnd == s.lastWindowEnd && a.modelVersion != null && a.modelVersion.compareTo(s.modelVersion) > 0)) {
            s.modelVersion = a.modelVersion;
            s.lastWindowEnd = Math.max(s.lastWindowEnd, a.windowEnd);
        }
        s.lastArrival = ctx.timerService().currentProcessingTime();
        if (s.alertOpen()) {
            long returnedAt = Math.max(a.windowStart, s.firedAt);
            resolved.inc();
            out.collect(event(s, a.model, AlertEvent.CHANGE_RESOLVED, returnedAt, (returnedAt - s.openedAt) / 60_000.0,
                    silence, "Resolved: traffic of " + a.model + " returned (events in the window from "
                            + Instant.ofEpochMilli(a.windowStart) + ") after " + minutes(returnedAt - s.openedAt) + "."));
            s.alertId = null;
        }
        if (s.eventTimer == null) {
            s.eventTimer = eventTimeDue(s, model, silence);
            ctx.timerService().registerEventTimeTimer(s.eventTimer);
        }
        if (s.processingTimer == null) {
            s.processingTimer = s.lastArrival + silence.afterMillis();
            ctx.timerService().registerProcessingTimeTimer(s.processingTimer);
        }
        track.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        SilenceTrack s = track.value();
        if (s == null) return;
        boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        if (eventTime) {
            if (s.eventTimer == null || s.eventTimer != timestamp) return; // replaced
            s.eventTimer = null;
        } else {
            if (s.processingTimer == null || s.processingTimer != timestamp) return;
            s.processingTimer = null;
        }
        String modelName = ctx.getCurrentKey();
        ModelSpec model = spec.model(modelName);
        SilenceSpec silence = model == null ? null : model.silence();
        if (silence == null) {
            if (s.alertOpen()) {
                resolved.inc();
                out.collect(event(s, modelName, AlertEvent.CHANGE_RESOLVED, s.firedAt, null, null,
                        "Resolved: " + modelName + " is no longer watched for silence (removed from the monitor spec)."));
            }
            track.clear(); // timers still pending find no state and do nothing
            return;
        }
        long after = silence.afterMillis();
        if (s.alertOpen()) {
            // Already reported. A slow check keeps noticing a spec change while the model stays silent.
            if (!eventTime) {
                s.processingTimer = timestamp + after;
                ctx.timerService().registerProcessingTimeTimer(s.processingTimer);
            }
            track.update(s);
            return;
        }
        if (eventTime) {
            long due = eventTimeDue(s, model, silence);
            if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
                // The input ended (a bounded job, or a drain): the end of the data is not a silent model.
            } else if (timestamp < due) {
                s.eventTimer = due;
                ctx.timerService().registerEventTimeTimer(due);
            } else {
                open(s, modelName, silence, "no events for " + minutes(after) + " of event time while other traffic "
                        + "moved it on", out);
            }
        } else {
            long due = Math.max(s.lastArrival, startedAt) + after;
            if (timestamp < due) {
                s.processingTimer = due;
                ctx.timerService().registerProcessingTimeTimer(due);
            } else {
                open(s, modelName, silence, "nothing reached Vigil for " + minutes(after) + " of wall-clock time", out);
                s.processingTimer = timestamp + after;
                ctx.timerService().registerProcessingTimeTimer(s.processingTimer);
            }
        }
        track.update(s);
    }

    /**
     * When event time shows the silence: the watermark has closed every window up to
     * {@code lastWindowEnd + after}. Activity of a window is only certain once the window closed
     * (before that, only what a checkpoint flushed has arrived), so a silence shorter than a
     * window is judged at the end of the window it ends in.
     */
    private static long eventTimeDue(SilenceTrack s, ModelSpec model, SilenceSpec silence) {
        long silentUntil = s.lastWindowEnd + silence.afterMillis();
        long window = model.windowMillis();
        return Math.floorDiv(silentUntil + window - 1, window) * window - 1;
    }

    private void open(SilenceTrack s, String modelName, SilenceSpec silence, String how, Collector<AlertEvent> out) {
        s.openedAt = s.lastWindowEnd;
        s.firedAt = s.lastWindowEnd + silence.afterMillis();
        s.alertId = Evaluation.alertId(Evaluation.key(modelName, s.modelVersion, WindowKey.ALL, "", KIND), s.openedAt);
        opened.inc();
        out.collect(event(s, modelName, AlertEvent.CHANGE_OPENED, s.firedAt, silence.afterMillis() / 60_000.0, silence,
                modelName + " " + s.modelVersion + " is silent: " + how + " since its last traffic (window ending "
                        + Instant.ofEpochMilli(s.lastWindowEnd) + "). Check that the model's service is up and still "
                        + "logs its inferences to Kafka."));
    }

    private static AlertEvent event(SilenceTrack s, String model, String change, long at, Double score,
                                    SilenceSpec silence, String explanation) {
        AlertEvent a = new AlertEvent();
        a.alertId = s.alertId;
        a.model = model;
        a.modelVersion = s.modelVersion;
        a.segment = WindowKey.ALL;
        a.feature = "";
        a.kind = KIND;
        a.severity = Severity.CRITICAL;
        boolean resolving = AlertEvent.CHANGE_RESOLVED.equals(change);
        a.status = resolving ? AlertEvent.RESOLVED : AlertEvent.OPEN;
        a.openedAt = s.openedAt;
        a.firedAt = s.firedAt;
        a.updatedAt = at;
        a.resolvedAt = resolving ? at : null;
        a.score = score;
        a.threshold = silence == null ? null : silence.afterMillis() / 60_000.0;
        a.explanation = explanation;
        a.change = change;
        return a;
    }

    /** A readable duration: {@code 10m}, {@code 45s}, {@code 12.5 minutes}. */
    static String minutes(long millis) {
        long ms = Math.max(0, millis);
        if (ms % 60_000 == 0 || ms < 60_000) return DurationText.format(Duration.ofMillis(ms - ms % 1000));
        return String.format(Locale.ROOT, "%.1f minutes", ms / 60_000.0);
    }
}
