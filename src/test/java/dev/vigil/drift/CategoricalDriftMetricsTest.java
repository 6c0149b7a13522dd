package dev.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.drift.CategoricalDriftScores.CategoryShift;
import dev.vigil.profile.CategoricalProfile;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.junit.jupiter.api.Test;

/**
 * Categorical drift scores from profiles and from exact counts against textbook computations on
 * the raw counts. While a profile has seen fewer than 96 distinct values its frequent-items
 * sketch is exact, so the scores must match to rounding; beyond that each listed count is off by
 * at most the sketch's offset, a priori at most 3.5 / 128 ≈ 2.7% of the count.
 */
class CategoricalDriftMetricsTest {
    private static final double PSI_WARNING = 0.1;
    private static final double JS_WARNING = 0.1;
    private static final double LINF_WARNING = 0.05;
    private static final double EPS = CategoricalDrift.DEFAULT_EPSILON;

    // --- exact counts --------------------------------------------------------------------------

    @Test
    void chiSquareOfAHandWorkedExample() {
        // Reference shares 50/30/20%; 100 current values 40/35/25: E = 50, 30, 20.
        CategoricalDriftScores s = CategoricalDrift.of(
                Map.of("a", 500L, "b", 300L, "c", 200L), Map.of("a", 40L, "b", 35L, "c", 25L));
        double chi = 100.0 / 50 + 25.0 / 30 + 25.0 / 20;
        assertThat(s.chiSquare()).isCloseTo(chi, within(1e-12));
        assertThat(s.chiSquareP()).isCloseTo(Math.exp(-chi / 2), within(1e-12)); // 2 dof: e^(−x/2)
        assertThat(s.linf()).isCloseTo(0.10, within(1e-12));
        assertThat(s.unseenShare()).isZero();
        assertThat(s.topShifts()).extracting(CategoryShift::category).containsExactly("a", "b", "c");
    }

    @Test
    void exactCountsMatchTheTextbookFormulas() {
        Map<String, Long> ref = Map.of("yes", 3000L, "no", 6500L, "maybe", 500L);
        Map<String, Long> cur = Map.of("yes", 3900L, "no", 5200L, "maybe", 0L, "unsure", 900L);
        CategoricalDriftScores s = CategoricalDrift.of(ref, cur);
        Textbook t = new Textbook(ref, cur);
        assertThat(s.psi()).isCloseTo(t.psi(), within(1e-12));
        assertThat(s.js()).isCloseTo(t.js(), within(1e-12));
        assertThat(s.linf()).isCloseTo(t.linf(), within(1e-12));
        assertThat(s.chiSquare()).isCloseTo(t.chiSquare(), within(1e-9 * t.chiSquare()));
        assertThat(s.unseenShare()).isCloseTo(0.09, within(1e-12));
        assertThat(s.chiSquareP()).isLessThan(1e-100);
        assertThat(s.topShifts().get(0).describe("label")).isEqualTo("label=no 65.0% → 52.0%");
    }

    // --- profiles within the exact capacity ----------------------------------------------------

    @Test
    void sixtyZipfCategoriesAreScoredExactly() {
        SplittableRandom r = new SplittableRandom(17);
        Zipf zipf = new Zipf(60, 1.0, "c");
        Sample ref = Sample.of(() -> zipf.next(r), 50_000, 1);
        Sample same = Sample.of(() -> zipf.next(r), 30_000, 3);
        Zipf flatter = new Zipf(60, 0.6, "c");
        Sample shifted = Sample.of(() -> flatter.next(r), 30_000, 3);

        CategoricalDriftScores s = CategoricalDrift.of(ref.profile, same.profile);
        assertMatchesExactly(s, new Textbook(ref.counts, same.counts));
        assertThat(s.psi()).isLessThan(PSI_WARNING / 2);
        assertThat(s.js()).isLessThan(JS_WARNING / 2);
        assertThat(s.linf()).isLessThan(LINF_WARNING / 2);
        assertThat(s.unseenShare()).isZero();

        CategoricalDriftScores d = CategoricalDrift.of(ref.profile, shifted.profile);
        assertMatchesExactly(d, new Textbook(ref.counts, shifted.counts));
        assertThat(d.psi()).isGreaterThan(2 * PSI_WARNING);
        assertThat(d.js()).isGreaterThan(JS_WARNING);
        assertThat(d.linf()).isGreaterThan(LINF_WARNING);
        assertThat(d.topShifts().get(0).category()).isEqualTo("c1");
        assertThat(CategoricalDrift.counts(ref.profile)).doesNotContainKey(CategoricalDrift.OTHER);
    }

    @Test
    void aNewCategoryIsUnseenAndLeadsTheExplanation() {
        SplittableRandom r = new SplittableRandom(23);
        String[] known = {"grocery", "fuel", "travel", "restaurants", "electronics", "clothing", "pharmacy", "other_retail"};
        Sample ref = Sample.of(() -> known[r.nextInt(known.length)], 40_000, 2);
        Sample cur = Sample.of(() -> r.nextDouble() < 0.09 ? "crypto" : known[r.nextInt(known.length)], 20_000, 2);
        CategoricalDriftScores s = CategoricalDrift.of(ref.profile, cur.profile);
        Textbook t = new Textbook(ref.counts, cur.counts);
        assertMatchesExactly(s, t);
        double cryptoShare = cur.counts.get("crypto") / 20_000.0;
        assertThat(s.unseenShare()).isCloseTo(cryptoShare, within(1e-12));
        assertThat(s.chiSquareP()).isZero(); // underflows: the statistic is in the millions
        assertThat(s.psi()).isGreaterThan(0.25);
        CategoryShift top = s.topShifts().get(0);
        assertThat(top.category()).isEqualTo("crypto");
        assertThat(top.describe("merchant_category"))
                .isEqualTo(String.format(Locale.ROOT, "merchant_category=crypto 0%% → %.1f%%", 100 * cryptoShare));
        System.out.println("new category: " + s.explain("merchant_category"));
    }

    // --- profiles beyond the exact capacity ----------------------------------------------------

    @Test
    void fiveHundredZipfCategoriesDegradeGracefully() {
        SplittableRandom r = new SplittableRandom(29);
        Zipf zipf = new Zipf(500, 1.0, "m");
        Sample ref = Sample.of(() -> zipf.next(r), 60_000, 1);
        Sample same = Sample.of(() -> zipf.next(r), 30_000, 3);
        // The five most frequent values trade places: m1 ↔ m5, m2 ↔ m4.
        Map<String, String> swap = Map.of("m1", "m5", "m5", "m1", "m2", "m4", "m4", "m2");
        Sample shifted = Sample.of(() -> {
            String v = zipf.next(r);
            return swap.getOrDefault(v, v);
        }, 30_000, 3);

        // Each listed count is within the sketch's a priori error of the true count; all add up.
        for (Sample sample : List.of(ref, same, shifted)) {
            Map<String, Double> counts = CategoricalDrift.counts(sample.profile);
            double bound = ItemsSketch.getAprioriError(CategoricalProfile.FREQUENT_ITEMS_MAP_SIZE, sample.n);
            double total = 0;
            double worst = 0;
            for (Map.Entry<String, Double> e : counts.entrySet()) {
                total += e.getValue();
                if (e.getKey().equals(CategoricalDrift.OTHER)) continue;
                double error = Math.abs(e.getValue() - sample.counts.get(e.getKey()));
                worst = Math.max(worst, error);
                assertThat(error).as(e.getKey()).isLessThanOrEqualTo(bound);
            }
            assertThat(total).isCloseTo(sample.n, within(1e-6));
            // The inferred error (smallest estimate − 1) is at least the sketch's true offset, and close to it.
            double error = CategoricalDrift.Side.of(sample.profile).error();
            long offset = sample.mirror.getMaximumError();
            assertThat(error).isBetween((double) offset, offset + 0.001 * sample.n);
            System.out.printf(Locale.ROOT,
                    "500 categories, n=%d: inferred sketch error %.0f (true %d, %.2f%% of n), %d values compared + (other), worst compared-count error %.0f (a priori bound %.0f)%n",
                    sample.n, error, offset, 100 * error / sample.n, counts.size() - 1, worst, bound);
        }

        CategoricalDriftScores s = CategoricalDrift.of(ref.profile, same.profile);
        CategoricalDriftScores d = CategoricalDrift.of(ref.profile, shifted.profile);
        Textbook ts = new Textbook(ref.counts, same.counts);
        Textbook td = new Textbook(ref.counts, shifted.counts);
        report("same", s, ts);
        report("shifted", d, td);

        // Same distribution: the sketch lumps the long tail into "(other)", which removes the
        // tail's sampling noise; every score stays far below its warning threshold.
        assertThat(s.psi()).isLessThan(PSI_WARNING / 2);
        assertThat(s.js()).isLessThan(JS_WARNING / 2);
        assertThat(s.linf()).isLessThan(LINF_WARNING / 2);
        assertThat(s.unseenShare()).isLessThan(0.01);
        // Shifted: the change sits in the head, which the sketch tracks closely.
        assertThat(d.psi()).isCloseTo(td.psi(), within(Math.max(0.02, 0.2 * td.psi())));
        assertThat(d.js()).isCloseTo(td.js(), within(Math.max(0.04, 0.1 * td.js())));
        assertThat(d.linf()).isCloseTo(td.linf(), within(0.01));
        assertThat(d.psi()).isGreaterThan(2 * PSI_WARNING);
        assertThat(d.js()).isGreaterThan(JS_WARNING);
        assertThat(d.topShifts()).extracting(CategoryShift::category).startsWith("m1");
    }

    @Test
    void aNewCategoryIsFoundBeyondTheExactCapacity() {
        SplittableRandom r = new SplittableRandom(31);
        Zipf zipf = new Zipf(500, 1.0, "m");
        Sample ref = Sample.of(() -> zipf.next(r), 60_000, 4);
        Sample cur = Sample.of(() -> r.nextDouble() < 0.05 ? "crypto" : zipf.next(r), 30_000, 3);
        CategoricalDriftScores s = CategoricalDrift.of(ref.profile, cur.profile);
        double cryptoShare = cur.counts.get("crypto") / 30_000.0;
        // The resolution is the larger error / count of the two sketches, a priori at most 2.7%.
        double resolution = ItemsSketch.getEpsilon(CategoricalProfile.FREQUENT_ITEMS_MAP_SIZE);
        assertThat(s.unseenShare()).isCloseTo(cryptoShare, within(resolution));
        assertThat(s.topShifts().get(0).category()).isEqualTo("crypto");
        assertThat(s.topShifts().get(0).currentShare()).isCloseTo(cryptoShare, within(resolution));
        assertThat(s.psi()).isGreaterThan(0.25);
        System.out.printf(Locale.ROOT, "new category beyond capacity: unseen %.4f (exact %.4f); %s%n",
                s.unseenShare(), cryptoShare, s.explain("merchant"));
    }

    // --- chi-square survival function ------------------------------------------------------------

    @Test
    void chiSquareSurvivalMatchesTableValues() {
        // Critical values of the chi-square distribution (upper tail p).
        double[][] table = {
            {3.8414588206941285, 1, 0.05}, {6.634896601021217, 1, 0.01}, {10.827566170662733, 1, 0.001},
            {2.70554345409542, 1, 0.10}, {5.991464547107983, 2, 0.05}, {7.814727903251178, 3, 0.05},
            {11.070497693516355, 5, 0.05}, {15.086272469388991, 5, 0.01}, {18.30703805327515, 10, 0.05},
            {124.34211340400408, 100, 0.05},
        };
        for (double[] row : table) {
            assertThat(CategoricalDrift.chiSquareSurvival(row[0], row[1]))
                    .as("chi2 %s with %s dof", row[0], row[1]).isCloseTo(row[2], within(1e-10));
        }
        assertThat(CategoricalDrift.chiSquareSurvival(3.84, 1)).isCloseTo(0.05, within(1e-4));
        assertThat(CategoricalDrift.chiSquareSurvival(11.07, 5)).isCloseTo(0.05, within(1e-4));
    }

    @Test
    void chiSquareSurvivalMatchesClosedFormsAndIdentities() {
        for (double x = 0.01; x < 400; x *= 1.37) {
            // Even dof 2k: e^(−x/2) Σ_{i<k} (x/2)^i / i!.
            for (int k = 1; k <= 30; k++) {
                double term = 1;
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    sum += term;
                    term *= (x / 2) / (i + 1);
                }
                double expected = Math.exp(-x / 2) * sum;
                assertThat(CategoricalDrift.chiSquareSurvival(x, 2 * k))
                        .as("x=%s dof=%s", x, 2 * k).isCloseTo(expected, within(1e-12 + 1e-10 * expected));
            }
            // Odd dof: Q(x; d + 2) = Q(x; d) + (x/2)^(d/2) e^(−x/2) / Γ(d/2 + 1), Γ of half-integers exact.
            double gamma = Math.sqrt(Math.PI) / 2; // Γ(3/2)
            for (int d = 1; d <= 41; d += 2) {
                double lower = CategoricalDrift.chiSquareSurvival(x, d);
                double upper = CategoricalDrift.chiSquareSurvival(x, d + 2);
                double step = Math.exp((d / 2.0) * Math.log(x / 2) - x / 2) / gamma;
                assertThat(upper).as("x=%s dof=%s", x, d + 2).isCloseTo(lower + step, within(1e-12 + 1e-10 * upper));
                gamma *= d / 2.0 + 1; // Γ(d/2 + 2) for the next step
            }
        }
        assertThat(CategoricalDrift.chiSquareSurvival(0, 3)).isEqualTo(1.0);
        assertThat(CategoricalDrift.chiSquareSurvival(1e6, 3)).isEqualTo(0.0);
        assertThat(CategoricalDrift.chiSquareSurvival(1000, 10)).isCloseTo(1.870290720915977e-208, within(1e-218));
        assertThat(CategoricalDrift.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        assertThat(CategoricalDrift.logGamma(171)).isCloseTo(706.5730622457874, within(1e-9)); // ln 170!
    }

    // --- edge cases -----------------------------------------------------------------------------

    @Test
    void identicalAndSingleCategoryInputs() {
        CategoricalDriftScores same = CategoricalDrift.of(Map.of("a", 10L, "b", 30L), Map.of("a", 20L, "b", 60L));
        assertThat(same.psi()).isZero();
        assertThat(same.js()).isZero();
        assertThat(same.chiSquare()).isZero();
        assertThat(same.chiSquareP()).isEqualTo(1.0);
        assertThat(same.topShifts()).isEmpty();
        CategoricalDriftScores one = CategoricalDrift.of(Map.of("a", 10L), Map.of("a", 99L));
        assertThat(one.chiSquareP()).isEqualTo(1.0);
        assertThat(one.linf()).isZero();
    }

    @Test
    void labelsFoldedIntoOtherAreOneCategoryAndNotUnseen() {
        // SegmentProfile folds labels beyond its cap into "(other)".
        CategoricalDriftScores s = CategoricalDrift.of(Map.of("a", 50L, "b", 50L),
                Map.of("a", 40L, "b", 40L, CategoricalDrift.OTHER, 20L));
        assertThat(s.unseenShare()).isZero();
        assertThat(s.topShifts()).extracting(CategoryShift::category).containsExactly(CategoricalDrift.OTHER, "a", "b");
        assertThat(s.linf()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void emptyOrNegativeInputsAreRejected() {
        assertThatThrownBy(() -> CategoricalDrift.of(Map.of(), Map.of("a", 1L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CategoricalDrift.of(Map.of("a", 1L), Map.of("a", 0L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CategoricalDrift.of(Map.of("a", -1L), Map.of("a", 1L))).isInstanceOf(IllegalArgumentException.class);
        CategoricalProfile empty = new CategoricalProfile();
        empty.addMissing();
        CategoricalProfile one = new CategoricalProfile();
        one.add("a", Set.of());
        assertThatThrownBy(() -> CategoricalDrift.of(empty, one)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CategoricalDrift.of(one, empty)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shiftDescriptions() {
        assertThat(new CategoryShift("crypto", 0.002, 0.091).describe("merchant_category"))
                .isEqualTo("merchant_category=crypto 0.2% → 9.1%");
        assertThat(new CategoryShift("crypto", 0.0004, 0.5).describe()).isEqualTo("crypto 0.040% → 50.0%");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void assertMatchesExactly(CategoricalDriftScores s, Textbook t) {
        assertThat(s.psi()).as("PSI").isCloseTo(t.psi(), within(1e-9));
        assertThat(s.js()).as("JS").isCloseTo(t.js(), within(1e-9));
        assertThat(s.linf()).as("L∞").isCloseTo(t.linf(), within(1e-12));
        assertThat(s.chiSquare()).as("chi-square").isCloseTo(t.chiSquare(), within(1e-9 * Math.max(1, t.chiSquare())));
        assertThat(s.unseenShare()).as("unseen").isCloseTo(t.unseen(), within(1e-12));
    }

    private static void report(String label, CategoricalDriftScores s, Textbook t) {
        System.out.printf(Locale.ROOT,
                "500 categories, %-7s sketch/exact: psi %.4f/%.4f js %.4f/%.4f linf %.4f/%.4f chi2 %.1f/%.1f unseen %.4f/%.4f%n",
                label, s.psi(), t.psi(), s.js(), t.js(), s.linf(), t.linf(), s.chiSquare(), t.chiSquare(), s.unseenShare(), t.unseen());
    }

    /** Values drawn with probability proportional to 1 / rank^exponent. */
    static final class Zipf {
        final String[] names;
        final double[] cumulative;

        Zipf(int n, double exponent, String prefix) {
            names = new String[n];
            cumulative = new double[n];
            double sum = 0;
            for (int k = 1; k <= n; k++) {
                names[k - 1] = prefix + k;
                sum += 1 / Math.pow(k, exponent);
                cumulative[k - 1] = sum;
            }
            for (int k = 0; k < n; k++) cumulative[k] /= sum;
        }

        String next(SplittableRandom r) {
            double u = r.nextDouble();
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) hi = mid; else lo = mid + 1;
            }
            return names[lo];
        }
    }

    /** Raw values' exact counts and a profile built from them as partial profiles merged. */
    static final class Sample {
        final int n;
        final Map<String, Long> counts = new HashMap<>();
        final CategoricalProfile profile = new CategoricalProfile();
        /** The same values in a bare frequent-items sketch, built the same way, to read its true error. */
        final ItemsSketch<String> mirror = new ItemsSketch<>(CategoricalProfile.FREQUENT_ITEMS_MAP_SIZE);

        private Sample(int n) {
            this.n = n;
        }

        static Sample of(Supplier<String> values, int n, int partials) {
            Sample s = new Sample(n);
            CategoricalProfile[] parts = new CategoricalProfile[partials];
            List<ItemsSketch<String>> mirrors = new java.util.ArrayList<>();
            for (int p = 0; p < partials; p++) {
                parts[p] = new CategoricalProfile();
                mirrors.add(new ItemsSketch<>(CategoricalProfile.FREQUENT_ITEMS_MAP_SIZE));
            }
            for (int i = 0; i < n; i++) {
                String v = values.get();
                s.counts.merge(v, 1L, Long::sum);
                parts[i % partials].add(v, Set.of());
                mirrors.get(i % partials).update(v);
            }
            for (CategoricalProfile p : parts) s.profile.merge(p);
            for (ItemsSketch<String> m : mirrors) s.mirror.merge(m);
            return s;
        }
    }

    /** Textbook formulas on exact counts over the union of categories. */
    static final class Textbook {
        final double[] r;
        final double[] c;
        final double[] observed;

        Textbook(Map<String, Long> reference, Map<String, Long> current) {
            TreeSet<String> all = new TreeSet<>();
            reference.forEach((k, v) -> { if (v > 0) all.add(k); });
            current.forEach((k, v) -> { if (v > 0) all.add(k); });
            Map<String, Long> ref = new LinkedHashMap<>(reference);
            double nr = reference.values().stream().mapToLong(Long::longValue).sum();
            double nc = current.values().stream().mapToLong(Long::longValue).sum();
            r = new double[all.size()];
            c = new double[all.size()];
            observed = new double[all.size()];
            int i = 0;
            for (String k : all) {
                r[i] = ref.getOrDefault(k, 0L) / nr;
                observed[i] = current.getOrDefault(k, 0L);
                c[i] = observed[i] / nc;
                i++;
            }
        }

        double psi() {
            double s = 0;
            for (int i = 0; i < r.length; i++) {
                double a = Math.max(r[i], EPS);
                double b = Math.max(c[i], EPS);
                s += (b - a) * Math.log(b / a);
            }
            return s;
        }

        double js() {
            double d = 0;
            for (int i = 0; i < r.length; i++) {
                double m = (r[i] + c[i]) / 2;
                if (r[i] > 0) d += 0.5 * r[i] * Math.log(r[i] / m) / Math.log(2);
                if (c[i] > 0) d += 0.5 * c[i] * Math.log(c[i] / m) / Math.log(2);
            }
            return Math.sqrt(Math.max(0, d));
        }

        double linf() {
            double m = 0;
            for (int i = 0; i < r.length; i++) m = Math.max(m, Math.abs(r[i] - c[i]));
            return m;
        }

        /** Σ (O − E)² / E with E = N·r, reference shares floored at epsilon and renormalized. */
        double chiSquare() {
            double n = 0;
            double norm = 0;
            for (int i = 0; i < r.length; i++) {
                n += observed[i];
                norm += Math.max(r[i], EPS);
            }
            double s = 0;
            for (int i = 0; i < r.length; i++) {
                double e = n * Math.max(r[i], EPS) / norm;
                s += (observed[i] - e) * (observed[i] - e) / e;
            }
            return s;
        }

        double unseen() {
            double u = 0;
            for (int i = 0; i < r.length; i++) if (r[i] == 0) u += c[i];
            return u;
        }
    }
}
