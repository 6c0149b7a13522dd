package dev.vigil.events;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Flink counters of a source's records: those parsed, and the dead letters per reason ({@code vigil.deadLetters.<reason>}). */
final class DeadLetterCounters {
    private final Counter parsed;
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);

    DeadLetterCounters(MetricGroup operator, String parsedName) {
        MetricGroup group = operator.addGroup("vigil");
        parsed = group.counter(parsedName);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, group.addGroup("deadLetters").counter(reason.code()));
        }
    }

    void count(DeadLetter deadLetter) {
        if (deadLetter == null) {
            parsed.inc();
        } else {
            deadLetters.get(DeadLetterReason.valueOf(deadLetter.reason.toUpperCase(Locale.ROOT))).inc();
        }
    }
}
