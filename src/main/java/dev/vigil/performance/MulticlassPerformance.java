package dev.vigil.performance;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Multiclass classification: per class, how often it was the truth, how often it was predicted
 * and how often both (the diagonal and the margins of the confusion matrix, all that accuracy
 * and macro F1 need), so the state grows with the classes, not with their square.
 *
 * <p>Any true or predicted label is a class of its own, including labels the spec does not
 * list, up to {@link #MAX_CLASSES} distinct classes per accumulator; labels seen after that are
 * pooled into one "other" class. Accuracy stays exact past the cap (it compares the labels
 * themselves); macro F1 then treats the pooled labels as one class.
 */
final class MulticlassPerformance extends PerformanceAccumulator {
    /** Distinct classes tracked one by one; beyond, labels are pooled. */
    static final int MAX_CLASSES = 100;

    /** Per class: true count, predicted count, correct count. Index MAX_CLASSES is the pool. */
    private final List<String> classNames = new ArrayList<>();
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final long[] actual = new long[MAX_CLASSES + 1];
    private final long[] predicted = new long[MAX_CLASSES + 1];
    private final long[] correctByClass = new long[MAX_CLASSES + 1];
    private long evaluated;
    private long correct;

    @Override
    public ModelTask task() {
        return ModelTask.MULTICLASS_CLASSIFICATION;
    }

    @Override
    public long evaluatedLabels() {
        return evaluated;
    }

    /** Distinct classes tracked one by one (not counting the pool). */
    int trackedClasses() {
        return classNames.size();
    }

    private int slot(String label) {
        Integer index = classIndex.get(label);
        if (index != null) return index;
        if (classNames.size() == MAX_CLASSES) return MAX_CLASSES;
        classIndex.put(label, classNames.size());
        classNames.add(label);
        return classNames.size() - 1;
    }

    @Override
    void addGroundTruth(Outcome outcome) {
        if (outcome.trueLabel == null || outcome.predictedLabel == null) return;
        evaluated++;
        int truth = slot(outcome.trueLabel);
        int prediction = slot(outcome.predictedLabel);
        actual[truth]++;
        predicted[prediction]++;
        if (outcome.trueLabel.equals(outcome.predictedLabel)) {
            correct++;
            correctByClass[truth]++;
        }
    }

    @Override
    void mergeGroundTruth(PerformanceAccumulator other) {
        MulticlassPerformance o = (MulticlassPerformance) other;
        for (int i = 0; i <= MAX_CLASSES; i++) {
            if (o.actual[i] == 0 && o.predicted[i] == 0) continue;
            int target = i == MAX_CLASSES ? MAX_CLASSES : slot(o.classNames.get(i));
            actual[target] += o.actual[i];
            predicted[target] += o.predicted[i];
            correctByClass[target] += o.correctByClass[i];
        }
        evaluated += o.evaluated;
        correct += o.correct;
    }

    @Override
    void addQualityMetrics(SortedMap<String, Double> metrics) {
        if (evaluated == 0) return;
        put(metrics, PerformanceMetric.ACCURACY, (double) correct / evaluated);
        double f1Sum = 0;
        int classes = 0;
        for (int i = 0; i <= MAX_CLASSES; i++) {
            long margin = actual[i] + predicted[i];
            if (margin == 0) continue;
            f1Sum += 2.0 * correctByClass[i] / margin;
            classes++;
        }
        put(metrics, PerformanceMetric.MACRO_F1, f1Sum / classes);
    }

    @Override
    void writeGroundTruth(CompactEncoding.Writer out) {
        out.writeVarLong(evaluated);
        out.writeVarLong(correct);
        out.writeVarLong(classNames.size());
        for (int i = 0; i < classNames.size(); i++) {
            out.writeText(classNames.get(i));
            writeClass(out, i);
        }
        writeClass(out, MAX_CLASSES);
    }

    private void writeClass(CompactEncoding.Writer out, int i) {
        out.writeVarLong(actual[i]);
        out.writeVarLong(predicted[i]);
        out.writeVarLong(correctByClass[i]);
    }

    private void readClass(CompactEncoding.Reader in, int i) throws IOException {
        actual[i] = in.readVarLong();
        predicted[i] = in.readVarLong();
        correctByClass[i] = in.readVarLong();
    }

    @Override
    int encodedSizeHint() {
        int names = 0;
        for (String name : classNames) names += name.length() + 1;
        return 32 + names + 12 * classNames.size();
    }

    static MulticlassPerformance read(CompactEncoding.Reader in) throws IOException {
        MulticlassPerformance p = new MulticlassPerformance();
        p.evaluated = in.readVarLong();
        p.correct = in.readVarLong();
        int n = in.readVarInt(MAX_CLASSES);
        for (int i = 0; i < n; i++) {
            String name = in.readText();
            if (p.classIndex.putIfAbsent(name, i) != null) throw new IOException("duplicate class " + name);
            p.classNames.add(name);
            p.readClass(in, i);
        }
        p.readClass(in, MAX_CLASSES);
        return p;
    }
}
