package dev.vigil.performance;

import static dev.vigil.performance.TestOutcomes.classified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.spec.ModelTask;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Multiclass accuracy and macro F1 against per-class counts computed from the examples. */
class MulticlassMetricsTest {

    private static PerformanceAccumulator accumulate(String[] predicted, String[] truth) {
        PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.MULTICLASS_CLASSIFICATION, null, 0.5);
        for (int i = 0; i < truth.length; i++) {
            acc.addPrediction();
            acc.addLabel(classified(predicted[i], truth[i]));
        }
        return acc;
    }

    /** Macro F1 as scikit-learn defines it: the mean over every label seen, as truth or as prediction, of 2TP / (2TP + FP + FN). */
    static double exactMacroF1(String[] predicted, String[] truth, List<String> classes) {
        double sum = 0;
        for (String c : classes) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < truth.length; i++) {
                boolean p = predicted[i].equals(c);
                boolean t = truth[i].equals(c);
                if (p && t) tp++;
                else if (p) fp++;
                else if (t) fn++;
            }
            sum += 2.0 * tp / (2 * tp + fp + fn);
        }
        return sum / classes.size();
    }

    static List<String> classesInOrder(String[] predicted, String[] truth) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < truth.length; i++) {
            seen.add(truth[i]);
            seen.add(predicted[i]);
        }
        return new ArrayList<>(seen);
    }

    @Test
    void aClassThatIsNeverPredictedHasAnF1OfZero() {
        String[] truth = {"cat", "cat", "dog", "dog", "bird", "bird"};
        String[] predicted = {"cat", "dog", "dog", "dog", "cat", "cat"};
        Map<String, Double> m = accumulate(predicted, truth).metrics();
        // cat: TP 1, FP 2, FN 1 -> 0.4; dog: TP 2, FP 1, FN 0 -> 0.8; bird: never predicted -> 0.
        assertThat(m.get("accuracy")).isEqualTo(0.5);
        assertThat(m.get("macro_f1")).isCloseTo((0.4 + 0.8 + 0) / 3, within(1e-12));
        assertThat(m.get("macro_f1")).isCloseTo(exactMacroF1(predicted, truth, classesInOrder(predicted, truth)), within(1e-12));
        assertThat(m).doesNotContainKeys("precision", "recall", "roc_auc");
    }

    @Test
    void aPredictedClassThatIsNeverTrueAndAnUnlistedTrueLabelAreClassesToo() {
        String[] truth = {"cat", "dog", "axolotl"};
        String[] predicted = {"cat", "horse", "dog"};
        Map<String, Double> m = accumulate(predicted, truth).metrics();
        // cat 1; dog: TP 0, FP 1, FN 1 -> 0; horse 0; axolotl 0.
        assertThat(m.get("accuracy")).isEqualTo(1 / 3.0);
        assertThat(m.get("macro_f1")).isEqualTo(1 / 4.0);
    }

    @Test
    void allOneClassAndASingleExample() {
        assertThat(accumulate(new String[] {"a", "a"}, new String[] {"a", "a"}).metrics())
                .containsEntry("accuracy", 1.0)
                .containsEntry("macro_f1", 1.0);
        assertThat(accumulate(new String[] {"b"}, new String[] {"a"}).metrics())
                .containsEntry("accuracy", 0.0)
                .containsEntry("macro_f1", 0.0);
    }

    @Test
    void labelsWithoutAPredictedOrTrueLabelAreNotEvaluated() {
        PerformanceAccumulator acc = accumulate(new String[] {"a"}, new String[] {"a"});
        acc.addLabel(classified(null, "a"));
        acc.addLabel(classified("a", null));
        assertThat(acc.labels()).isEqualTo(3);
        assertThat(acc.evaluatedLabels()).isEqualTo(1);
        assertThat(acc.metrics()).containsEntry("accuracy", 1.0);
    }

    @Test
    void classesBeyondTheCapArePooledWhileAccuracyStaysExact() {
        int classes = 150;
        int n = 5_000;
        SplittableRandom random = new SplittableRandom(11);
        String[] truth = new String[n];
        String[] predicted = new String[n];
        for (int i = 0; i < n; i++) {
            truth[i] = "c" + random.nextInt(classes);
            predicted[i] = random.nextDouble() < 0.6 ? truth[i] : "c" + random.nextInt(classes);
        }
        PerformanceAccumulator acc = accumulate(predicted, truth);

        long correct = 0;
        for (int i = 0; i < n; i++) if (truth[i].equals(predicted[i])) correct++;
        // The first MAX_CLASSES labels in order of appearance (truth before prediction) keep their names.
        List<String> kept = classesInOrder(predicted, truth).subList(0, MulticlassPerformance.MAX_CLASSES);
        String[] pooledTruth = new String[n];
        String[] pooledPredicted = new String[n];
        for (int i = 0; i < n; i++) {
            pooledTruth[i] = kept.contains(truth[i]) ? truth[i] : "(other)";
            pooledPredicted[i] = kept.contains(predicted[i]) ? predicted[i] : "(other)";
        }
        List<String> pooledClasses = new ArrayList<>(kept);
        pooledClasses.add("(other)");
        // Pooled labels are correct only when they are the same label, not merely both pooled.
        double pooledF1 = exactMacroF1WithExactPoolMatches(predicted, truth, pooledPredicted, pooledTruth, pooledClasses);

        Map<String, Double> m = acc.metrics();
        assertThat(((MulticlassPerformance) acc).trackedClasses()).isEqualTo(MulticlassPerformance.MAX_CLASSES);
        assertThat(m.get("accuracy")).isEqualTo((double) correct / n);
        assertThat(m.get("macro_f1")).isCloseTo(pooledF1, within(1e-12));
        assertThat(acc.toBytes().length).isLessThan(3_000);
    }

    private static double exactMacroF1WithExactPoolMatches(
            String[] predicted, String[] truth, String[] pooledPredicted, String[] pooledTruth, List<String> classes) {
        double sum = 0;
        for (String c : classes) {
            int tp = 0;
            int predictedCount = 0;
            int trueCount = 0;
            for (int i = 0; i < truth.length; i++) {
                if (pooledPredicted[i].equals(c)) predictedCount++;
                if (pooledTruth[i].equals(c)) trueCount++;
                if (pooledTruth[i].equals(c) && truth[i].equals(predicted[i])) tp++;
            }
            sum += 2.0 * tp / (predictedCount + trueCount);
        }
        return sum / classes.size();
    }

    @Test
    void tenThousandRandomExamplesMatchTheDefinitions() {
        SplittableRandom random = new SplittableRandom(23);
        int n = 10_000;
        String[] truth = new String[n];
        String[] predicted = new String[n];
        for (int i = 0; i < n; i++) {
            // 8 classes of uneven frequency; class h is never predicted, class z never true.
            truth[i] = String.valueOf((char) ('a' + Math.min(7, (int) (-Math.log(1 - random.nextDouble()) * 2.5))));
            predicted[i] = random.nextDouble() < 0.65 ? truth[i] : String.valueOf((char) ('a' + random.nextInt(7)));
            if (predicted[i].equals("h")) predicted[i] = "a";
            if (random.nextDouble() < 0.01) predicted[i] = "z";
        }
        long correct = 0;
        for (int i = 0; i < n; i++) if (truth[i].equals(predicted[i])) correct++;
        Map<String, Double> m = accumulate(predicted, truth).metrics();
        assertThat(m.get("accuracy")).isEqualTo((double) correct / n);
        assertThat(m.get("macro_f1")).isCloseTo(exactMacroF1(predicted, truth, classesInOrder(predicted, truth)), within(1e-12));
        assertThat(classesInOrder(predicted, truth)).contains("h", "z");
    }
}
