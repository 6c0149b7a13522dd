package dev.vigil.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code feedback:} section of a model's spec: ttl and sample rate, defaults and validation. */
class FeedbackSpecTest {
    static String spec(String feedback) {
        return """
                version: 1
                models:
                  - name: churn
                    task: binary-classification
                    features:
                      - {name: tenure, type: numeric}
                """ + (feedback == null ? "" : "    feedback: " + feedback + "\n");
    }

    static FeedbackSpec feedbackOf(String section) {
        return MonitorSpecLoader.parse(spec(section)).model("churn").feedback();
    }

    @Test
    void withoutTheSectionNoFeedbackIsJoined() {
        assertThat(feedbackOf(null)).isNull();
    }

    @Test
    void anEmptySectionTakesTheDefaults() {
        assertThat(feedbackOf("")).isEqualTo(new FeedbackSpec(Duration.ofDays(7), 1.0));
        assertThat(feedbackOf("{}")).isEqualTo(new FeedbackSpec(Duration.ofDays(7), 1.0));
    }

    @Test
    void readsTtlAndSampleRate() {
        FeedbackSpec f = feedbackOf("{ttl: 14d, sample-rate: 0.25}");

        assertThat(f.ttl()).isEqualTo(Duration.ofDays(14));
        assertThat(f.ttlMillis()).isEqualTo(14 * 86_400_000L);
        assertThat(f.sampleRate()).isEqualTo(0.25);
    }

    @Test
    void aSampleRateOfOneIsEveryPrediction() {
        assertThat(feedbackOf("{sample-rate: 1}").sampleRate()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        " {ttl: 0s}              | models[0] (churn).feedback.ttl: must be positive",
        " {ttl: soon}            | models[0] (churn).feedback.ttl: 'soon' is not a duration; use a number and a unit: ms, s, m, h or d (e.g. 5m)",
        " {sample-rate: 0}       | models[0] (churn).feedback.sample-rate: must be a number in (0, 1], the share of predictions joined; got 0",
        " {sample-rate: 1.5}     | models[0] (churn).feedback.sample-rate: must be a number in (0, 1], the share of predictions joined; got 1.5",
        " {sample-rate: -0.1}    | models[0] (churn).feedback.sample-rate: must be a number in (0, 1], the share of predictions joined; got -0.1",
        " {sample-rate: half}    | models[0] (churn).feedback.sample-rate: must be a number in (0, 1], the share of predictions joined; got \"half\"",
        " {tll: 7d}              | models[0] (churn).feedback.tll: unknown field (expected one of sample-rate, ttl)",
        " true                   | models[0] (churn).feedback: must be a mapping (ttl, sample-rate), or empty for the defaults",
    })
    void invalidValuesAreReportedNamingModelAndField(String section, String problem) {
        assertThat(MonitorSpecLoaderTest.problemsOf(spec(section))).containsExactly(problem);
    }

    @Test
    void everyProblemOfTheSectionIsReportedTogether() {
        assertThat(MonitorSpecLoaderTest.problemsOf(spec("{ttl: -1d, sample-rate: 2}"))).hasSize(2);
    }
}
