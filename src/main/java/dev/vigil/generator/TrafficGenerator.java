package dev.vigil.generator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Generates synthetic inference events for the demo models, in (mostly) timestamp order.
 *
 * <p>Time is simulated: arrivals are drawn second by second from each model's rate curve (a
 * daily sinusoid peaking in the afternoon with a 4x peak/trough ratio, lower on weekends) as a
 * Poisson process. Every event is drawn from its own random stream, seeded from the seed and the
 * event's (model, second, index), so the output is a pure function of the configuration and the
 * scenario, and an incident changes only the events inside its interval and segment: everything
 * else stays byte-identical to a run without the incident. Bad records are drawn from separate
 * streams, so the good events do not depend on the bad-record rate either.
 *
 * <p>With {@link GeneratorConfig#feedback()}, each prediction may also get feedback events (see
 * {@link FeedbackBehaviour}): a user's action seconds to minutes later and its ground truth
 * minutes to hours later, drawn from the prediction's own stream, so inference events are the same
 * with or without feedback. They are emitted in feedback-time order among the inference events,
 * as a feedback topic would receive them; feedback due after the simulated end is not emitted (it
 * has not happened yet).
 *
 * <p>With a {@link GeneratorConfig#history()}, the simulation begins that long before the start
 * with clean traffic (no incidents, no bad records); incident offsets count from the start.
 *
 * <p>A generator is a one-shot iterator, not thread-safe. {@link #stats()} reports what has been
 * emitted so far.
 *
 * <pre>
 * TrafficGenerator gen = new TrafficGenerator(config, Scenario.demo());
 * while (gen.hasNext()) {
 *     GeneratedRecord r = gen.next();
 *     ...
 * }
 * GenerationStats stats = gen.stats();
 * </pre>
 */
public final class TrafficGenerator implements Iterator<GeneratedRecord> {

    private static final int NS_NORMAL = 0;
    private static final int NS_SURGE = 1;
    private static final int NS_BAD = 2;
    private static final int MAX_PER_SECOND = (1 << 20) - 1;
    private static final long SECOND_STREAM = 0x5ec0_0d00_5eedL;
    private static final long INCIDENT_STREAM = 0x1c1d_e175L;
    private static final long BAD_STREAM = 0xbad_bad_badL;
    private static final long FEEDBACK_STREAM = 0xfeed_bac_cL;
    /** Index of ground truth in the per-model feedback counts (after the four actions). */
    private static final int LABEL = FeedbackBehaviour.ACTIONS.length;
    private static final String[] UNKNOWN_MODELS = {"churn-predictor", "fraud-scorer-v2", "recommender"};
    private static final String[] GARBAGE = {
        "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    };
    private static final BadRecordKind[] BAD_KINDS = BadRecordKind.values();

    // Serialisation variants for bad records.
    private static final int M_NONE = 0;
    private static final int M_NO_REQUEST_ID = 1;
    private static final int M_NULL_REQUEST_ID = 2;
    private static final int M_NO_TIMESTAMP = 3;
    private static final int M_NO_MODEL_VERSION = 4;
    private static final int M_LATENCY_STRING = 5;
    private static final int M_TIMESTAMP_BOOL = 6;
    private static final int M_STATUS_MAYBE = 7;

    private final GeneratorConfig config;
    private final Scenario scenario;
    private final long seed;
    private final long requestIdMask;
    private final long startMs;
    private final long scenarioStartMs;
    private final long endMs;
    private final boolean feedback;
    /** Predictions from here on get feedback. */
    private final long feedbackFromMs;
    private final long seconds;
    private final ModelProfile[] models;
    private final double[] rateScale;
    private final int[][] numericFeatures;
    private final Active[][] incidents;
    private final EventDraft[] drafts;
    private final EventDraft[] badDrafts;
    private final double badProbability;
    private final long minDelayMs;
    private final long maxDelayMs;
    private final JsonBytes json = new JsonBytes();
    private final Effects fx = new Effects();

    private long nextSecond;
    private boolean finished;
    private long seq;
    private final ArrayList<Pending> batch = new ArrayList<>();
    private final ArrayDeque<Pending> ready = new ArrayDeque<>();
    private final PriorityQueue<Pending> delayed = new PriorityQueue<>(
            Comparator.<Pending>comparingLong(p -> p.emitKey).thenComparingLong(p -> p.seq));

    // Statistics of what has been emitted.
    private long records;
    private long outOfOrder;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;
    private final long[] events;
    private final long[] errors;
    private final long[] fallbacks;
    private final long[] missing;
    private final long[] outOfRange;
    private final long[][] feedbackCounts;
    private final long[] labelsBeforePrediction;
    private final long[] badByKind = new long[BAD_KINDS.length];
    private final Map<String, long[]> badByModel = new TreeMap<>();

    /** A generator without incidents. */
    public TrafficGenerator(GeneratorConfig config) {
        this(config, Scenario.empty());
    }

    public TrafficGenerator(GeneratorConfig config, Scenario scenario) {
        this.config = config;
        this.scenario = scenario == null ? Scenario.empty() : scenario;
        this.seed = config.seed();
        this.requestIdMask = Rand.mix64(seed ^ 0x7265_7175_6573_7421L);
        this.startMs = config.simulationStart().toEpochMilli();
        this.scenarioStartMs = config.start().toEpochMilli();
        this.endMs = config.end().toEpochMilli();
        this.feedback = config.feedback();
        this.feedbackFromMs = scenarioStartMs - Math.min(config.historyFeedback().toMillis(), scenarioStartMs - startMs);
        this.seconds = (endMs - startMs + 999) / 1000;
        List<String> names = config.models();
        int n = names.size();
        this.models = new ModelProfile[n];
        this.rateScale = new double[n];
        this.numericFeatures = new int[n][];
        this.incidents = new Active[n][];
        this.drafts = new EventDraft[n];
        this.badDrafts = new EventDraft[n];
        for (int i = 0; i < n; i++) {
            ModelProfile p = DemoModels.require(names.get(i));
            models[i] = p;
            rateScale[i] = config.ratePerHour(p.name) / p.ratePerHour * config.rateMultiplier();
            List<Integer> nums = new ArrayList<>();
            for (int f = 0; f < p.features.length; f++) {
                if (p.features[f].numeric) {
                    nums.add(f);
                }
            }
            numericFeatures[i] = nums.stream().mapToInt(Integer::intValue).toArray();
            incidents[i] = this.scenario.incidentsFor(p.name).stream()
                    .map(inc -> new Active(inc, p, scenarioStartMs)).toArray(Active[]::new);
            drafts[i] = new EventDraft(p);
            badDrafts[i] = new EventDraft(p);
        }
        double r = config.badRecordRate();
        this.badProbability = r <= 0 ? 0 : r / (1 - r);
        this.maxDelayMs = config.maxOutOfOrderDelay().toMillis();
        this.minDelayMs = Math.min(200, maxDelayMs);
        this.events = new long[n];
        this.errors = new long[n];
        this.fallbacks = new long[n];
        this.missing = new long[n];
        this.outOfRange = new long[n];
        this.feedbackCounts = new long[n][LABEL + 1];
        this.labelsBeforePrediction = new long[n];
    }

    public GeneratorConfig config() {
        return config;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Where the simulation begins (inclusive, the start of the history if any), epoch milliseconds. */
    public long simulatedStartMillis() {
        return startMs;
    }

    /** The scenario's start (incident offsets count from here), epoch milliseconds. */
    public long scenarioStartMillis() {
        return scenarioStartMs;
    }

    /** The simulated end (exclusive), epoch milliseconds. */
    public long simulatedEndMillis() {
        return endMs;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !finished) {
            if (nextSecond < seconds) {
                generateSecond(nextSecond++);
            } else {
                while (!delayed.isEmpty()) {
                    ready.add(delayed.poll());
                }
                finished = true;
            }
        }
        return !ready.isEmpty();
    }

    @Override
    public GeneratedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Pending p = ready.poll();
        count(p);
        return p.record;
    }

    /** The remaining records as a sequential stream. */
    public Stream<GeneratedRecord> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE), false);
    }

    /**
     * Writes the remaining inference records (and bad records) as JSON lines (one payload per line)
     * and returns the statistics; feedback events are left out. The stream is flushed, not closed.
     */
    public GenerationStats writeJsonLines(OutputStream out) throws IOException {
        return writeJsonLines(out, null);
    }

    /**
     * Writes the remaining records as JSON lines: inference and bad records to {@code out},
     * feedback events to {@code feedbackOut} (left out when null). Both are flushed, not closed.
     */
    public GenerationStats writeJsonLines(OutputStream out, OutputStream feedbackOut) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        BufferedOutputStream feedbackBuffered = feedbackOut == null ? null : new BufferedOutputStream(feedbackOut, 1 << 16);
        while (hasNext()) {
            GeneratedRecord r = next();
            BufferedOutputStream target = r.feedback() ? feedbackBuffered : buffered;
            if (target != null) {
                target.write(r.payload());
                target.write('\n');
            }
        }
        buffered.flush();
        if (feedbackBuffered != null) {
            feedbackBuffered.flush();
        }
        return stats();
    }

    /** Generates everything (a convenience for tests and small runs). */
    public static List<GeneratedRecord> generateAll(GeneratorConfig config, Scenario scenario) {
        List<GeneratedRecord> out = new ArrayList<>();
        new TrafficGenerator(config, scenario).forEachRemaining(out::add);
        return out;
    }

    /** A snapshot of what has been emitted so far. */
    public GenerationStats stats() {
        Map<String, Long> ev = new LinkedHashMap<>();
        Map<String, Long> er = new LinkedHashMap<>();
        Map<String, Long> fb = new LinkedHashMap<>();
        Map<String, Long> mi = new LinkedHashMap<>();
        Map<String, Long> oor = new LinkedHashMap<>();
        for (int i = 0; i < models.length; i++) {
            ev.put(models[i].name, events[i]);
            er.put(models[i].name, errors[i]);
            fb.put(models[i].name, fallbacks[i]);
            mi.put(models[i].name, missing[i]);
            oor.put(models[i].name, outOfRange[i]);
        }
        Map<String, Long> bk = new LinkedHashMap<>();
        for (BadRecordKind k : BAD_KINDS) {
            bk.put(k.reason(), badByKind[k.ordinal()]);
        }
        Map<String, Map<String, Long>> fbm = new LinkedHashMap<>();
        Map<String, Long> early = new LinkedHashMap<>();
        if (feedback) {
            for (int i = 0; i < models.length; i++) {
                Map<String, Long> m = new LinkedHashMap<>();
                for (int a = 0; a < LABEL; a++) {
                    m.put(FeedbackBehaviour.ACTIONS[a], feedbackCounts[i][a]);
                }
                m.put(GenerationStats.LABEL, feedbackCounts[i][LABEL]);
                fbm.put(models[i].name, m);
                early.put(models[i].name, labelsBeforePrediction[i]);
            }
        }
        Map<String, Map<String, Long>> bm = new TreeMap<>();
        badByModel.forEach((model, counts) -> {
            Map<String, Long> m = new LinkedHashMap<>();
            for (BadRecordKind k : BAD_KINDS) {
                if (counts[k.ordinal()] > 0) {
                    m.put(k.reason(), counts[k.ordinal()]);
                }
            }
            bm.put(model, m);
        });
        return new GenerationStats(startMs, scenarioStartMs, endMs, records, outOfOrder,
                records == 0 ? startMs : minTs, records == 0 ? startMs : maxTs,
                ev, er, fb, mi, oor, bk, bm, fbm, early, scenario.incidents());
    }

    private void count(Pending p) {
        GeneratedRecord r = p.record;
        if (r.feedback()) {
            feedbackCounts[p.modelSlot][p.feedbackType]++;
            if (p.earlyLabel) {
                labelsBeforePrediction[p.modelSlot]++;
            }
            return;
        }
        records++;
        if (p.bad != null) {
            badByKind[p.bad.ordinal()]++;
            if (r.model() != null) {
                badByModel.computeIfAbsent(r.model(), k -> new long[BAD_KINDS.length])[p.bad.ordinal()]++;
            }
        } else {
            int m = p.modelSlot;
            events[m]++;
            if (p.error) {
                errors[m]++;
            }
            if (p.fallback) {
                fallbacks[m]++;
            }
            missing[m] += p.missing;
            outOfRange[m] += p.outOfRange;
            if (r.eventTimeMillis() < maxTs) {
                outOfOrder++;
            }
        }
        minTs = Math.min(minTs, r.eventTimeMillis());
        maxTs = Math.max(maxTs, r.eventTimeMillis());
    }

    // ---------------------------------------------------------------- generation

    private static long key(int ns, int modelIndex, long second, int index) {
        return ((long) ns << 62) | ((long) modelIndex << 58) | (second << 20) | index;
    }

    private void generateSecond(long s) {
        long secStart = startMs + s * 1000;
        int span = (int) Math.min(1000, endMs - secStart);
        batch.clear();
        for (int mi = 0; mi < models.length; mi++) {
            ModelProfile m = models[mi];
            double lambda = m.ratePerSecond(secStart + span / 2) * rateScale[mi] * span / 1000.0;
            SplittableRandom rs = new SplittableRandom(Rand.derive(seed ^ SECOND_STREAM, key(0, m.index, s, 0)));
            int n = Math.min(MAX_PER_SECOND, Rand.poisson(rs, lambda));
            for (int i = 0; i < n; i++) {
                makeEvent(mi, s, NS_NORMAL, i, secStart, span, 1.0);
            }
            double surge = surgeFactor(mi, secStart, secStart + span);
            if (surge > 1) {
                int extra = Math.min(MAX_PER_SECOND, Rand.poisson(rs, lambda * (surge - 1)));
                for (int i = 0; i < extra; i++) {
                    makeEvent(mi, s, NS_SURGE, i, secStart, span, surge);
                }
            }
        }
        batch.sort(Comparator.<Pending>comparingLong(p -> p.record.eventTimeMillis()).thenComparingLong(p -> p.key));
        for (Pending p : batch) {
            if (p.emitKey > p.record.eventTimeMillis()) {
                p.seq = seq++;
                delayed.add(p);
            } else {
                releaseDelayed(p.record.eventTimeMillis());
                ready.add(p);
            }
            if (p.companion != null) {
                releaseDelayed(p.record.eventTimeMillis());
                ready.add(p.companion);
            }
            if (p.followers != null) {
                // Feedback never overtakes the log of its prediction unless it is an early label.
                for (Pending f : p.followers) {
                    f.emitKey = Math.max(f.emitKey, p.emitKey);
                    f.seq = seq++;
                    delayed.add(f);
                }
            }
        }
        releaseDelayed(secStart + 999);
    }

    private void releaseDelayed(long upTo) {
        while (!delayed.isEmpty() && delayed.peek().emitKey <= upTo) {
            ready.add(delayed.poll());
        }
    }

    /** The largest traffic multiplier above 1 any event of the model can have in [from, to). */
    private double surgeFactor(int mi, long from, long to) {
        double f = 1;
        for (Active a : incidents[mi]) {
            if (a.kind == IncidentKind.TRAFFIC_DROP && a.magnitude > 1 && a.startMs < to && a.endMs > from) {
                f *= a.magnitude;
            }
        }
        return f;
    }

    private void makeEvent(int mi, long s, int ns, int index, long secStart, int span, double surge) {
        ModelProfile m = models[mi];
        long key = key(ns, m.index, s, index);
        long eventSeed = Rand.derive(seed, key);
        SplittableRandom r = new SplittableRandom(eventSeed);
        EventDraft d = drafts[mi];
        d.reset();
        d.timestamp = secStart + r.nextInt(span);
        double uLate = r.nextDouble();
        double uDelay = r.nextDouble();
        m.sampleSegments(r, d);

        fx.collect(incidents[mi], d);
        SplittableRandom ri = null;
        double keep = ns == NS_SURGE
                ? (fx.traffic > 1 ? (fx.traffic - 1) / (surge - 1) : 0)
                : Math.min(1, fx.traffic);
        if (keep < 1) {
            ri = new SplittableRandom(Rand.derive(eventSeed, INCIDENT_STREAM));
            if (ri.nextDouble() >= keep) {
                return;
            }
        }

        m.sampleFeatures(r, d);
        FeatureDef[] fs = m.features;
        for (int f = 0; f < fs.length; f++) {
            if (r.nextDouble() < config.missingRate() * fs[f].missingWeight) {
                d.state[f] = r.nextDouble() < 0.2 ? EventDraft.ABSENT : EventDraft.NULL;
            }
        }
        if (r.nextDouble() < config.outOfRangeRate() && numericFeatures[mi].length > 0) {
            int f = numericFeatures[mi][r.nextInt(numericFeatures[mi].length)];
            int mode = r.nextInt(3);
            double v = mode == 0 ? -1 : mode == 1 ? 99_999 : fs[f].max * (1.5 + 2 * r.nextDouble());
            d.num[f] = fs[f].decimals == 0 ? Math.floor(v) : v;
            d.state[f] = EventDraft.VALUE;
        }
        if (fx.featureOps > 0) {
            if (ri == null) {
                ri = new SplittableRandom(Rand.derive(eventSeed, INCIDENT_STREAM));
            }
            applyFeatureIncidents(d, ri);
        }

        double uError = r.nextDouble();
        double uCode = r.nextDouble();
        double uFallback = r.nextDouble();
        m.predict(r, d, fx.scoreShift);
        double z = Rand.gaussian(r);
        double uTail = r.nextDouble();
        double uPareto = r.nextDouble();
        double uJitter = r.nextDouble();

        d.error = uError < Math.max(config.errorRate(), fx.errorRate);
        double latency = m.latencyMedianMs * Math.exp(m.latencySigma * z);
        if (uTail < 0.01) {
            latency *= 3.0 * Math.pow(1.0 - uPareto, -1.0 / 1.6);
        }
        latency = Math.min(latency, m.timeoutMs * 0.98);
        if (d.error) {
            if (uCode < 0.45) {
                d.errorCode = "TIMEOUT";
                latency = m.timeoutMs * (1 + 0.05 * uJitter);
            } else if (uCode < 0.80) {
                d.errorCode = "UPSTREAM_5XX";
                latency *= 1.2;
            } else {
                d.errorCode = "FEATURE_STORE_UNAVAILABLE";
                latency = 1 + 4 * uJitter;
            }
        } else if (uFallback < config.fallbackRate()) {
            d.fallback = true;
            m.fallbackPrediction(d);
            latency = 0.3 + 2.5 * uJitter;
        }
        d.latencyMs = latency * fx.latencyMult;
        d.requestId = requestId(key);

        writeEvent(json, d, m.name, m.version, M_NONE, 0, null);
        Pending p = new Pending();
        p.key = key;
        p.modelSlot = mi;
        p.error = d.error;
        p.fallback = d.fallback;
        p.missing = d.missingCount();
        p.outOfRange = d.outOfRangeCount();
        p.record = new GeneratedRecord(d.timestamp, m.name, d.requestId, json.toBytes(), false, null);
        p.emitKey = d.timestamp;
        if (uLate < config.outOfOrderRate() && maxDelayMs > 0) {
            p.emitKey = d.timestamp + minDelayMs + (long) (uDelay * (maxDelayMs - minDelayMs));
        }
        if (feedback && !d.error && d.timestamp >= feedbackFromMs) {
            makeFeedback(mi, key, eventSeed, d, p);
        }
        if (badProbability > 0 && d.timestamp >= scenarioStartMs) {
            SplittableRandom rb = new SplittableRandom(Rand.derive(eventSeed, BAD_STREAM));
            if (rb.nextDouble() < badProbability) {
                p.companion = makeBad(mi, rb, key | ((long) NS_BAD << 62), d.timestamp);
            }
        }
        batch.add(p);
    }

    /**
     * Draws the feedback of one prediction from its own random stream (a fixed number of draws, so
     * an incident changes only the feedback of the predictions it covers): an action, then ground
     * truth. Later feedback follows the prediction through the delay queue; an early label joins
     * the current second's batch at its (earlier) timestamp.
     */
    private void makeFeedback(int mi, long key, long eventSeed, EventDraft d, Pending prediction) {
        ModelProfile m = models[mi];
        FeedbackBehaviour fb = m.feedback();
        SplittableRandom rf = new SplittableRandom(Rand.derive(eventSeed, FEEDBACK_STREAM));
        double uAction = rf.nextDouble();
        double uKind = rf.nextDouble();
        double zAction = Rand.gaussian(rf);
        double uLabel = rf.nextDouble();
        double uEarly = rf.nextDouble();
        long earlyOffset = FeedbackBehaviour.earlyOffsetMillis(rf);
        double zLabel = Rand.gaussian(rf);
        m.groundTruth(rf, d, fx.decoupling);

        if (uAction < fb.actionShare) {
            long t = d.timestamp + fb.actionDelayMillis(zAction);
            if (t < endMs) {
                int action = fb.action(uKind, fx.overrideRate);
                writeFeedback(json, d, t, FeedbackBehaviour.ACTIONS[action]);
                prediction.follow(feedbackPending(mi, key, t, action, false));
            }
        }
        if (uLabel < fb.labelShare) {
            boolean early = uEarly < fb.earlyLabelShare;
            long t = early ? d.timestamp - earlyOffset : d.timestamp + fb.labelDelayMillis(zLabel);
            if (t < endMs) {
                writeFeedback(json, d, t, null);
                Pending label = feedbackPending(mi, key, t, LABEL, early);
                if (early) {
                    batch.add(label);
                } else {
                    prediction.follow(label);
                }
            }
        }
    }

    private Pending feedbackPending(int mi, long key, long timestamp, int type, boolean early) {
        Pending f = new Pending();
        f.key = key;
        f.modelSlot = mi;
        f.feedbackType = type;
        f.earlyLabel = early;
        f.emitKey = timestamp;
        EventDraft d = drafts[mi];
        f.record = new GeneratedRecord(timestamp, d.model.name, d.requestId, json.toBytes(), false, null, true);
        return f;
    }

    /** A feedback event as the contract describes it: an action, or (action null) the ground truth. */
    private static void writeFeedback(JsonBytes j, EventDraft d, long timestamp, String action) {
        ModelProfile p = d.model;
        j.reset().beginObject();
        j.name("request_id").string(d.requestId);
        j.name("model").string(p.name);
        j.name("timestamp");
        if (p.epochMillisTimestamps) {
            j.number(timestamp);
        } else {
            j.isoTimestamp(timestamp);
        }
        if (action != null) {
            j.name("action").string(action);
        } else if (p.isRegression()) {
            j.name("value").number(d.trueValue, 2);
        } else {
            j.name("label").string(d.trueLabel);
        }
        j.name("model_version").string(p.version);
        j.endObject();
    }

    private void applyFeatureIncidents(EventDraft d, SplittableRandom ri) {
        for (int k = 0; k < fx.featureOps; k++) {
            Active a = fx.ops[k];
            int f = a.feature;
            switch (a.kind) {
                case NUMERIC_SHIFT -> {
                    if (d.state[f] == EventDraft.VALUE) {
                        double v = d.num[f] + a.shift;
                        d.num[f] = d.model.features[f].decimals == 0 ? Math.rint(v) : v;
                    }
                }
                case NEW_CATEGORY -> {
                    if (ri.nextDouble() < a.magnitude) {
                        d.cat[f] = a.stringValue;
                        d.state[f] = EventDraft.VALUE;
                    }
                }
                case STUCK_FEATURE -> {
                    if (ri.nextDouble() < a.magnitude) {
                        if (d.model.features[f].numeric) {
                            d.num[f] = a.numericValue;
                        } else {
                            d.cat[f] = a.stringValue;
                        }
                        d.state[f] = EventDraft.VALUE;
                    }
                }
                default -> {
                }
            }
        }
    }

    private Pending makeBad(int mi, SplittableRandom rb, long key, long timestamp) {
        ModelProfile m = models[mi];
        EventDraft d = badDrafts[mi];
        d.reset();
        d.timestamp = timestamp;
        m.sampleSegments(rb, d);
        m.sampleFeatures(rb, d);
        m.predict(rb, d, 0);
        d.latencyMs = Rand.logNormal(rb, m.latencyMedianMs, m.latencySigma);
        d.requestId = requestId(key);
        BadRecordKind kind = BAD_KINDS[rb.nextInt(BAD_KINDS.length)];
        String model = m.name;
        String requestId = d.requestId;
        byte[] payload;
        switch (kind) {
            case MALFORMED_JSON -> {
                model = null;
                requestId = null;
                int variant = rb.nextInt(4);
                if (variant == 0) {
                    writeEvent(json, d, m.name, m.version, M_NONE, 0, null);
                    int len = json.length();
                    int cut = 10 + rb.nextInt(len - 12);
                    payload = java.util.Arrays.copyOf(json.toBytes(), cut);
                } else if (variant == 1) {
                    json.reset().beginArray().element();
                    writeEventBody(json, d, m.name, m.version, M_NONE, 0, null);
                    json.endArray();
                    payload = json.toBytes();
                } else if (variant == 2) {
                    json.reset().raw("{\"model\":").raw(m.name).raw(",\"timestamp\":")
                            .isoTimestamp(timestamp).raw(",\"request_id\":").string(d.requestId)
                            .raw(",\"status\":ok}");
                    payload = json.toBytes();
                } else {
                    payload = json.reset().raw(GARBAGE[rb.nextInt(GARBAGE.length)]).toBytes();
                }
            }
            case MISSING_FIELD -> {
                double u = rb.nextDouble();
                int mutation = u < 0.5 ? M_NO_REQUEST_ID : u < 0.65 ? M_NULL_REQUEST_ID
                        : u < 0.85 ? M_NO_TIMESTAMP : M_NO_MODEL_VERSION;
                if (mutation == M_NO_REQUEST_ID || mutation == M_NULL_REQUEST_ID) {
                    requestId = null;
                }
                writeEvent(json, d, m.name, m.version, mutation, 0, null);
                payload = json.toBytes();
            }
            case WRONG_TYPE -> {
                double u = rb.nextDouble();
                int mutation = u < 0.4 ? M_LATENCY_STRING : u < 0.7 ? M_TIMESTAMP_BOOL : M_STATUS_MAYBE;
                writeEvent(json, d, m.name, m.version, mutation, 0, null);
                payload = json.toBytes();
            }
            case IMPLAUSIBLE_TIMESTAMP -> {
                long ts;
                if (rb.nextBoolean()) {
                    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(timestamp), ZoneOffset.UTC);
                    ts = t.withYear(1999).toInstant(ZoneOffset.UTC).toEpochMilli();
                } else {
                    ts = timestamp + 30L * 86_400_000L + (long) (rb.nextDouble() * 30L * 86_400_000L);
                }
                writeEvent(json, d, m.name, m.version, M_NONE, ts, null);
                payload = json.toBytes();
            }
            case OVERSIZE -> {
                int n = 70_000 + rb.nextInt(30_000);
                String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                int offset = rb.nextInt(alphabet.length());
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = alphabet.charAt((offset + i * 7 + (i >> 6)) & 63);
                }
                writeEvent(json, d, m.name, m.version, M_NONE, 0, new String(chars));
                payload = json.toBytes();
            }
            default -> { // UNKNOWN_MODEL
                model = UNKNOWN_MODELS[rb.nextInt(UNKNOWN_MODELS.length)];
                writeEvent(json, d, model, "0.1.0", M_NONE, 0, null);
                payload = json.toBytes();
            }
        }
        Pending p = new Pending();
        p.key = key;
        p.modelSlot = mi;
        p.bad = kind;
        p.record = new GeneratedRecord(timestamp, model, requestId, payload, true, kind.reason());
        p.emitKey = timestamp;
        return p;
    }

    private String requestId(long key) {
        long id = Rand.mix64(key ^ requestIdMask);
        char[] c = new char[20];
        c[0] = 'r';
        c[1] = 'e';
        c[2] = 'q';
        c[3] = '-';
        for (int i = 19; i >= 4; i--) {
            c[i] = Character.forDigit((int) (id & 0xf), 16);
            id >>>= 4;
        }
        return new String(c);
    }

    // ---------------------------------------------------------------- serialisation

    private static void writeEvent(JsonBytes j, EventDraft d, String model, String version, int mutation,
            long timestampOverride, String oversizeText) {
        j.reset();
        writeEventBody(j, d, model, version, mutation, timestampOverride, oversizeText);
    }

    private static void writeEventBody(JsonBytes j, EventDraft d, String model, String version, int mutation,
            long timestampOverride, String oversizeText) {
        ModelProfile p = d.model;
        j.beginObject();
        j.name("model").string(model);
        if (mutation != M_NO_MODEL_VERSION) {
            j.name("model_version").string(version);
        }
        if (mutation != M_NO_TIMESTAMP) {
            j.name("timestamp");
            long ts = timestampOverride != 0 ? timestampOverride : d.timestamp;
            if (mutation == M_TIMESTAMP_BOOL) {
                j.bool(true);
            } else if (p.epochMillisTimestamps) {
                j.number(ts);
            } else {
                j.isoTimestamp(ts);
            }
        }
        if (mutation != M_NO_REQUEST_ID) {
            j.name("request_id");
            if (mutation == M_NULL_REQUEST_ID) {
                j.nul();
            } else {
                j.string(d.requestId);
            }
        }
        j.name("segments").beginObject();
        for (int i = 0; i < p.segmentNames.length; i++) {
            j.name(p.segmentNames[i]).string(d.seg[i]);
        }
        j.endObject();
        j.name("features").beginObject();
        FeatureDef[] fs = p.features;
        for (int f = 0; f < fs.length; f++) {
            byte state = d.state[f];
            if (state == EventDraft.ABSENT) {
                continue;
            }
            j.name(fs[f].name);
            if (state == EventDraft.NULL) {
                j.nul();
            } else if (fs[f].numeric) {
                j.number(d.num[f], fs[f].decimals);
            } else if (fs[f].booleanValued && ("true".equals(d.cat[f]) || "false".equals(d.cat[f]))) {
                j.bool("true".equals(d.cat[f]));
            } else {
                j.string(d.cat[f]);
            }
        }
        if (oversizeText != null) {
            j.name("raw_request_dump").string(oversizeText);
        }
        j.endObject();
        if (!d.error) {
            j.name("prediction").beginObject();
            if (p.isRegression()) {
                j.name("value").number(d.value, 2);
            } else {
                j.name("score").number(d.score, 4);
                j.name("label").string(d.label);
            }
            j.endObject();
        }
        j.name("latency_ms");
        if (mutation == M_LATENCY_STRING) {
            j.string("fast");
        } else {
            j.number(d.latencyMs, 2);
        }
        j.name("status").string(mutation == M_STATUS_MAYBE ? "maybe" : d.error ? "error" : "ok");
        j.name("error_code");
        if (d.error) {
            j.string(d.errorCode);
        } else {
            j.nul();
        }
        j.name("served_by").string(d.fallback ? "fallback" : "model");
        j.endObject();
    }

    // ---------------------------------------------------------------- incidents

    /** An incident resolved against a model: absolute times, segment and feature indexes. */
    private static final class Active {
        final IncidentKind kind;
        final long startMs;
        final long endMs;
        final int[] segDims;
        final String[] segValues;
        final int feature;
        final double magnitude;
        final double shift;
        final double numericValue;
        final String stringValue;

        Active(Incident inc, ModelProfile p, long runStartMs) {
            this.kind = inc.kind();
            this.startMs = runStartMs + inc.start().toMillis();
            this.endMs = startMs + inc.duration().toMillis();
            Map<String, String> cond = inc.segment().conditions();
            this.segDims = new int[cond.size()];
            this.segValues = new String[cond.size()];
            int k = 0;
            for (Map.Entry<String, String> e : cond.entrySet()) {
                segDims[k] = p.segmentIndex(e.getKey());
                segValues[k++] = e.getValue();
            }
            this.feature = inc.feature() == null ? -1 : p.featureIndex(inc.feature());
            FeatureDef f = feature < 0 ? null : p.features[feature];
            double mag = inc.magnitude();
            if (kind == IncidentKind.STUCK_FEATURE && Double.isNaN(mag)) {
                mag = 1.0;
            }
            this.magnitude = mag;
            this.shift = kind == IncidentKind.NUMERIC_SHIFT ? mag * p.referenceSd(feature) : 0;
            if (f != null && kind == IncidentKind.STUCK_FEATURE) {
                if (f.numeric) {
                    this.numericValue = inc.value() != null ? Double.parseDouble(inc.value()) : (Double) f.stuckValue;
                    this.stringValue = null;
                } else {
                    this.numericValue = 0;
                    this.stringValue = inc.value() != null ? inc.value() : (String) f.stuckValue;
                }
            } else if (f != null && kind == IncidentKind.NEW_CATEGORY) {
                this.numericValue = 0;
                this.stringValue = inc.value() != null ? inc.value() : f.newCategory;
            } else {
                this.numericValue = 0;
                this.stringValue = null;
            }
        }

        boolean matches(EventDraft d) {
            if (d.timestamp < startMs || d.timestamp >= endMs) {
                return false;
            }
            for (int k = 0; k < segDims.length; k++) {
                if (!segValues[k].equals(d.seg[segDims[k]])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The combined effect of the incidents matching one event. */
    private static final class Effects {
        double traffic;
        double errorRate;
        double latencyMult;
        double scoreShift;
        /** The override rate of an override_rise, or -1 for the model's own action mix. */
        double overrideRate;
        /** The concept_drift decoupling, 0 when none. */
        double decoupling;
        int featureOps;
        Active[] ops = new Active[4];

        void collect(Active[] list, EventDraft d) {
            traffic = 1;
            errorRate = 0;
            latencyMult = 1;
            scoreShift = 0;
            overrideRate = -1;
            decoupling = 0;
            featureOps = 0;
            for (Active a : list) {
                if (!a.matches(d)) {
                    continue;
                }
                switch (a.kind) {
                    case TRAFFIC_DROP -> traffic *= a.magnitude;
                    case SILENCE -> traffic = 0;
                    case ERROR_SPIKE -> errorRate = Math.max(errorRate, a.magnitude);
                    case LATENCY_REGRESSION -> latencyMult *= a.magnitude;
                    case SCORE_SHIFT -> scoreShift += a.magnitude;
                    case NUMERIC_SHIFT, NEW_CATEGORY, STUCK_FEATURE -> {
                        if (featureOps == ops.length) {
                            ops = java.util.Arrays.copyOf(ops, ops.length * 2);
                        }
                        ops[featureOps++] = a;
                    }
                    case OVERRIDE_RISE -> overrideRate = Math.max(overrideRate, a.magnitude);
                    case CONCEPT_DRIFT -> decoupling = Math.max(decoupling, a.magnitude);
                }
            }
        }
    }

    /** A generated record waiting to be emitted, with what the statistics need. */
    private static final class Pending {
        long key;
        long emitKey;
        long seq;
        int modelSlot;
        boolean error;
        boolean fallback;
        int missing;
        int outOfRange;
        BadRecordKind bad;
        GeneratedRecord record;
        Pending companion;
        /** Feedback: an index into {@link FeedbackBehaviour#ACTIONS}, or {@link #LABEL}. */
        int feedbackType;
        boolean earlyLabel;
        /** Feedback events that follow this prediction. */
        ArrayList<Pending> followers;

        void follow(Pending f) {
            if (followers == null) {
                followers = new ArrayList<>(2);
            }
            followers.add(f);
        }
    }
}
