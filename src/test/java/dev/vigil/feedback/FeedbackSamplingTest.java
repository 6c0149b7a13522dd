package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.events.DeadLetter;
import dev.vigil.events.DeadLetterRouter;
import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.InferenceEvent;
import dev.vigil.events.ParsedFeedback;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which requests are joined: a stable function of the request id, the same for a prediction and its feedback. */
class FeedbackSamplingTest {
    static final String SPEC_TEXT = """
            version: 1
            models:
              - name: fraud
                task: binary-classification
                features: [{name: amount, type: numeric}]
                feedback: {sample-rate: 0.1}
              - name: price
                task: regression
                features: [{name: area, type: numeric}]
            """;
    static final MonitorSpec SPEC = MonitorSpecLoader.parse(SPEC_TEXT);

    /**
     * (h1 >>> 11) * 2^-53 of MurmurHash3_x64_128 with seed 0x5EEDF33DBAC4, computed by an independent
     * implementation of the reference algorithm (a few lines of Python, in docs/feedback-event.md).
     */
    static final double PINNED_REQ_8C1F2E = 0x1.c01dd99e9d1aap-1;
    static final double PINNED_UTF8 = 0x1.b8c299d097f06p-1;

    @Test
    void theDecisionIsPinnedToTheRequestIdInEveryJvm() {
        // A change here would re-sample every model's requests, and split predictions from their feedback across a restart.
        assertThat(FeedbackSampling.unitHash("req-8c1f2e")).isEqualTo(PINNED_REQ_8C1F2E);
        assertThat(FeedbackSampling.unitHash("ü-1")).isEqualTo(PINNED_UTF8);
        assertThat(FeedbackSampling.sampled("req-8c1f2e", PINNED_REQ_8C1F2E)).isFalse();
        assertThat(FeedbackSampling.sampled("req-8c1f2e", Math.nextUp(PINNED_REQ_8C1F2E))).isTrue();
    }

    @Test
    void aRateOfOneKeepsEverything() {
        assertThat(IntStream.range(0, 10_000).allMatch(i -> FeedbackSampling.sampled("r" + i, 1.0))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.01, 0.1, 0.5, 0.9})
    void theSampledShareIsTheRateWithinBinomialBounds(double rate) {
        int n = 100_000;
        // Request ids as producers make them: a prefix and a counter, the worst case for a weak hash.
        long kept = IntStream.range(0, n).filter(i -> FeedbackSampling.sampled("req-" + i, rate)).count();
        double sigma = Math.sqrt(n * rate * (1 - rate));
        assertThat((double) kept).isBetween(n * rate - 5 * sigma, n * rate + 5 * sigma);
    }

    @Test
    void aHigherRateKeepsEveryRequestALowerRateKept() {
        for (int i = 0; i < 20_000; i++) {
            if (FeedbackSampling.sampled("req-" + i, 0.05)) assertThat(FeedbackSampling.sampled("req-" + i, 0.2)).isTrue();
        }
    }

    @Test
    void aPredictionAndItsFeedbackAreBothKeptOrBothSkipped() throws Exception {
        List<String> ids = IntStream.range(0, 5_000).mapToObj(i -> "req-" + Integer.toHexString(i * 7919)).toList();
        SamplePredictions predictionSampler = new SamplePredictions(SPEC);
        List<String> keptPredictions = new ArrayList<>();
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(predictionSampler)) {
            for (String id : ids) h.processElement(prediction("fraud", id), 0);
            h.extractOutputValues().forEach(e -> keptPredictions.add(e.requestId));
        }
        RouteFeedback feedbackRouter = new RouteFeedback(SPEC);
        List<String> keptFeedback = new ArrayList<>();
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(feedbackRouter)) {
            for (String id : ids) h.processElement(ParsedFeedback.of(feedback("fraud", id)), 0);
            h.extractOutputValues().forEach(f -> keptFeedback.add(f.requestId));
        }

        assertThat(keptFeedback).isEqualTo(keptPredictions);
        assertThat(keptPredictions).hasSizeBetween(400, 600); // 10% of 5000, within 4.7 sigma
        assertThat(predictionSampler.sampled.getCount()).isEqualTo(keptPredictions.size());
        assertThat(predictionSampler.sampledOut.getCount()).isEqualTo(ids.size() - keptPredictions.size());
        assertThat(feedbackRouter.sampledOut.getCount()).isEqualTo(ids.size() - keptFeedback.size());
    }

    @Test
    void aSampledPredictionKeepsWhatTheJoinNeedsAndNotItsFeatures() throws Exception {
        InferenceEvent e = prediction("fraud", "req-8c1f2e"); // u = 0.875: sampled only at rates above it
        e.modelVersion = "3.2.0";
        e.timestamp = 1_000;
        e.score = 0.5;
        e.label = "legit";
        e.fallback = true;
        e.segments = new String[] {"DE"};
        e.numeric = new double[] {1, 2};
        e.numericState = new byte[] {0, 0};
        MonitorSpec everything = MonitorSpecLoader.parse(SPEC_TEXT.replace("sample-rate: 0.1", "sample-rate: 1"));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new SamplePredictions(everything))) {
            h.processElement(e, 1_000);
            InferenceEvent p = h.extractOutputValues().get(0);
            assertThat(p).isNotSameAs(e);
            assertThat(p).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
                    .ignoringFields("numeric", "numericState").isEqualTo(e);
            assertThat(p.numeric).isEmpty();
            assertThat(e.numeric).containsExactly(1, 2); // the shared event is untouched
        }
    }

    @Test
    void modelsWithoutAFeedbackSectionAreNotJoined() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new SamplePredictions(SPEC))) {
            h.processElement(prediction("price", "r1"), 0);
            assertThat(h.extractOutputValues()).isEmpty();
        }
        RouteFeedback router = new RouteFeedback(SPEC);
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(router)) {
            h.processElement(ParsedFeedback.of(feedback("price", "r1")), 0);
            assertThat(h.extractOutputValues()).isEmpty();
        }
        assertThat(router.withoutJoin.getCount()).isEqualTo(1);
    }

    @Test
    void badFeedbackGoesToTheDeadLetters() throws Exception {
        DeadLetter d = new DeadLetter();
        d.reason = "empty_feedback";
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new RouteFeedback(SPEC))) {
            h.processElement(ParsedFeedback.of(d), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(DeadLetterRouter.DEAD_LETTERS)).extracting(r -> r.getValue().reason).containsExactly("empty_feedback");
        }
    }

    static InferenceEvent prediction(String model, String id) {
        InferenceEvent e = new InferenceEvent();
        e.model = model;
        e.requestId = id;
        return e;
    }

    static FeedbackEvent feedback(String model, String id) {
        FeedbackEvent f = new FeedbackEvent();
        f.model = model;
        f.requestId = id;
        f.action = FeedbackEvent.ACCEPTED;
        return f;
    }
}
