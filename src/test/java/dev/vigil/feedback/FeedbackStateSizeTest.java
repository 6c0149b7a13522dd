package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.events.InferenceEvent;
import java.util.Locale;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Measures the join's state per outstanding prediction, for docs/operations.md "Sizing state":
 * the serialized key and {@link RequestState} with the job's serializers, and the checkpoint of a
 * join holding N predictions (keyed state, timers and key-group overhead included).
 * {@code mvn -o -q test -Dtest=FeedbackStateSizeTest} prints the figures.
 */
class FeedbackStateSizeTest {
    static final int N = 100_000;
    /** Within the harness's in-memory checkpoint storage (5 MB). */
    static final int N_CHECKPOINT = 20_000;

    /** A prediction as the demo's fraud-scorer logs it: three segment dimensions, a score and a label. */
    static InferenceEvent typicalPrediction(int i) {
        InferenceEvent e = new InferenceEvent();
        // Each parsed event has its own strings, as from the parser: no sharing between entries.
        e.model = new String("fraud-scorer");
        e.modelVersion = new String("3.2.0");
        e.requestId = String.format(Locale.ROOT, "req-%012x", i * 0x9E3779B1L & 0xFFFFFFFFFFFFL);
        e.timestamp = 1_795_000_000_000L + i;
        e.segments = new String[] {new String("DE"), new String("web"), new String("ios")};
        e.score = 0.0123 * (i % 80);
        e.label = new String(i % 50 == 0 ? "fraud" : "legit");
        return e;
    }

    @Test
    void serializedKeyAndValuePerPrediction() throws Exception {
        TypeSerializer<RequestState> values = Types.POJO(RequestState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        long total = 0;
        for (int i = 0; i < N; i++) {
            InferenceEvent e = typicalPrediction(i);
            RequestState s = new RequestState();
            s.setPrediction(e);
            out.clear();
            StringSerializer.INSTANCE.serialize(FeedbackJoin.key(e), out);
            values.serialize(s, out);
            total += out.length();
        }
        double perEntry = (double) total / N;
        System.out.printf(Locale.ROOT, "feedback join: serialized key + RequestState: %.1f bytes per prediction, %.0f MB per million%n",
                perEntry, perEntry);
        assertThat(perEntry).isBetween(60.0, 200.0);
    }

    @Test
    void checkpointBytesPerOutstandingPrediction() throws Exception {
        long empty;
        long full;
        try (KeyedTwoInputStreamOperatorTestHarness<String, InferenceEvent, dev.vigil.events.FeedbackEvent, Outcome> h =
                     ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new FeedbackJoin(FeedbackJoinTest.SPEC_WITH_FRAUD_SCORER),
                             FeedbackJoin::key, FeedbackJoin::key, Types.STRING)) {
            empty = size(h.snapshot(1, 1));
            for (int i = 0; i < N_CHECKPOINT; i++) {
                InferenceEvent e = typicalPrediction(i);
                h.processElement1(new StreamRecord<>(e, e.timestamp));
            }
            h.getOutput().clear();
            assertThat(h.numKeyedStateEntries()).isEqualTo(N_CHECKPOINT);
            full = size(h.snapshot(2, 2));
        }
        double perEntry = (double) (full - empty) / N_CHECKPOINT;
        System.out.printf(Locale.ROOT, "feedback join: checkpoint (hashmap backend, full) with %d predictions: %d bytes, "
                + "%.1f bytes per prediction, %.0f MB per million%n", N_CHECKPOINT, full, perEntry, perEntry);
        assertThat(perEntry).isBetween(60.0, 300.0);
    }

    /** Heap of the hashmap state backend: the live objects, measured from the JVM's used heap after full GCs (approximate). */
    @Test
    void heapBytesPerOutstandingPrediction() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<String, InferenceEvent, dev.vigil.events.FeedbackEvent, Outcome> h =
                     ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new FeedbackJoin(FeedbackJoinTest.SPEC_WITH_FRAUD_SCORER),
                             FeedbackJoin::key, FeedbackJoin::key, Types.STRING)) {
            long before = usedHeap();
            for (int i = 0; i < N; i++) {
                InferenceEvent e = typicalPrediction(i);
                h.processElement1(new StreamRecord<>(e, e.timestamp));
                if (i % 10_000 == 0) h.getOutput().clear();
            }
            h.getOutput().clear();
            long after = usedHeap();
            double perEntry = (double) (after - before) / N;
            System.out.printf(Locale.ROOT, "feedback join: heap (hashmap backend) with %d predictions: %.0f bytes per prediction, "
                    + "%.0f MB per million%n", N, perEntry, perEntry);
            assertThat(h.numKeyedStateEntries()).isEqualTo(N);
            assertThat(perEntry).isBetween(100.0, 2_000.0);
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long size(OperatorSubtaskState state) {
        return state.getStateSize();
    }
}
