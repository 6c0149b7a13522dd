package dev.vigil.profile;

import static dev.vigil.profile.TestEvents.SPEC;
import static dev.vigil.profile.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyed merge: windows close on the watermark, late partials update rows, the cap applies per window. */
class ProfileMergerTest {
    private static final long MIN = 60_000;
    private static final ModelSpec M1 = SPEC.model("m1");

    private KeyedOneInputStreamOperatorTestHarness<String, ProfileUpdate, WindowStatsRow> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ProfileMerger(SPEC)), u -> u.key.asKey(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static ProfileUpdate partial(String dimension, String value, int events, double x) {
        SegmentProfile p = SegmentProfile.empty(M1);
        for (int i = 0; i < events; i++) p.add(event(1_000 + i, value, "web", x, "a"), M1);
        return new ProfileUpdate(new WindowKey("m1", "v1", dimension, 0, MIN), value, ProfileCodec.encode(p));
    }

    private void send(ProfileUpdate u) throws Exception {
        harness.processElement(new StreamRecord<>(u, u.key.maxTimestamp()));
    }

    private Map<String, Long> drainEvents() {
        List<WindowStatsRow> rows = harness.extractOutputValues();
        harness.getOutput().clear();
        return rows.stream().collect(Collectors.toMap(r -> r.segment, r -> r.events));
    }

    @Test
    void mergesPartialsFromAllSubtasksAndWritesWhenTheWindowCloses() throws Exception {
        send(partial(WindowKey.ALL, WindowKey.ALL, 3, 10));
        send(partial(WindowKey.ALL, WindowKey.ALL, 4, 20));
        harness.processWatermark(MIN - 2);
        assertThat(drainEvents()).isEmpty();

        harness.processWatermark(MIN - 1);
        List<FeatureStatsRow> features = harness.getSideOutput(ProfileMerger.FEATURE_STATS).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(drainEvents()).containsExactly(Map.entry("all", 7L));
        FeatureStatsRow x = features.stream().filter(f -> f.feature.equals("x")).findFirst().orElseThrow();
        assertThat(x.count).isEqualTo(7);
        assertThat(x.mean).isCloseTo((3 * 10 + 4 * 20) / 7.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(x.min).isEqualTo(10);
        assertThat(x.max).isEqualTo(20);
    }

    @Test
    void aLatePartialRewritesTheWindowWithTheMergedTotal() throws Exception {
        send(partial(WindowKey.ALL, WindowKey.ALL, 3, 10));
        harness.processWatermark(MIN);
        assertThat(drainEvents()).containsExactly(Map.entry("all", 3L));

        send(partial(WindowKey.ALL, WindowKey.ALL, 2, 10));
        assertThat(drainEvents()).containsExactly(Map.entry("all", 5L));
    }

    @Test
    void stateIsClearedAfterTheAllowedLatenessAndLaterPartialsAreDropped() throws Exception {
        send(partial(WindowKey.ALL, WindowKey.ALL, 3, 10));
        harness.processWatermark(MIN - 1 + 2 * MIN);
        assertThat(drainEvents()).containsExactly(Map.entry("all", 3L));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(partial(WindowKey.ALL, WindowKey.ALL, 1, 10));
        harness.processWatermark(10 * MIN);
        assertThat(drainEvents()).isEmpty();
    }

    @Test
    void keepsTheMostFrequentValuesUpToTheCapAndFoldsTheRestIntoOther() throws Exception {
        send(partial("country", "DE", 5, 1));
        send(partial("country", "FR", 3, 1));
        send(partial("country", "DE", 1, 1));
        send(partial("country", "IT", 2, 1));
        send(partial("country", "ES", 1, 1));
        harness.processWatermark(MIN);
        List<WindowStatsRow> rows = harness.extractOutputValues();
        assertThat(rows.stream().collect(Collectors.toMap(r -> r.segment, r -> r.events))).containsOnly(
                Map.entry("country=DE", 6L), Map.entry("country=FR", 3L), Map.entry("country=other", 3L));
        WindowStatsRow other = rows.stream().filter(r -> r.segment.equals("country=other")).findFirst().orElseThrow();
        assertThat(other.foldedValues).isEqualTo(2);
    }

    @Test
    void tiesAtTheCapAreBrokenByValueSoTheChoiceIsDeterministic() throws Exception {
        send(partial("country", "ZA", 2, 1));
        send(partial("country", "AT", 2, 1));
        send(partial("country", "BE", 2, 1));
        harness.processWatermark(MIN);
        assertThat(drainEvents()).containsOnlyKeys("country=AT", "country=BE", "country=other");
    }
}
