package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * Silent-model detection: a model that had traffic and then sends nothing for {@code after}
 * (of event time, or of wall-clock time when the whole job is idle) raises a {@code silence}
 * alert, resolved when its traffic returns. See docs/traffic-and-silence.md.
 */
public record SilenceSpec(Duration after) implements Serializable {
    public static final Duration DEFAULT_AFTER = Duration.ofMinutes(10);
    /** Timers finer than this only cost; real settings are minutes. */
    public static final Duration MIN_AFTER = Duration.ofSeconds(1);

    private static final Set<String> FIELDS = Set.of("after");

    public long afterMillis() {
        return after.toMillis();
    }

    static SilenceSpec read(JsonNode node, String at, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        if (!node.isObject()) {
            in.problem(at, "must be a mapping (e.g. {after: 10m})");
            return null;
        }
        in.unknownFields(node, FIELDS, at);
        Duration after = in.duration(node, "after", at + ".after", DEFAULT_AFTER);
        if (after.compareTo(MIN_AFTER) < 0) {
            in.problem(at + ".after", "must be at least " + DurationText.format(MIN_AFTER));
            after = DEFAULT_AFTER;
        }
        return new SilenceSpec(after);
    }
}
