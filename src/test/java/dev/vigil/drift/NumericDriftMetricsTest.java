package dev.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.drift.NumericDriftScores.BinShift;
import dev.vigil.profile.NumericProfile;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sketch-based numeric drift scores against the same scores computed exactly from the raw samples
 * (exact reference quantiles as bin edges, exact empirical CDFs and quantile functions). The
 * reference has 50,000 values in one profile, the current window 30,000 in three merged partial
 * profiles, as the job builds them.
 *
 * <p>Tolerances (derivations in docs/drift-metrics.md, "Errors from the sketches"). KLL (k = 200)
 * puts every CDF value within its normalized rank error ε ≈ 1.33% (99% confidence); the realized
 * errors are about 0.5% (one standard deviation).
 *
 * <ul>
 *   <li>KS, a difference of two CDFs: 2ε.
 *   <li>PSI: a bin-share error δ changes the PSI by about δ·(ln(c/r) + 1 − r/c) for the current
 *       share c and δ·(ln(r/c) + 1 − c/r) for the reference share r. Near-equal distributions
 *       stay below 0.01; a bin that empties out (r/c = 10 in "uniform vs triangular") turns a
 *       0.5% share error into 0.05, about 10–15% of the PSI: max(0.02, 20%).
 *   <li>JS distance: near 0 the square root turns the divergence error Σ δ²/(8·ln 2·s) into
 *       about 0.02–0.03 for δ = 0.5–0.7% over 10 bins; otherwise it is smooth: max(0.04, 10%).
 *   <li>Normalized Wasserstein: a rank error δ moves Q(p) by δ / f(Q(p)); averaged over the
 *       central 90% for normal data that is 3.65·δ·σ per sketch: max(0.04, 10%). Heavy tails have
 *       steep quantile functions near rank 0.95 (lognormal σ = 1.5: p95 is 7× the median), so
 *       there the floor is 0.08.
 * </ul>
 */
class NumericDriftMetricsTest {
    private static final double RANK_ERROR = NumericProfile.rankError();
    private static final double KS_TOLERANCE = 2 * RANK_ERROR;
    private static final int N_REF = 50_000;
    private static final int N_CUR = 30_000;

    // Default warning thresholds from docs/drift-metrics.md.
    private static final double PSI_WARNING = 0.1;
    private static final double JS_WARNING = 0.1;
    private static final double KS_WARNING = 0.1;
    private static final double W_WARNING = 0.25;

    static Stream<Arguments> pairs() {
        return Stream.of(
                pair("normal vs same normal", false, r -> () -> 50 + 10 * gaussian(r), r -> () -> 50 + 10 * gaussian(r)),
                pair("normal vs shifted normal (+0.8 sigma)", true,
                        r -> () -> 50 + 10 * gaussian(r), r -> () -> 58 + 10 * gaussian(r)),
                pair("normal vs scaled normal (sigma x1.8)", true,
                        r -> () -> 50 + 10 * gaussian(r), r -> () -> 50 + 18 * gaussian(r)),
                pair("lognormal vs same lognormal", false,
                        r -> () -> Math.exp(2 + 1.5 * gaussian(r)), r -> () -> Math.exp(2 + 1.5 * gaussian(r))),
                pair("lognormal vs shifted lognormal (x e^0.9)", true,
                        r -> () -> Math.exp(2 + 1.5 * gaussian(r)), r -> () -> Math.exp(2.9 + 1.5 * gaussian(r))),
                pair("discrete vs same discrete", false,
                        r -> discrete(r, DISCRETE_REF), r -> discrete(r, DISCRETE_REF)),
                pair("discrete vs shifted discrete", true,
                        r -> discrete(r, DISCRETE_REF), r -> discrete(r, DISCRETE_CUR)),
                pair("uniform vs same uniform", false, r -> () -> 100 * r.nextDouble(), r -> () -> 100 * r.nextDouble()),
                pair("uniform vs triangular", true,
                        r -> () -> 100 * r.nextDouble(), r -> () -> 100 * Math.max(r.nextDouble(), r.nextDouble())));
    }

    /**
     * Values 0–5 whose CDF (0.12, 0.32, 0.58, 0.78, 0.92) stays 2% away from every multiple of
     * 0.05, so that the exact and the sketch quantiles pick the same edges.
     */
    private static final double[] DISCRETE_REF = {0.12, 0.20, 0.26, 0.20, 0.14, 0.08};
    /** Mass moved up by about one step, plus a value (6) the reference never saw. */
    private static final double[] DISCRETE_CUR = {0.04, 0.10, 0.20, 0.26, 0.20, 0.12, 0.08};

    interface Source {
        DoubleSupplier values(SplittableRandom r);
    }

    private static Arguments pair(String name, boolean drifted, Source reference, Source current) {
        return Arguments.of(name, drifted, reference, current);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void sketchScoresMatchTheExactScoresOfTheRawSamples(String name, boolean drifted, Source reference, Source current) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        double[] ref = sample(reference.values(r), N_REF);
        double[] cur = sample(current.values(r), N_CUR);
        NumericDriftScores sketch = NumericDrift.DEFAULT.compare(profile(ref, 1), profile(cur, 3));
        Exact exact = new Exact(ref, cur);

        boolean heavyTailed = name.contains("lognormal");
        double psiTolerance = Math.max(0.02, 0.2 * exact.psi(10));
        double jsTolerance = Math.max(0.04, 0.1 * exact.js(10));
        double wTolerance = Math.max(heavyTailed ? 0.08 : 0.04, 0.1 * exact.wasserstein());
        System.out.printf(Locale.ROOT,
                "%-42s psi %.4f/%.4f (err %.4f, tol %.3f)  ks %.4f/%.4f (err %.4f)  js %.4f/%.4f (err %.4f)  w %.4f/%.4f (err %.4f)%n",
                name, sketch.psi(), exact.psi(10), Math.abs(sketch.psi() - exact.psi(10)), psiTolerance,
                sketch.ks(), exact.ks(), Math.abs(sketch.ks() - exact.ks()),
                sketch.js(), exact.js(10), Math.abs(sketch.js() - exact.js(10)),
                sketch.wasserstein(), exact.wasserstein(), Math.abs(sketch.wasserstein() - exact.wasserstein()));

        assertThat(sketch.ks()).as("KS").isCloseTo(exact.ks(), within(KS_TOLERANCE));
        assertThat(sketch.psi()).as("PSI").isCloseTo(exact.psi(10), within(psiTolerance));
        assertThat(sketch.js()).as("JS distance").isCloseTo(exact.js(10), within(jsTolerance));
        assertThat(sketch.wasserstein()).as("normalized W1").isCloseTo(exact.wasserstein(), within(wTolerance));

        if (drifted) {
            assertThat(sketch.psi()).as("PSI").isGreaterThan(2 * PSI_WARNING);
            assertThat(sketch.js()).as("JS").isGreaterThan(JS_WARNING);
            assertThat(sketch.ks()).as("KS").isGreaterThan(KS_WARNING);
            assertThat(sketch.wasserstein()).as("W1").isGreaterThan(W_WARNING);
            assertThat(sketch.topShifts()).hasSize(3);
        } else {
            // At most half the warning thresholds (measured maxima over 200 runs: PSI 0.006,
            // JS 0.034, KS 0.026, W 0.066).
            assertThat(sketch.psi()).as("PSI").isLessThan(PSI_WARNING / 2);
            assertThat(sketch.js()).as("JS").isLessThan(JS_WARNING / 2);
            assertThat(sketch.ks()).as("KS").isLessThan(KS_WARNING / 2);
            assertThat(sketch.wasserstein()).as("W1").isLessThan(W_WARNING / 2);
        }
    }

    @Test
    void topShiftsNameTheBinsThatMovedMost() {
        SplittableRandom r = new SplittableRandom(3);
        double[] ref = sample(() -> 100 * r.nextDouble(), N_REF);
        // A fifth of the current traffic piles up in [95, 100).
        double[] cur = sample(() -> r.nextDouble() < 0.2 ? 95 + 5 * r.nextDouble() : 100 * r.nextDouble(), N_CUR);
        NumericDriftScores s = NumericDrift.DEFAULT.compare(profile(ref, 1), profile(cur, 1));

        assertThat(s.topShifts()).hasSize(3);
        BinShift top = s.topShifts().get(0);
        assertThat(top.upper()).isInfinite();
        assertThat(top.lower()).isCloseTo(90, within(2.0));
        assertThat(top.referenceShare()).isCloseTo(0.1, within(2 * RANK_ERROR));
        assertThat(top.currentShare()).isCloseTo(0.28, within(0.01 + 2 * RANK_ERROR));
        assertThat(top.describe()).matches("\\[\\d+\\.\\d+, \\+∞\\): \\d+\\.\\d% → \\d+\\.\\d%");
        assertThat(top.describe("amount")).startsWith("amount in [");
        for (int i = 1; i < s.topShifts().size(); i++) {
            assertThat(Math.abs(s.topShifts().get(i).change())).isLessThanOrEqualTo(Math.abs(top.change()));
        }
        System.out.println("top shifts: " + s.explain());
    }

    @Test
    void binShiftDescriptionsAreShortAndReadable() {
        assertThat(new BinShift(120.5, 180.0, 0.1, 0.312).describe()).isEqualTo("[120.5, 180.0): 10.0% → 31.2%");
        assertThat(new BinShift(Double.NEGATIVE_INFINITY, 12.345678, 0.1, 0.0004).describe())
                .isEqualTo("(-∞, 12.35): 10.0% → 0.040%");
        assertThat(new BinShift(1000.01, 1000.04, 0.1, 0).describe()).isEqualTo("[1000.01, 1000.04): 10.0% → 0%");
    }

    @Test
    void duplicateEdgesOfDiscreteDataAreMerged() {
        // Uniform on 0..5: several deciles coincide, and the CDF steps sit exactly on decile
        // ranks (1/6, 1/2, 5/6 are not, 0.5 is), the worst case for matching edges.
        SplittableRandom r = new SplittableRandom(5);
        double[] ref = sample(() -> r.nextInt(6), N_REF);
        double[] cur = sample(() -> r.nextInt(6), N_CUR);
        NumericProfile refProfile = profile(ref, 1);
        double[] edges = NumericDrift.referenceEdges(refProfile.sketch(), 10);
        assertThat(edges.length).isBetween(5, 6);
        for (int i = 1; i < edges.length; i++) assertThat(edges[i]).isGreaterThan(edges[i - 1]);
        NumericDriftScores s = NumericDrift.DEFAULT.compare(refProfile, profile(cur, 2));
        assertThat(s.psi()).isLessThan(PSI_WARNING / 2);
        assertThat(s.js()).isLessThan(JS_WARNING / 2);
        assertThat(s.ks()).isLessThan(KS_WARNING / 2);
        assertThat(s.wasserstein()).isLessThan(W_WARNING / 2);
    }

    @Test
    void disjointRangesGiveAFiniteButLargePsi() {
        SplittableRandom r = new SplittableRandom(9);
        double[] ref = sample(() -> 100 * r.nextDouble(), N_REF);
        double[] cur = sample(() -> 200 + 100 * r.nextDouble(), N_CUR);
        NumericDriftScores s = NumericDrift.DEFAULT.compare(profile(ref, 1), profile(cur, 1));
        // Nine empty bins at epsilon 1e-4 and one holding everything: 9·(0.1−1e-4)·ln(1000) + 0.9·ln(10).
        double expected = 9 * (0.1 - 1e-4) * Math.log(0.1 / 1e-4) + 0.9 * Math.log(1 / 0.1);
        assertThat(s.psi()).isCloseTo(expected, within(0.05 * expected));
        assertThat(s.ks()).isEqualTo(1.0);
        // 10 bins: 9 of share 0.1 against 0, the last 0.1 against 1.
        double log2 = Math.log(2);
        double jsd = 0.5 * (9 * 0.1 + 0.1 * Math.log(0.1 / 0.55) / log2 + Math.log(1 / 0.55) / log2);
        assertThat(s.js()).isCloseTo(Math.sqrt(jsd), within(0.01));
        assertThat(s.wasserstein()).isCloseTo(200 / (50 / NumericDrift.NORMAL_IQR), within(0.3));
    }

    @Test
    void spreadFallsBackToTheRangeAndThenToOne() {
        NumericProfile mostlyZero = new NumericProfile();
        for (int i = 0; i < 1000; i++) mostlyZero.add(i < 900 ? 0 : 4, false);
        assertThat(NumericDrift.spread(mostlyZero.sketch())).isEqualTo(4.0);
        NumericProfile constant = new NumericProfile();
        for (int i = 0; i < 1000; i++) constant.add(7, false);
        assertThat(NumericDrift.spread(constant.sketch())).isEqualTo(1.0);
        NumericProfile shifted = new NumericProfile();
        for (int i = 0; i < 1000; i++) shifted.add(9, false);
        NumericDriftScores s = NumericDrift.DEFAULT.compare(constant, shifted);
        assertThat(s.wasserstein()).isEqualTo(2.0);
        assertThat(s.ks()).isEqualTo(1.0);
    }

    @Test
    void emptyProfilesAreRejected() {
        NumericProfile empty = new NumericProfile();
        empty.addMissing();
        NumericProfile one = profile(new double[] {1}, 1);
        assertThatThrownBy(() -> NumericDrift.of(empty, one)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NumericDrift.of(one, empty)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers -------------------------------------------------------------------------------

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static DoubleSupplier discrete(SplittableRandom r, double[] probabilities) {
        return () -> {
            double u = r.nextDouble();
            for (int k = 0; k < probabilities.length - 1; k++) {
                u -= probabilities[k];
                if (u < 0) return k;
            }
            return probabilities.length - 1;
        };
    }

    private static double[] sample(DoubleSupplier values, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = values.getAsDouble();
        return out;
    }

    /** A profile built as the job builds one: partial profiles (round robin) merged. */
    static NumericProfile profile(double[] values, int partials) {
        NumericProfile[] parts = new NumericProfile[partials];
        for (int p = 0; p < partials; p++) parts[p] = new NumericProfile();
        for (int i = 0; i < values.length; i++) parts[i % partials].add(values[i], false);
        NumericProfile total = new NumericProfile();
        for (NumericProfile p : parts) total.merge(p);
        return total;
    }

    /** Textbook versions of the scores on the raw samples. */
    static final class Exact {
        final double[] ref;
        final double[] cur;

        Exact(double[] reference, double[] current) {
            ref = reference.clone();
            cur = current.clone();
            Arrays.sort(ref);
            Arrays.sort(cur);
        }

        /** Smallest sample x with (#samples ≤ x) / n ≥ rank. */
        static double quantile(double[] sorted, double rank) {
            int i = (int) Math.ceil(rank * sorted.length - 1e-9) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        /** Number of samples strictly below v. */
        static int below(double[] sorted, double v) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < v) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /** Number of samples at or below v. */
        static int atOrBelow(double[] sorted, double v) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= v) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        double[] edges(int bins) {
            return Arrays.stream(java.util.stream.IntStream.range(1, bins).mapToDouble(i -> quantile(ref, i / (double) bins)).toArray())
                    .distinct().sorted().toArray();
        }

        static double[] shares(double[] sorted, double[] edges) {
            double[] s = new double[edges.length + 1];
            int previous = 0;
            for (int i = 0; i < edges.length; i++) {
                int b = below(sorted, edges[i]);
                s[i] = (b - previous) / (double) sorted.length;
                previous = b;
            }
            s[edges.length] = (sorted.length - previous) / (double) sorted.length;
            return s;
        }

        double psi(int bins) {
            double[] e = edges(bins);
            double[] r = shares(ref, e);
            double[] c = shares(cur, e);
            double psi = 0;
            for (int i = 0; i < r.length; i++) {
                double a = Math.max(r[i], 1e-4);
                double b = Math.max(c[i], 1e-4);
                psi += (b - a) * Math.log(b / a);
            }
            return psi;
        }

        double js(int bins) {
            double[] e = edges(bins);
            double[] p = shares(ref, e);
            double[] q = shares(cur, e);
            double d = 0;
            for (int i = 0; i < p.length; i++) {
                double m = 0.5 * (p[i] + q[i]);
                if (p[i] > 0) d += 0.5 * p[i] * Math.log(p[i] / m) / Math.log(2);
                if (q[i] > 0) d += 0.5 * q[i] * Math.log(q[i] / m) / Math.log(2);
            }
            return Math.sqrt(Math.max(0, d));
        }

        /** sup over all sample values x of |F_ref(x) − F_cur(x)|. */
        double ks() {
            double max = 0;
            for (double[] side : new double[][] {ref, cur}) {
                for (double x : side) {
                    double d = Math.abs(atOrBelow(ref, x) / (double) ref.length - atOrBelow(cur, x) / (double) cur.length);
                    max = Math.max(max, d);
                }
            }
            return max;
        }

        /**
         * (1 / (1 − 2a)) ∫ over p in [a, 1 − a] of |Q_ref(p) − Q_cur(p)| dp, exactly (both are
         * step functions), over the reference spread; a = 0 gives the Wasserstein-1 distance.
         */
        double wasserstein(double a) {
            int n = ref.length;
            int m = cur.length;
            int i = 0;
            int j = 0;
            double p = 0;
            double integral = 0;
            while (i < n && j < m) {
                // Q_ref = ref[i] on (i/n, (i+1)/n], Q_cur = cur[j] on (j/m, (j+1)/m].
                double nextRef = (i + 1) / (double) n;
                double nextCur = (j + 1) / (double) m;
                double next = Math.min(nextRef, nextCur);
                double overlap = Math.min(next, 1 - a) - Math.max(p, a);
                if (overlap > 0) integral += Math.abs(ref[i] - cur[j]) * overlap;
                p = next;
                if (nextRef <= next) i++;
                if (nextCur <= next) j++;
            }
            double iqr = quantile(ref, 0.75) - quantile(ref, 0.25);
            double scale = iqr > 0 ? iqr / 1.3489795003921634 : ref[n - 1] - ref[0] > 0 ? ref[n - 1] - ref[0] : 1;
            return integral / (1 - 2 * a) / scale;
        }

        double wasserstein() {
            return wasserstein(NumericDrift.DEFAULT_TRIM);
        }
    }
}
