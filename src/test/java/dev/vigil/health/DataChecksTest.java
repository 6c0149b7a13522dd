package dev.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.Evaluation;
import dev.vigil.events.InferenceEvent;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input and output checks on one window, against counts known from the events folded in. */
class DataChecksTest {
    private static final long MIN = 60_000;
    static final ModelSpec MODEL = MonitorSpecLoader.parse("""
            models:
              - name: m
                task: binary-classification
                features:
                  - {name: x, type: numeric, range: [0, 100]}
                  - {name: flag, type: numeric}
                  - {name: c, type: categorical, categories: [a, b]}
                  - {name: free, type: categorical}
                prediction:
                  labels: ["yes", "no"]
                checks:
                  features:
                    flag: {stuck: false}
                    free: {missing-rate: [0.5, 0.9]}
                  score-mean: {warning: [0.3, 0.7], critical: [0.2, 0.8]}
                  label-share:
                    "yes": [0.2, 0.6]
                    "no": [0.4, 0.8]
                  min-events: 50
                  fire-after: 2
                  resolve-after: 1
            """).model("m");

    private static List<Evaluation> evaluate(SegmentProfile p) {
        return WindowChecks.evaluate(MODEL, "v1", "all", 2 * MIN, 3 * MIN, p);
    }

    private static Evaluation only(List<Evaluation> out, String feature, String kind) {
        List<Evaluation> found = out.stream().filter(e -> e.feature.equals(feature) && e.kind.equals(kind)).toList();
        assertThat(found).as("%s %s", feature, kind).hasSize(1);
        return found.get(0);
    }

    private static boolean has(List<Evaluation> out, String feature, String kind) {
        return out.stream().anyMatch(e -> e.feature.equals(feature) && e.kind.equals(kind));
    }

    @Test
    void numericRatesUseTheirOwnDenominators() {
        // 200 events of x: 10 absent, 2 not finite, 4 of the wrong type, 184 numbers of which 23 above 100.
        SegmentProfile p = new Window(MODEL).add(200, (e, i) -> {
            if (i < 10) e.numericState[0] = InferenceEvent.MISSING;
            else if (i < 12) e.numeric[0] = Double.POSITIVE_INFINITY;
            else if (i < 16) e.numericState[0] = InferenceEvent.TYPE_MISMATCH;
            else if (i < 39) e.numeric[0] = 100.5;
        }).profile();

        List<Evaluation> out = evaluate(p);

        Evaluation missing = only(out, "x", "check_missing");
        assertThat(missing.score).isEqualTo(12 / 200.0);
        assertThat(missing.severity).isEqualTo("warning");
        assertThat(missing.threshold).isEqualTo(0.05);
        assertThat(missing.explanation).isEqualTo("x is missing (absent, null, NaN or infinite) in 6.0% of 200 events (12) "
                + "in the 1m window to 00:03 UTC in segment all, above the limit of 5.0% (warning)");
        Evaluation mismatch = only(out, "x", "check_type_mismatch");
        assertThat(mismatch.score).isEqualTo(4 / 200.0);
        assertThat(mismatch.severity).isEqualTo("warning");
        Evaluation range = only(out, "x", "check_out_of_range");
        assertThat(range.score).isEqualTo(23 / 184.0);
        assertThat(range.severity).isEqualTo("warning");
        assertThat(range.explanation).startsWith("x is outside its range [0, 100] in 12.5% of 184 values (23) ");
        assertThat(has(out, "flag", "check_out_of_range")).as("no range declared").isFalse();
        Evaluation clean = only(out, "flag", "check_missing");
        assertThat(clean.severity).isNull();
        assertThat(clean.score).isEqualTo(0.0);
        assertThat(clean.explanation).endsWith("within the limit (warning above 5.0%)");
        for (Evaluation e : out) {
            assertThat(e.evaluatedAt).isEqualTo(3 * MIN);
            assertThat(e.fireAfter).isEqualTo(2);
            assertThat(e.resolveAfter).isEqualTo(1);
        }
    }

    @Test
    void categoricalRatesAndTheUnseenValuesThatMattered() {
        // 200 events of c: 50 absent, 150 values of which 20 'z' and 5 'y'; free: 100 absent (limit raised to 0.5).
        SegmentProfile p = new Window(MODEL).add(200, (e, i) -> {
            if (i < 50) e.categoricalState[0] = InferenceEvent.MISSING;
            else if (i < 70) e.categorical[0] = "z";
            else if (i < 75) e.categorical[0] = "y";
            if (i < 100) e.categoricalState[1] = InferenceEvent.MISSING;
        }).profile();

        List<Evaluation> out = evaluate(p);

        Evaluation missing = only(out, "c", "check_missing");
        assertThat(missing.score).isEqualTo(0.25);
        assertThat(missing.severity).isEqualTo("critical");
        assertThat(missing.threshold).isEqualTo(0.2);
        Evaluation unseen = only(out, "c", "check_unseen");
        assertThat(unseen.score).isEqualTo(25 / 150.0);
        assertThat(unseen.severity).isEqualTo("warning");
        assertThat(unseen.explanation).isEqualTo("c has a value outside its categories in 16.7% of 150 values (25) "
                + "in the 1m window to 00:03 UTC in segment all, above the limit of 5.0% (warning); most frequent: z (20), y (5)");
        Evaluation freeMissing = only(out, "free", "check_missing");
        assertThat(freeMissing.score).isEqualTo(0.5);
        assertThat(freeMissing.severity).as("at its raised limit: not above it").isNull();
        assertThat(has(out, "free", "check_unseen")).as("no categories declared").isFalse();
    }

    @Test
    void aRateNeedsMinEventsValuesInItsDenominator() {
        // 60 events, 20 with x present: rates over events are checked, the out-of-range rate over 20 values is not.
        SegmentProfile p = new Window(MODEL).add(60, (e, i) -> {
            if (i >= 20) e.numericState[0] = InferenceEvent.MISSING;
        }).profile();

        List<Evaluation> out = evaluate(p);

        assertThat(only(out, "x", "check_missing").score).isEqualTo(40 / 60.0);
        assertThat(has(out, "x", "check_out_of_range")).isFalse();
        assertThat(has(out, "x", "stuck_feature")).isFalse();
        assertThat(evaluate(new Window(MODEL).add(49).profile())).isEmpty();
    }

    @Test
    void aConstantNumericFeatureIsStuckAndAVaryingOneIsNot() {
        SegmentProfile stuck = new Window(MODEL).add(120, (e, i) -> {
            e.numeric[0] = 0;
            e.numeric[1] = 1; // flag is allowed to be constant
            if (i < 5) e.numericState[0] = InferenceEvent.MISSING; // missing values do not count as a value
        }).profile();

        List<Evaluation> out = evaluate(stuck);

        Evaluation x = only(out, "x", "stuck_feature");
        assertThat(x.severity).isEqualTo("warning");
        assertThat(x.score).isEqualTo(1.0);
        assertThat(x.explanation).isEqualTo("x is constant at 0 across 115 values in the 1m window to 00:03 UTC in segment all "
                + "(warning): is its upstream stuck? Set checks.features.x.stuck: false if a constant is expected");
        assertThat(has(out, "flag", "stuck_feature")).as("stuck: false").isFalse();

        Evaluation varying = only(evaluate(new Window(MODEL).add(120, (e, i) -> e.numeric[0] = i == 77 ? 0.5 : 0).profile()),
                "x", "stuck_feature");
        assertThat(varying.severity).as("a single different value is enough").isNull();
        assertThat(varying.score).isEqualTo(0.0);
        assertThat(varying.explanation).startsWith("x ranges from 0 to 0.5 across 120 values");
    }

    @Test
    void aConstantCategoricalFeatureIsStuckExactlyEvenAfterMerges() {
        SegmentProfile first = new Window(MODEL).add(70, (e, i) -> e.categorical[0] = "a").profile();
        SegmentProfile second = new Window(MODEL).add(70, (e, i) -> e.categorical[0] = "a").profile();
        first.merge(second);

        Evaluation c = only(evaluate(first), "c", "stuck_feature");
        assertThat(c.severity).isEqualTo("warning");
        assertThat(c.explanation).startsWith("c is constant at 'a' across 140 values in the 1m window");
        assertThat(only(evaluate(first), "free", "stuck_feature").severity).as("a and b alternate").isNull();

        // One other value among a thousand is not a constant; nor are many distinct values (a sketch past its exact size).
        SegmentProfile almost = new Window(MODEL).add(1001, (e, i) -> e.categorical[0] = i == 500 ? "b" : "a").profile();
        assertThat(only(evaluate(almost), "c", "stuck_feature").severity).isNull();
        SegmentProfile many = new Window(MODEL).add(5000, (e, i) -> e.categorical[1] = "v" + (i % 700)).profile();
        assertThat(many.categorical(1).constantValue()).isNull();
        SegmentProfile manyThenConstant = new Window(MODEL).add(5000, (e, i) -> e.categorical[1] = "v" + (i % 700)).profile();
        manyThenConstant.merge(new Window(MODEL).add(5000, (e, i) -> e.categorical[1] = "v1").profile());
        assertThat(manyThenConstant.categorical(1).constantValue()).isNull();
        assertThat(new Window(MODEL).add(3000, (e, i) -> e.categorical[1] = "only").profile().categorical(1).constantValue())
                .isEqualTo("only");
    }

    @Test
    void theMeanScoreAgainstItsBands() {
        // Scores 0.70 and 0.80 alternating: mean 0.75, above the warning band [0.3, 0.7], inside the critical [0.2, 0.8].
        SegmentProfile p = new Window(MODEL).add(100, (e, i) -> e.score = i % 2 == 0 ? 0.7 : 0.8).profile();
        Evaluation mean = only(evaluate(p), "prediction", "score_mean");
        assertThat(mean.score).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(mean.severity).isEqualTo("warning");
        assertThat(mean.threshold).isEqualTo(0.7);
        assertThat(mean.explanation).isEqualTo("mean score 0.75 over 100 predictions in the 1m window to 00:03 UTC in segment all, "
                + "above its expected band [0.3, 0.7] (warning)");

        SegmentProfile low = new Window(MODEL).add(100, (e, i) -> e.score = 0.1).profile();
        Evaluation critical = only(evaluate(low), "prediction", "score_mean");
        assertThat(critical.severity).isEqualTo("critical");
        assertThat(critical.threshold).isEqualTo(0.2);
        assertThat(critical.explanation).endsWith("below its expected band [0.3, 0.7] and beyond the critical bound 0.2 (critical)");

        SegmentProfile fine = new Window(MODEL).add(100, (e, i) -> e.score = 0.5).profile();
        assertThat(only(evaluate(fine), "prediction", "score_mean").severity).isNull();
        SegmentProfile unscored = new Window(MODEL).add(100, (e, i) -> e.score = i < 51 ? Double.NaN : 0.5).profile();
        assertThat(has(evaluate(unscored), "prediction", "score_mean")).as("49 scores").isFalse();
    }

    @Test
    void eachLabelsShareAgainstItsBand() {
        // 200 predictions: 150 yes, 50 no; 20 events without a label are not predictions.
        SegmentProfile p = new Window(MODEL).add(220, (e, i) -> e.label = i < 150 ? "yes" : i < 200 ? "no" : null).profile();

        List<Evaluation> out = evaluate(p);

        Evaluation yes = only(out, "yes", "label_share");
        assertThat(yes.score).isEqualTo(0.75);
        assertThat(yes.severity).isEqualTo("warning");
        assertThat(yes.threshold).isEqualTo(0.6);
        assertThat(yes.explanation).isEqualTo("predicted label yes is 75.0% of 200 predictions (150) in the 1m window to 00:03 UTC "
                + "in segment all, above its expected band [20.0%, 60.0%] (warning)");
        Evaluation no = only(out, "no", "label_share");
        assertThat(no.score).isEqualTo(0.25);
        assertThat(no.severity).isEqualTo("warning");
        assertThat(no.threshold).isEqualTo(0.4);

        SegmentProfile onlyYes = new Window(MODEL).add(100, (e, i) -> e.label = "yes").profile();
        Evaluation absent = only(evaluate(onlyYes), "no", "label_share");
        assertThat(absent.score).as("a label that never appears has share 0").isEqualTo(0.0);
        assertThat(absent.severity).isEqualTo("warning");
    }

    @Test
    void aRegressionModelsMeanIsItsMeanPredictedValue() {
        ModelSpec regression = MonitorSpecLoader.parse("""
                models:
                  - name: price
                    task: regression
                    features: [{name: x, type: numeric}, {name: c, type: categorical}]
                    checks: {score-mean: [1000, 2000], min-events: 10}
                """).model("price");
        SegmentProfile p = new Window(regression).add(10, (e, i) -> {
            e.score = Double.NaN;
            e.value = 2500 + i;
        }).profile();

        Evaluation mean = only(WindowChecks.evaluate(regression, "v1", "all", 0, MIN, p), "prediction", "score_mean");

        assertThat(mean.score).isEqualTo(2504.5);
        assertThat(mean.explanation).startsWith("mean predicted value 2505 over 10 predictions");
        assertThat(mean.severity).isEqualTo("warning");
    }
}
