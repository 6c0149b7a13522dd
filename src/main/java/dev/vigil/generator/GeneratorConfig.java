package dev.vigil.generator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to generate. The output is a pure function of this configuration and the scenario: the same
 * seed, start, duration, rates and scenario give byte-identical records.
 *
 * <pre>
 * GeneratorConfig config = GeneratorConfig.builder()
 *         .seed(42)
 *         .start(Instant.parse("2026-11-27T00:00:00Z"))
 *         .duration(Duration.ofHours(6))
 *         .badRecordRate(0.001)
 *         .build();
 * </pre>
 */
public final class GeneratorConfig {

    public static final long DEFAULT_SEED = 42L;
    public static final Duration DEFAULT_DURATION = Duration.ofHours(6);
    public static final double DEFAULT_OUT_OF_ORDER_RATE = 0.005;
    public static final Duration DEFAULT_MAX_OUT_OF_ORDER_DELAY = Duration.ofSeconds(5);
    public static final double DEFAULT_ERROR_RATE = 0.005;
    public static final double DEFAULT_FALLBACK_RATE = 0.01;
    public static final double DEFAULT_MISSING_RATE = 0.01;
    public static final double DEFAULT_OUT_OF_RANGE_RATE = 0.0005;

    private final long seed;
    private final Instant start;
    private final Duration duration;
    private final double rateMultiplier;
    private final double badRecordRate;
    private final double outOfOrderRate;
    private final Duration maxOutOfOrderDelay;
    private final double errorRate;
    private final double fallbackRate;
    private final double missingRate;
    private final double outOfRangeRate;
    private final List<String> models;
    private final Map<String, Double> ratePerHour;
    private final boolean feedback;
    private final Duration history;
    private final Duration historyFeedback;

    private GeneratorConfig(Builder b, Instant start) {
        this.seed = b.seed;
        this.start = start;
        this.duration = b.duration;
        this.rateMultiplier = b.rateMultiplier;
        this.badRecordRate = b.badRecordRate;
        this.outOfOrderRate = b.outOfOrderRate;
        this.maxOutOfOrderDelay = b.maxOutOfOrderDelay;
        this.errorRate = b.errorRate;
        this.fallbackRate = b.fallbackRate;
        this.missingRate = b.missingRate;
        this.outOfRangeRate = b.outOfRangeRate;
        this.models = List.copyOf(b.models);
        this.feedback = b.feedback;
        this.history = b.history;
        this.historyFeedback = b.historyFeedback == null ? b.history : b.historyFeedback;
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String m : models) {
            rates.put(m, b.ratePerHour.getOrDefault(m, DemoModels.baseRatePerHour(m)));
        }
        this.ratePerHour = Map.copyOf(rates);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .seed(seed).start(start).duration(duration).rateMultiplier(rateMultiplier)
                .badRecordRate(badRecordRate).outOfOrderRate(outOfOrderRate)
                .maxOutOfOrderDelay(maxOutOfOrderDelay).errorRate(errorRate).fallbackRate(fallbackRate)
                .missingRate(missingRate).outOfRangeRate(outOfRangeRate).models(models)
                .feedback(feedback).history(history).historyFeedback(historyFeedback);
        ratePerHour.forEach(b::ratePerHour);
        return b;
    }

    /** The default start: {@code now - duration}, floored to the minute. */
    public static Instant defaultStart(Clock clock, Duration duration) {
        return clock.instant().minus(duration).truncatedTo(ChronoUnit.MINUTES);
    }

    public long seed() {
        return seed;
    }

    /** The scenario's start (inclusive): incident offsets count from here. */
    public Instant start() {
        return start;
    }

    /**
     * Clean traffic simulated before {@link #start()}: no incidents, no bad records. It gives
     * detectors that learn from the past (daily traffic baselines) their history.
     */
    public Duration history() {
        return history;
    }

    /** Where the simulation begins: {@link #start()} minus the {@link #history()}. */
    public Instant simulationStart() {
        return start.minus(history);
    }

    /**
     * How much of the history, counted back from the start, gets feedback (with {@link #feedback()}):
     * by default all of it. A shorter span still gives detectors of usage and performance a warm-up
     * while sparing the rest of the history the feedback's volume.
     */
    public Duration historyFeedback() {
        return historyFeedback;
    }

    /** Whether feedback events (users' actions, ground truth) are generated along with the inference events. */
    public boolean feedback() {
        return feedback;
    }

    public Duration duration() {
        return duration;
    }

    /** The simulated end (exclusive). */
    public Instant end() {
        return start.plus(duration);
    }

    public double rateMultiplier() {
        return rateMultiplier;
    }

    /** Expected share of bad records among all records. */
    public double badRecordRate() {
        return badRecordRate;
    }

    /** Share of events that arrive out of order. */
    public double outOfOrderRate() {
        return outOfOrderRate;
    }

    /** How late an out-of-order event can arrive, at most. */
    public Duration maxOutOfOrderDelay() {
        return maxOutOfOrderDelay;
    }

    /** Share of events with status "error" (outside error_spike incidents). */
    public double errorRate() {
        return errorRate;
    }

    /** Share of successful events answered by the fallback. */
    public double fallbackRate() {
        return fallbackRate;
    }

    /** Mean share of feature values that are missing (null or absent). */
    public double missingRate() {
        return missingRate;
    }

    /** Share of events with one numeric feature set outside its spec range. */
    public double outOfRangeRate() {
        return outOfRangeRate;
    }

    /** The models that produce traffic. */
    public List<String> models() {
        return models;
    }

    /** Mean weekday events per simulated hour for a model, before the rate multiplier. */
    public double ratePerHour(String model) {
        Double r = ratePerHour.get(model);
        if (r == null) {
            throw new IllegalArgumentException("model not enabled: " + model);
        }
        return r;
    }

    @Override
    public String toString() {
        return "GeneratorConfig[seed=" + seed + ", start=" + start + ", duration=" + Durations.format(duration)
                + ", rateMultiplier=" + rateMultiplier + ", badRecordRate=" + badRecordRate
                + ", outOfOrderRate=" + outOfOrderRate + ", models=" + models + ", feedback=" + feedback
                + ", history=" + Durations.format(history) + "]";
    }

    /** Builds a {@link GeneratorConfig}; every setting has a default. */
    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private Instant start;
        private Clock clock = Clock.systemUTC();
        private Duration duration = DEFAULT_DURATION;
        private double rateMultiplier = 1.0;
        private double badRecordRate = 0.0;
        private double outOfOrderRate = DEFAULT_OUT_OF_ORDER_RATE;
        private Duration maxOutOfOrderDelay = DEFAULT_MAX_OUT_OF_ORDER_DELAY;
        private double errorRate = DEFAULT_ERROR_RATE;
        private double fallbackRate = DEFAULT_FALLBACK_RATE;
        private double missingRate = DEFAULT_MISSING_RATE;
        private double outOfRangeRate = DEFAULT_OUT_OF_RANGE_RATE;
        private List<String> models = DemoModels.names();
        private final Map<String, Double> ratePerHour = new LinkedHashMap<>();
        private boolean feedback;
        private Duration history = Duration.ZERO;
        private Duration historyFeedback;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The simulated start; by default {@code now - duration} floored to the minute. */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** The clock for the default start only (never used during generation). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = Objects.requireNonNull(duration);
            return this;
        }

        /** Multiplies every model's traffic rate (default 1). */
        public Builder rateMultiplier(double rateMultiplier) {
            this.rateMultiplier = rateMultiplier;
            return this;
        }

        public Builder badRecordRate(double rate) {
            this.badRecordRate = rate;
            return this;
        }

        public Builder outOfOrderRate(double rate) {
            this.outOfOrderRate = rate;
            return this;
        }

        public Builder maxOutOfOrderDelay(Duration delay) {
            this.maxOutOfOrderDelay = Objects.requireNonNull(delay);
            return this;
        }

        public Builder errorRate(double rate) {
            this.errorRate = rate;
            return this;
        }

        public Builder fallbackRate(double rate) {
            this.fallbackRate = rate;
            return this;
        }

        public Builder missingRate(double rate) {
            this.missingRate = rate;
            return this;
        }

        public Builder outOfRangeRate(double rate) {
            this.outOfRangeRate = rate;
            return this;
        }

        /** Restricts traffic to these models (default: all three demo models). */
        public Builder models(List<String> models) {
            this.models = List.copyOf(models);
            return this;
        }

        public Builder models(String... models) {
            return models(List.of(models));
        }

        /** Also generate feedback events (default: inference events only). */
        public Builder feedback(boolean feedback) {
            this.feedback = feedback;
            return this;
        }

        /** Clean traffic to simulate before the start (default none); see {@link GeneratorConfig#history()}. */
        public Builder history(Duration history) {
            this.history = Objects.requireNonNull(history);
            return this;
        }

        /** How much of the history before the start gets feedback (default: all of it); see {@link GeneratorConfig#historyFeedback()}. */
        public Builder historyFeedback(Duration historyFeedback) {
            this.historyFeedback = historyFeedback;
            return this;
        }

        /** Overrides one model's mean weekday events per simulated hour. */
        public Builder ratePerHour(String model, double perHour) {
            ratePerHour.put(model, perHour);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        public GeneratorConfig build() {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive, got " + duration);
            }
            if (duration.compareTo(Duration.ofDays(3650)) > 0) {
                throw new IllegalArgumentException("duration must be at most 3650 days");
            }
            checkRate("rate multiplier", rateMultiplier, 0, 10_000);
            checkRate("bad record rate", badRecordRate, 0, 0.5);
            checkRate("out-of-order rate", outOfOrderRate, 0, 1);
            checkRate("error rate", errorRate, 0, 1);
            checkRate("fallback rate", fallbackRate, 0, 1);
            checkRate("missing rate", missingRate, 0, 0.5);
            checkRate("out-of-range rate", outOfRangeRate, 0, 1);
            if (history.isNegative() || history.compareTo(Duration.ofDays(30)) > 0) {
                throw new IllegalArgumentException("history must be between 0 and 30 days, got " + history);
            }
            if (historyFeedback != null && historyFeedback.isNegative()) {
                throw new IllegalArgumentException("history feedback must not be negative, got " + historyFeedback);
            }
            if (maxOutOfOrderDelay.isNegative() || maxOutOfOrderDelay.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("max out-of-order delay must be between 0 and 1h");
            }
            if (models.isEmpty()) {
                throw new IllegalArgumentException("at least one model must be enabled");
            }
            for (String m : models) {
                if (!DemoModels.isKnown(m)) {
                    throw new IllegalArgumentException("unknown model '" + m + "' (known: " + DemoModels.names() + ")");
                }
            }
            if (models.stream().distinct().count() != models.size()) {
                throw new IllegalArgumentException("models listed twice: " + models);
            }
            for (Map.Entry<String, Double> e : ratePerHour.entrySet()) {
                if (!DemoModels.isKnown(e.getKey())) {
                    throw new IllegalArgumentException("unknown model '" + e.getKey() + "'");
                }
                checkRate("rate per hour of " + e.getKey(), e.getValue(), 0, 1e9);
            }
            Instant s = start != null ? start : defaultStart(clock, duration);
            return new GeneratorConfig(this, s);
        }

        private static void checkRate(String what, double v, double min, double max) {
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", got " + v);
            }
        }
    }
}
