package dev.vigil.profile;

import static dev.vigil.profile.TestEvents.SPEC;
import static dev.vigil.profile.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.events.InferenceEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pre-shuffle fold: what leaves a subtask, and when. Times in ms; windows are one minute. */
class ProfileAccumulatorTest {
    private static final long MIN = 60_000;

    private OneInputStreamOperatorTestHarness<InferenceEvent, ProfileUpdate> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new ProfileAccumulator(SPEC));
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(InferenceEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.timestamp));
    }

    private List<ProfileUpdate> drain() {
        List<ProfileUpdate> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    private static Map<String, Long> eventsBySegment(List<ProfileUpdate> updates) {
        return updates.stream().collect(Collectors.toMap(
                u -> u.key.segmentName(u.segmentValue) + "@" + u.key.windowStart,
                u -> ProfileCodec.decode(u.profile).events(),
                Long::sum));
    }

    @Test
    void holdsPartialsUntilTheWatermarkClosesTheWindow() throws Exception {
        send(event(1_000, "DE", "web", 1, "a"));
        send(event(2_000, "FR", "app", 2, "b"));
        send(event(MIN + 5, "DE", "web", 3, "a"));
        harness.processWatermark(MIN - 2);
        assertThat(drain()).isEmpty();

        harness.processWatermark(MIN - 1);
        assertThat(eventsBySegment(drain())).containsOnly(
                Map.entry("all@0", 2L),
                Map.entry("country=DE@0", 1L),
                Map.entry("country=FR@0", 1L),
                Map.entry("channel=web@0", 1L),
                Map.entry("channel=app@0", 1L));
        harness.processWatermark(2 * MIN - 1);
        assertThat(eventsBySegment(drain())).containsEntry("all@" + MIN, 1L).hasSize(3);
    }

    @Test
    void valuesOutsideAFixedListFoldIntoOther() throws Exception {
        send(event(1_000, "DE", "email", 1, "a"));
        send(event(1_000, "DE", "unknown", 1, "a"));
        harness.processWatermark(MIN);
        assertThat(eventsBySegment(drain())).containsEntry("channel=other@0", 2L);
    }

    @Test
    void lateEventWithinAllowedLatenessBecomesAnUpdateAtTheNextWatermark() throws Exception {
        send(event(1_000, "DE", "web", 1, "a"));
        harness.processWatermark(MIN + 10);
        assertThat(eventsBySegment(drain())).containsEntry("all@0", 1L);

        send(event(2_000, "DE", "web", 5, "b")); // window [0, 1m) closed, lateness 2m not yet passed
        assertThat(drain()).isEmpty();
        harness.processWatermark(MIN + 20);
        assertThat(eventsBySegment(drain())).containsOnly(
                Map.entry("all@0", 1L), Map.entry("country=DE@0", 1L), Map.entry("channel=web@0", 1L));
    }

    @Test
    void eventLaterThanTheAllowedLatenessIsCountedInTheCurrentWindowNotProfiled() throws Exception {
        harness.processWatermark(3 * MIN + 30_000);
        send(event(1_000, "DE", "web", 1, "a")); // window end 1m + lateness 2m <= watermark
        harness.processWatermark(4 * MIN - 1);
        List<ProfileUpdate> out = drain();
        assertThat(out).hasSize(1);
        ProfileUpdate u = out.get(0);
        assertThat(u.key.windowStart).isEqualTo(3 * MIN);
        assertThat(u.key.dimension).isEqualTo(WindowKey.ALL);
        SegmentProfile p = ProfileCodec.decode(u.profile);
        assertThat(p.events()).isZero();
        assertThat(p.lateDropped()).isEqualTo(1);
    }

    @Test
    void flushesEverythingBeforeACheckpointBarrierSoItHoldsNoState() throws Exception {
        send(event(1_000, "DE", "web", 1, "a"));
        send(event(MIN + 1_000, "DE", "web", 1, "a"));
        harness.prepareSnapshotPreBarrier(1);
        assertThat(eventsBySegment(drain())).containsEntry("all@0", 1L).containsEntry("all@" + MIN, 1L);
        harness.processWatermark(3 * MIN);
        assertThat(drain()).isEmpty();
    }

    @Test
    void handsOverOpenPartialsBeforeTheInputIsDeclaredIdle() throws Exception {
        // Otherwise the merger, no longer waiting for this input, could close the window without them.
        send(event(1_000, "DE", "web", 1, "a"));
        harness.processWatermarkStatus(WatermarkStatus.IDLE);
        assertThat(eventsBySegment(drain())).containsEntry("all@0", 1L);
    }

    @Test
    void atTheEndOfInputClosesEveryWindowAndReactivatesAnIdleOutput() throws Exception {
        // A drained stop with an idle partition: the final watermark must still reach the merger.
        send(event(1_000, "DE", "web", 1, "a"));
        harness.processWatermarkStatus(WatermarkStatus.IDLE);
        send(event(2 * MIN, "DE", "web", 1, "a"));
        harness.endInput();
        List<Object> output = new java.util.ArrayList<>(harness.getOutput());
        assertThat(output).contains(WatermarkStatus.ACTIVE);
        assertThat(output.get(output.size() - 1)).isEqualTo(org.apache.flink.streaming.api.watermark.Watermark.MAX_WATERMARK);
        assertThat(output.indexOf(WatermarkStatus.ACTIVE)).isLessThan(output.size() - 1);
        assertThat(eventsBySegment(harness.extractOutputValues())).containsEntry("all@0", 1L).containsEntry("all@" + 2 * MIN, 1L);
    }

    @Test
    void guardsMemoryByFlushingWhenTooManyProfilesAreOpen() throws Exception {
        harness.close();
        harness = new OneInputStreamOperatorTestHarness<>(new ProfileAccumulator(SPEC, 10));
        harness.open();
        for (int w = 0; w < 5; w++) send(event(w * MIN, "DE", "web", 1, "a"));
        assertThat(drain()).isNotEmpty();
    }
}
