package dev.vigil.performance;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import dev.vigil.feedback.SegmentOutcome;
import dev.vigil.usage.AdoptionHistory;
import dev.vigil.usage.UsageStatsRow;
import dev.vigil.usage.UsageWindow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The outcome aggregation's inputs, state and rows are Flink POJOs: no silent Kryo fallback. */
class OutcomeTypesTest {
    @ParameterizedTest
    @ValueSource(classes = {
        SegmentOutcome.class, UsageWindow.class, AdoptionHistory.class, UsageStatsRow.class, PerformanceWindow.class,
        PerformanceMetricRow.class
    })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
