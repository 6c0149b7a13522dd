package dev.vigil.performance;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What a label costs the performance aggregator, in thread CPU time (so that other processes on
 * the machine do not count): adding it to an accumulator held as an object, and decoding,
 * updating and encoding an accumulator held as {@code byte[]} in state, at several window sizes.
 * Median of 5 rounds after a warm-up. Run from the project directory after {@code mvn test-compile}:
 * {@code java -cp "target/classes:target/test-classes" dev.vigil.performance.PerformanceStateCost}.
 * The figures are in docs/benchmarks.md.
 */
public final class PerformanceStateCost {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    private PerformanceStateCost() {}

    public static void main(String[] args) {
        Outcome[] labels = labels(1 << 16);
        int rounds = 5;
        System.out.printf("addLabel into an object: %.0f ns/label%n", median(rounds + 1, () -> {
            PerformanceAccumulator acc = PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", 0.5);
            int n = 1_000_000;
            for (int i = 0; i < n; i++) {
                acc.addPrediction();
                acc.addLabel(labels[i & (labels.length - 1)]);
            }
            sink += acc.labels();
            return n;
        }));
        for (int windowLabels : new int[] {100, 1_000, 10_000, 100_000}) {
            PerformanceAccumulator window = PerformanceAccumulator.create(ModelTask.BINARY_CLASSIFICATION, "fraud", 0.5);
            for (int i = 0; i < windowLabels; i++) {
                window.addPrediction();
                window.addLabel(labels[i & (labels.length - 1)]);
            }
            byte[] state = window.toBytes();
            int n = Math.max(200, 20_000_000 / state.length);
            double update = median(rounds + 1, () -> {
                for (int i = 0; i < n; i++) {
                    PerformanceAccumulator acc = PerformanceAccumulator.fromBytes(state);
                    acc.addLabel(labels[i & (labels.length - 1)]);
                    sink += acc.toBytes().length;
                }
                return n;
            });
            double metrics = median(rounds + 1, () -> {
                for (int i = 0; i < n; i++) sink += window.metrics().size();
                return n;
            });
            System.out.printf("window of %,d labels, %,d bytes: decode + addLabel + encode %.1f us, metrics() %.1f us%n",
                    windowLabels, state.length, update / 1e3, metrics / 1e3);
        }
    }

    /** Binary labels of a fraud model: 20% positives, 4-decimal scores, delays from 1 ms to days. */
    private static Outcome[] labels(int n) {
        SplittableRandom random = new SplittableRandom(1);
        Outcome[] labels = new Outcome[n];
        for (int i = 0; i < n; i++) {
            boolean fraud = random.nextDouble() < 0.2;
            Outcome o = new Outcome();
            o.type = Outcome.LABEL;
            o.predictionTime = 1_700_000_000_000L;
            o.feedbackTime = o.predictionTime + (long) Math.exp(random.nextDouble() * 20);
            o.score = Math.round((fraud ? 0.5 : 0.3) * 10_000 + random.nextInt(5_000)) / 10_000.0;
            o.trueLabel = fraud ? "fraud" : "legit";
            labels[i] = o;
        }
        return labels;
    }

    private interface Round {
        int run();
    }

    /** Median thread CPU ns per operation over the rounds after the first. */
    private static double median(int rounds, Round round) {
        double[] nanosPerOp = new double[rounds - 1];
        round.run();
        for (int r = 0; r < rounds - 1; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            int ops = round.run();
            nanosPerOp[r] = (double) (THREADS.getCurrentThreadCpuTime() - start) / ops;
        }
        Arrays.sort(nanosPerOp);
        return nanosPerOp[nanosPerOp.length / 2];
    }
}
