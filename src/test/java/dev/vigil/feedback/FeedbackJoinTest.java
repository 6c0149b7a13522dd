package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The join of feedback to predictions, in event time, driven element by element through Flink's operator harness. */
class FeedbackJoinTest {
    static final long TTL = 3_600_000; // 1h, as in the spec below
    static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            version: 1
            models:
              - name: fraud
                task: binary-classification
                segments:
                  - {name: country, max-values: 8}
                  - {name: channel, max-values: 8}
                features:
                  - {name: amount, type: numeric}
                feedback: {ttl: 1h}
              - name: price
                task: regression
                features:
                  - {name: area, type: numeric}
                feedback: {ttl: 1h}
            """);

    /** The demo's fraud-scorer shape, for measuring state. */
    static final MonitorSpec SPEC_WITH_FRAUD_SCORER = MonitorSpecLoader.parse("""
            version: 1
            models:
              - name: fraud-scorer
                task: binary-classification
                segments: [{name: country}, {name: channel}, {name: device}]
                features: [{name: amount, type: numeric}]
                feedback: {ttl: 7d}
            """);

    FeedbackJoin join;
    KeyedTwoInputStreamOperatorTestHarness<String, InferenceEvent, FeedbackEvent, Outcome> harness;

    @BeforeEach
    void open() throws Exception {
        join = new FeedbackJoin(SPEC);
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(join, FeedbackJoin::key, FeedbackJoin::key, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void predictionThenActionThenLabelEmitOneOutcomeEach() throws Exception {
        prediction("fraud", "r1", 1_000);
        feedback("fraud", "r1", 2_000, FeedbackEvent.OVERRIDDEN, null);
        feedback("fraud", "r1", 3_000, null, "fraud");

        List<Outcome> out = outcomes();
        assertThat(out).extracting(o -> o.type).containsExactly(Outcome.PREDICTION, Outcome.ACTION, Outcome.LABEL);
        for (Outcome o : out) {
            assertThat(o.requestId).isEqualTo("r1");
            assertThat(o.model).isEqualTo("fraud");
            assertThat(o.modelVersion).isEqualTo("3.2.0");
            assertThat(o.predictionTime).isEqualTo(1_000);
            assertThat(o.segmentValues).containsExactly("DE", "web");
            assertThat(o.score).isEqualTo(0.75);
            assertThat(o.predictedLabel).isEqualTo("legit");
            assertThat(o.fallback).isTrue();
            assertThat(o.error).isFalse();
        }
        assertThat(out.get(0).feedbackTime).isZero();
        assertThat(out.get(0).action).isNull();
        assertThat(out.get(0).trueLabel).isNull();
        assertThat(out.get(1).action).isEqualTo("overridden");
        assertThat(out.get(1).feedbackTime).isEqualTo(2_000);
        assertThat(out.get(1).trueLabel).isNull();
        assertThat(out.get(2).trueLabel).isEqualTo("fraud");
        assertThat(out.get(2).action).isNull();
        assertThat(out.get(2).feedbackTime).isEqualTo(3_000);
        assertThat(join.actionsJoined.getCount()).isEqualTo(1);
        assertThat(join.labelsJoined.getCount()).isEqualTo(1);
    }

    @Test
    void oneFeedbackEventWithAnActionAndALabelGivesTwoOutcomes() throws Exception {
        prediction("fraud", "r1", 1_000);
        feedback("fraud", "r1", 2_000, FeedbackEvent.ACCEPTED, "legit");

        assertThat(outcomes()).extracting(o -> o.type, o -> o.action, o -> o.trueLabel).containsExactly(
                tuple(Outcome.PREDICTION, null, null),
                tuple(Outcome.ACTION, "accepted", null),
                tuple(Outcome.LABEL, null, "legit"));
    }

    @Test
    void regressionGroundTruthIsAValue() throws Exception {
        InferenceEvent p = prediction("price", "r9", 1_000);
        FeedbackEvent f = feedbackEvent("price", "r9", 5_000, null, null);
        f.trueValue = 412_000.5;
        harness.processElement2(new StreamRecord<>(f, f.timestamp));

        Outcome label = outcomes().get(1);
        assertThat(label.type).isEqualTo(Outcome.LABEL);
        assertThat(label.trueValue).isEqualTo(412_000.5);
        assertThat(label.trueLabel).isNull();
        assertThat(label.predictedValue).isEqualTo(p.value);
    }

    @Test
    void labelBeforeItsPredictionIsJoinedWhenThePredictionArrives() throws Exception {
        feedback("fraud", "r1", 5_000, null, "fraud");
        feedback("fraud", "r1", 6_000, FeedbackEvent.ESCALATED, null);
        assertThat(outcomes()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        prediction("fraud", "r1", 4_000);

        List<Outcome> out = outcomes();
        assertThat(out).extracting(o -> o.type).containsExactly(Outcome.PREDICTION, Outcome.ACTION, Outcome.LABEL);
        assertThat(out.get(1).action).isEqualTo("escalated");
        assertThat(out.get(1).feedbackTime).isEqualTo(6_000);
        assertThat(out.get(2).trueLabel).isEqualTo("fraud");
        assertThat(out.get(2).feedbackTime).isEqualTo(5_000);
        assertThat(out.get(2).predictionTime).isEqualTo(4_000);
        // The waiting feedback's timers are gone; only the prediction's remains.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processBothWatermarks(new Watermark(4_000 + TTL));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(join.feedbackUnmatched.getCount()).isZero();
    }

    @Test
    void labelAfterTheTtlIsDroppedAndCounted() throws Exception {
        prediction("fraud", "r1", 0);
        feedback("fraud", "r1", TTL, null, "legit"); // exactly at the ttl: still joined
        prediction("fraud", "r2", 0);
        feedback("fraud", "r2", TTL + 1, null, "legit"); // the prediction is still in state (watermark behind), but too old

        assertThat(outcomes()).extracting(o -> o.type + " " + o.requestId)
                .containsExactly("prediction r1", "label r1", "prediction r2");
        assertThat(join.feedbackAfterTtl.getCount()).isEqualTo(1);
    }

    @Test
    void labelAfterThePredictionWasClearedIsCountedUnmatchedWhenItsOwnTtlEnds() throws Exception {
        prediction("fraud", "r1", 0);
        harness.processBothWatermarks(new Watermark(TTL));
        assertThat(join.predictionsExpired.getCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();

        feedback("fraud", "r1", TTL + 60_000, null, "fraud");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processBothWatermarks(new Watermark(2 * TTL + 60_000));

        assertThat(outcomes()).extracting(o -> o.type).containsExactly(Outcome.PREDICTION);
        assertThat(join.feedbackUnmatched.getCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void waitingFeedbackTooOldForItsPredictionIsCountedAfterTtl() throws Exception {
        feedback("fraud", "r1", 0, FeedbackEvent.IGNORED, "legit"); // its timer has not fired: the watermark is behind
        prediction("fraud", "r1", TTL + 1);

        assertThat(outcomes()).extracting(o -> o.type).containsExactly(Outcome.PREDICTION);
        assertThat(join.feedbackAfterTtl.getCount()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void feedbackWhosePredictionNeverComesIsCountedUnmatched() throws Exception {
        feedback("fraud", "r1", 1_000, FeedbackEvent.ACCEPTED, null);
        feedback("fraud", "r1", 2_000, null, "legit");
        harness.processBothWatermarks(new Watermark(1_000 + TTL));
        assertThat(join.feedbackUnmatched.getCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // the label still waits
        harness.processBothWatermarks(new Watermark(2_000 + TTL));

        assertThat(outcomes()).isEmpty();
        assertThat(join.feedbackUnmatched.getCount()).isEqualTo(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void duplicateLabelsAndActionsAreIgnoredAndCounted() throws Exception {
        feedback("fraud", "r1", 1_000, null, "fraud");
        feedback("fraud", "r1", 1_500, null, "legit"); // waiting: a second label before the prediction
        prediction("fraud", "r1", 500);
        feedback("fraud", "r1", 2_000, FeedbackEvent.OVERRIDDEN, "legit"); // the action counts, the label is a duplicate
        feedback("fraud", "r1", 3_000, FeedbackEvent.ACCEPTED, null);

        List<Outcome> out = outcomes();
        assertThat(out).extracting(o -> o.type).containsExactly(Outcome.PREDICTION, Outcome.LABEL, Outcome.ACTION);
        assertThat(out.get(1).trueLabel).isEqualTo("fraud");
        assertThat(out.get(2).action).isEqualTo("overridden");
        assertThat(join.duplicateLabels.getCount()).isEqualTo(2);
        assertThat(join.duplicateActions.getCount()).isEqualTo(1);
    }

    @Test
    void aSecondPredictionForTheSameRequestIsIgnoredAndCounted() throws Exception {
        prediction("fraud", "r1", 1_000);
        prediction("fraud", "r1", 1_200);

        assertThat(outcomes()).hasSize(1);
        assertThat(join.duplicatePredictions.getCount()).isEqualTo(1);
    }

    @Test
    void theSameRequestIdOfTwoModelsIsTwoRequests() throws Exception {
        prediction("fraud", "shared", 1_000);
        feedback("price", "shared", 2_000, FeedbackEvent.ACCEPTED, null);

        assertThat(outcomes()).extracting(o -> o.type).containsExactly(Outcome.PREDICTION);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void stateAndTimersAreClearedAtTheTtl() throws Exception {
        for (int i = 0; i < 10; i++) prediction("fraud", "r" + i, i * 1_000L);
        feedback("fraud", "r3", 5_000, FeedbackEvent.ACCEPTED, "legit");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(10);

        harness.processBothWatermarks(new Watermark(4_000 + TTL));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(5);
        assertThat(harness.numEventTimeTimers()).isEqualTo(5);

        harness.processBothWatermarks(new Watermark(9_000 + TTL));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(join.predictionsExpired.getCount()).isEqualTo(10);
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        feedback("fraud", "r1", 2_000, null, "fraud");
        prediction("fraud", "r2", 1_000);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        join = new FeedbackJoin(SPEC);
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(join),
                FeedbackJoin::key, FeedbackJoin::key, Types.STRING);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();

        prediction("fraud", "r1", 1_500);
        feedback("fraud", "r2", 3_000, FeedbackEvent.ACCEPTED, null);
        assertThat(outcomes()).extracting(o -> o.type + " " + o.requestId + " " + o.predictionTime)
                .containsExactly("prediction r1 1500", "label r1 1500", "action r2 1000");
    }

    // --- input ---

    InferenceEvent prediction(String model, String requestId, long time) throws Exception {
        InferenceEvent e = new InferenceEvent();
        e.model = model;
        e.modelVersion = "3.2.0";
        e.requestId = requestId;
        e.timestamp = time;
        e.fallback = true;
        if (model.equals("fraud")) {
            e.score = 0.75;
            e.label = "legit";
            e.segments = new String[] {"DE", "web"};
        } else {
            e.value = 399_000;
        }
        e.numeric = new double[] {12.5};
        e.numericState = new byte[] {InferenceEvent.PRESENT};
        harness.processElement1(new StreamRecord<>(e, time));
        return e;
    }

    static FeedbackEvent feedbackEvent(String model, String requestId, long time, String action, String label) {
        FeedbackEvent f = new FeedbackEvent();
        f.model = model;
        f.requestId = requestId;
        f.timestamp = time;
        f.action = action;
        f.trueLabel = label;
        return f;
    }

    void feedback(String model, String requestId, long time, String action, String label) throws Exception {
        harness.processElement2(new StreamRecord<>(feedbackEvent(model, requestId, time, action, label), time));
    }

    List<Outcome> outcomes() {
        return harness.extractOutputValues();
    }
}
