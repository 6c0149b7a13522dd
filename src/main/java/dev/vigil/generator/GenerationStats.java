package dev.vigil.generator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generator has emitted so far (a snapshot; complete once the generator is exhausted).
 * Good events are counted per model (including errored ones); bad records per kind and, where the
 * payload names a model, per model and kind; feedback events per model and type (each action, and
 * ground truth as {@value #LABEL}).
 */
public final class GenerationStats {

    /** The feedback type of ground-truth events in {@link #feedbackByModel()}. */
    public static final String LABEL = "label";

    private final long simulatedStartMillis;
    private final long scenarioStartMillis;
    private final long simulatedEndMillis;
    private final long records;
    private final long outOfOrder;
    private final long minEventTimeMillis;
    private final long maxEventTimeMillis;
    private final Map<String, Long> eventsByModel;
    private final Map<String, Long> errorsByModel;
    private final Map<String, Long> fallbacksByModel;
    private final Map<String, Long> missingValuesByModel;
    private final Map<String, Long> outOfRangeByModel;
    private final Map<String, Long> badByKind;
    private final Map<String, Map<String, Long>> badByModel;
    private final Map<String, Map<String, Long>> feedbackByModel;
    private final Map<String, Long> labelsBeforePrediction;
    private final List<Incident> incidents;

    GenerationStats(long simulatedStartMillis, long scenarioStartMillis, long simulatedEndMillis, long records,
            long outOfOrder, long minEventTimeMillis, long maxEventTimeMillis, Map<String, Long> eventsByModel,
            Map<String, Long> errorsByModel, Map<String, Long> fallbacksByModel,
            Map<String, Long> missingValuesByModel, Map<String, Long> outOfRangeByModel,
            Map<String, Long> badByKind, Map<String, Map<String, Long>> badByModel,
            Map<String, Map<String, Long>> feedbackByModel, Map<String, Long> labelsBeforePrediction,
            List<Incident> incidents) {
        this.simulatedStartMillis = simulatedStartMillis;
        this.scenarioStartMillis = scenarioStartMillis;
        this.simulatedEndMillis = simulatedEndMillis;
        this.records = records;
        this.outOfOrder = outOfOrder;
        this.minEventTimeMillis = minEventTimeMillis;
        this.maxEventTimeMillis = maxEventTimeMillis;
        this.eventsByModel = freeze(eventsByModel);
        this.errorsByModel = freeze(errorsByModel);
        this.fallbacksByModel = freeze(fallbacksByModel);
        this.missingValuesByModel = freeze(missingValuesByModel);
        this.outOfRangeByModel = freeze(outOfRangeByModel);
        this.badByKind = freeze(badByKind);
        Map<String, Map<String, Long>> bm = new TreeMap<>();
        badByModel.forEach((k, v) -> bm.put(k, freeze(v)));
        this.badByModel = Collections.unmodifiableMap(bm);
        Map<String, Map<String, Long>> fm = new LinkedHashMap<>();
        feedbackByModel.forEach((k, v) -> fm.put(k, freeze(v)));
        this.feedbackByModel = Collections.unmodifiableMap(fm);
        this.labelsBeforePrediction = freeze(labelsBeforePrediction);
        this.incidents = List.copyOf(incidents);
    }

    private static Map<String, Long> freeze(Map<String, Long> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * Feedback events per model and type: {@code accepted}, {@code overridden}, {@code ignored},
     * {@code escalated} and {@value #LABEL} (ground truth). Empty when feedback is not generated.
     */
    public Map<String, Map<String, Long>> feedbackByModel() {
        return feedbackByModel;
    }

    /** Feedback events of one model and type (an action name or {@value #LABEL}). */
    public long feedback(String model, String type) {
        return feedbackByModel.getOrDefault(model, Map.of()).getOrDefault(type, 0L);
    }

    /** Action events of one model (every action kind). */
    public long actions(String model) {
        return feedbackByModel.getOrDefault(model, Map.of()).entrySet().stream()
                .filter(e -> !e.getKey().equals(LABEL)).mapToLong(Map.Entry::getValue).sum();
    }

    /** All feedback events (actions and ground truth). */
    public long feedbackEvents() {
        return feedbackByModel.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    /** Ground-truth events per model whose timestamp precedes their prediction's (sent before it). */
    public Map<String, Long> labelsBeforePrediction() {
        return labelsBeforePrediction;
    }

    /** Inference-topic records emitted: good events plus bad records (feedback is counted apart). */
    public long records() {
        return records;
    }

    /** Good (well-formed) events, including those with status "error". */
    public long events() {
        return eventsByModel.values().stream().mapToLong(Long::longValue).sum();
    }

    public long badRecords() {
        return badByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Good events per model (every enabled model is present, possibly with 0). */
    public Map<String, Long> eventsByModel() {
        return eventsByModel;
    }

    public long events(String model) {
        return eventsByModel.getOrDefault(model, 0L);
    }

    /** Events with status "error", per model. */
    public Map<String, Long> errorsByModel() {
        return errorsByModel;
    }

    public long errors(String model) {
        return errorsByModel.getOrDefault(model, 0L);
    }

    /** Events answered by the fallback, per model. */
    public Map<String, Long> fallbacksByModel() {
        return fallbacksByModel;
    }

    /** Feature values that are null or absent, per model (summed over features). */
    public Map<String, Long> missingValuesByModel() {
        return missingValuesByModel;
    }

    /** Numeric feature values outside their spec range, per model. */
    public Map<String, Long> outOfRangeByModel() {
        return outOfRangeByModel;
    }

    /** Bad records per dead-letter reason (every kind is present, possibly with 0). */
    public Map<String, Long> badByKind() {
        return badByKind;
    }

    public long bad(BadRecordKind kind) {
        return badByKind.getOrDefault(kind.reason(), 0L);
    }

    /**
     * Bad records per model and reason, for records whose payload names a model (all but malformed
     * JSON); unknown_model records are counted under the unknown name they carry.
     */
    public Map<String, Map<String, Long>> badByModel() {
        return badByModel;
    }

    public long bad(String model, BadRecordKind kind) {
        return badByModel.getOrDefault(model, Map.of()).getOrDefault(kind.reason(), 0L);
    }

    /** Good events emitted after an event with a later timestamp had already been emitted. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Where the simulation began, including any clean history before the scenario. */
    public Instant simulatedStart() {
        return Instant.ofEpochMilli(simulatedStartMillis);
    }

    /** The scenario's start: incident offsets count from here. */
    public Instant scenarioStart() {
        return Instant.ofEpochMilli(scenarioStartMillis);
    }

    public Instant simulatedEnd() {
        return Instant.ofEpochMilli(simulatedEndMillis);
    }

    /** The earliest event time emitted (the start when nothing was emitted). */
    public long minEventTimeMillis() {
        return minEventTimeMillis;
    }

    /** The latest event time emitted so far: how far the simulation has got. */
    public long maxEventTimeMillis() {
        return maxEventTimeMillis;
    }

    /** The scenario's incidents (reported even when they have no effect on inference events). */
    public List<Incident> incidents() {
        return incidents;
    }

    /** A human-readable multi-line summary. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        double hours = (simulatedEndMillis - simulatedStartMillis) / 3_600_000.0;
        sb.append(String.format(Locale.ROOT, "simulated %s .. %s (%.2f h): %,d records, %,d events, %,d bad, %,d out of order%n",
                simulatedStart(), simulatedEnd(), hours, records, events(), badRecords(), outOfOrder));
        if (scenarioStartMillis != simulatedStartMillis) {
            sb.append(String.format(Locale.ROOT, "  clean history until %s, then the scenario%n", scenarioStart()));
        }
        sb.append(String.format(Locale.ROOT, "  %-16s %10s %9s %8s %9s %9s %9s %9s%n",
                "model", "events", "per hour", "errors", "fallback", "missing", "out-rng", "bad"));
        for (String m : eventsByModel.keySet()) {
            long ev = events(m);
            long bad = badByModel.getOrDefault(m, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            sb.append(String.format(Locale.ROOT, "  %-16s %,10d %,9.0f %,8d %,9d %,9d %,9d %,9d%n",
                    m, ev, hours > 0 ? ev / hours : 0.0, errors(m), fallbacksByModel.getOrDefault(m, 0L),
                    missingValuesByModel.getOrDefault(m, 0L), outOfRangeByModel.getOrDefault(m, 0L), bad));
        }
        sb.append("  bad records by kind:");
        badByKind.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        sb.append(System.lineSeparator());
        for (Map.Entry<String, Map<String, Long>> e : badByModel.entrySet()) {
            if (!eventsByModel.containsKey(e.getKey())) {
                sb.append("  bad records naming ").append(e.getKey()).append(": ").append(e.getValue())
                        .append(System.lineSeparator());
            }
        }
        if (!feedbackByModel.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  %-16s %10s %10s %10s %10s %10s %12s%n",
                    "feedback", "accepted", "overridden", "ignored", "escalated", "labels", "label early"));
            for (Map.Entry<String, Map<String, Long>> e : feedbackByModel.entrySet()) {
                Map<String, Long> f = e.getValue();
                sb.append(String.format(Locale.ROOT, "  %-16s %,10d %,10d %,10d %,10d %,10d %,12d%n", e.getKey(),
                        f.getOrDefault("accepted", 0L), f.getOrDefault("overridden", 0L), f.getOrDefault("ignored", 0L),
                        f.getOrDefault("escalated", 0L), f.getOrDefault(LABEL, 0L),
                        labelsBeforePrediction.getOrDefault(e.getKey(), 0L)));
            }
        }
        if (!incidents.isEmpty()) {
            sb.append("  incidents:").append(System.lineSeparator());
            for (Incident i : incidents) {
                sb.append("    ").append(i.describe()).append("  [")
                        .append(Instant.ofEpochMilli(scenarioStartMillis).plus(i.start())).append(" .. ")
                        .append(Instant.ofEpochMilli(scenarioStartMillis).plus(i.end())).append(')')
                        .append(scenarioStartMillis + i.start().toMillis() >= simulatedEndMillis ? " (after the run)" : "")
                        .append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
