package dev.vigil.drift;

import dev.vigil.drift.CategoricalDriftScores.CategoryShift;
import dev.vigil.profile.CategoricalProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Drift scores of a categorical quantity between a reference and the current window: from two
 * {@link CategoricalProfile}s (frequent-items estimates) or from exact counts such as
 * {@code SegmentProfile.labels()}. Immutable and thread-safe; {@link #DEFAULT} holds the documented
 * settings. Formulas and error bounds: {@code docs/drift-metrics.md}.
 *
 * <p>A profile's counts are its frequent-items sketch's listed values. They are exact while the
 * profile has seen fewer than 0.75 × {@value CategoricalProfile#FREQUENT_ITEMS_MAP_SIZE} distinct
 * values (recognized by the listed counts adding up to the profile's count). Beyond that each
 * listed count is an estimate: the value's guaranteed lower bound plus an offset common to all
 * values, the sketch's maximum error, which is inferred as the smallest listed estimate minus 1
 * (every listed value has a lower bound of at least 1). Values below that error can be listed with
 * a wildly inflated estimate or not at all, so when either side is approximate:
 *
 * <ul>
 *   <li>the <em>resolution</em> is the larger of the two sides' error / count;
 *   <li>a value is compared on its own only if its share exceeds twice the resolution on at least
 *       one side (on an approximate side: its lower bound exceeds its error, DataSketches'
 *       "no false positives" rule); on a side that does not list it, its count is 0;
 *   <li>everything else goes to the bucket {@link #OTHER} on both sides:
 *       {@code count − Σ compared values}. When the compared estimates add up to more than the
 *       count, each is lowered by the same amount, at most the offset, so that it stays within
 *       the sketch's bounds.
 * </ul>
 *
 * Each compared share is then off by at most the resolution (a priori at most 3.5 / 128 ≈ 2.7%,
 * in practice about 0.6% for long-tailed data). With exact counts on both sides every value is
 * compared and nothing is pooled.
 */
public final class CategoricalDrift {
    /** The bucket for values a profile's frequent-items sketch does not list. */
    public static final String OTHER = "(other)";
    public static final int DEFAULT_TOP_SHIFTS = 3;
    /** Floor for category shares in the PSI and for expected shares in the chi-square test. */
    public static final double DEFAULT_EPSILON = 1e-4;

    public static final CategoricalDrift DEFAULT = new CategoricalDrift(DEFAULT_TOP_SHIFTS, DEFAULT_EPSILON);

    private final int topShifts;
    private final double epsilon;

    public CategoricalDrift(int topShifts, double epsilon) {
        if (topShifts < 0) throw new IllegalArgumentException("topShifts must not be negative");
        if (!(epsilon > 0 && epsilon < 0.01)) throw new IllegalArgumentException("epsilon must be in (0, 0.01)");
        this.topShifts = topShifts;
        this.epsilon = epsilon;
    }

    /** {@link #DEFAULT}{@code .compare(reference, current)}. */
    public static CategoricalDriftScores of(CategoricalProfile reference, CategoricalProfile current) {
        return DEFAULT.compare(reference, current);
    }

    /** {@link #DEFAULT}{@code .compare(reference, current)}. */
    public static CategoricalDriftScores of(Map<String, Long> reference, Map<String, Long> current) {
        return DEFAULT.compare(reference, current);
    }

    /**
     * Scores two categorical profiles through their frequent-items sketches.
     *
     * @throws IllegalArgumentException when either profile has no values
     */
    public CategoricalDriftScores compare(CategoricalProfile reference, CategoricalProfile current) {
        if (reference.count() == 0) throw new IllegalArgumentException("the reference profile has no values");
        if (current.count() == 0) throw new IllegalArgumentException("the current profile has no values");
        return score(Side.of(reference), Side.of(current));
    }

    /**
     * Scores exact counts per category, e.g. predicted labels. Categories with count 0 are the
     * same as absent ones.
     *
     * @throws IllegalArgumentException when either side has no positive count, or a count is
     *     negative
     */
    public CategoricalDriftScores compare(Map<String, Long> reference, Map<String, Long> current) {
        return score(Side.of(reference, "reference"), Side.of(current, "current"));
    }

    /** One side's listed counts (estimates), its total, and its count error (0 when exact). */
    record Side(Map<String, Double> listed, double total, double error) {
        static Side of(CategoricalProfile profile) {
            List<CategoricalProfile.ValueCount> values = profile.topValues(Integer.MAX_VALUE);
            Map<String, Double> listed = new LinkedHashMap<>();
            long sum = 0;
            long min = Long.MAX_VALUE;
            for (CategoricalProfile.ValueCount v : values) {
                listed.put(v.value(), (double) v.count());
                sum += v.count();
                min = Math.min(min, v.count());
            }
            long total = profile.count();
            if (sum == total) return new Side(listed, total, 0);
            // Estimate = lower bound + offset with lower bounds ≥ 1 and Σ lower bounds ≤ count.
            double atLeast = Math.max(0, (sum - total) / (double) values.size());
            return new Side(listed, total, Math.max(atLeast, values.isEmpty() ? 0 : min - 1));
        }

        static Side of(Map<String, Long> exact, String name) {
            Map<String, Double> listed = new LinkedHashMap<>();
            long total = 0;
            for (Map.Entry<String, Long> e : exact.entrySet()) {
                long n = e.getValue();
                if (n < 0) throw new IllegalArgumentException("negative count for " + e.getKey() + " in the " + name);
                if (n > 0) listed.put(e.getKey(), (double) n);
                total += n;
            }
            if (total == 0) throw new IllegalArgumentException("the " + name + " has no values");
            return new Side(listed, total, 0);
        }

        /** Counts of the compared values (0 where not listed), then the rest as the last entry. */
        double[] counts(String[] compared) {
            double[] counts = new double[compared.length + 1];
            double sum = 0;
            int listedCompared = 0;
            for (int i = 0; i < compared.length; i++) {
                Double c = listed.get(compared[i]);
                if (c != null) {
                    counts[i] = c;
                    sum += c;
                    listedCompared++;
                }
            }
            if (sum > total) {
                double lower = (sum - total) / listedCompared;
                for (int i = 0; i < compared.length; i++) {
                    if (counts[i] > 0) counts[i] -= lower;
                }
            } else {
                counts[compared.length] = total - sum;
            }
            return counts;
        }
    }

    /** The values each side's listing would give, as {value: count}, plus {@link #OTHER}: for tests and callers' explanations. */
    static Map<String, Double> counts(CategoricalProfile profile) {
        Side side = Side.of(profile);
        String[] compared = compared(side, side);
        double[] counts = side.counts(compared);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < compared.length; i++) out.merge(compared[i], counts[i], Double::sum);
        if (counts[compared.length] > 0) out.merge(OTHER, counts[compared.length], Double::sum);
        return out;
    }

    /** The values compared on their own: all when both sides are exact, else those above twice the resolution. */
    private static String[] compared(Side reference, Side current) {
        double resolution = Math.max(reference.error() / reference.total(), current.error() / current.total());
        TreeSet<String> compared = new TreeSet<>();
        for (Side side : List.of(reference, current)) {
            for (Map.Entry<String, Double> e : side.listed().entrySet()) {
                if (e.getValue() / side.total() > 2 * resolution) compared.add(e.getKey());
            }
        }
        return compared.toArray(new String[0]);
    }

    private CategoricalDriftScores score(Side reference, Side current) {
        String[] compared = compared(reference, current);
        double[] refCounts = reference.counts(compared);
        double[] curCounts = current.counts(compared);
        int k = compared.length;
        String[] categories = compared;
        int otherIndex = Arrays.binarySearch(compared, OTHER);
        if (otherIndex >= 0) {
            // A value named "(other)" (e.g. labels folded by SegmentProfile): the rest joins it.
            refCounts[otherIndex] += refCounts[k];
            curCounts[otherIndex] += curCounts[k];
        } else if (refCounts[k] > 0 || curCounts[k] > 0) {
            // The pooled rest is a category of its own, unless both sides have none of it.
            categories = Arrays.copyOf(compared, k + 1);
            categories[k] = OTHER;
            k++;
        }
        double[] ref = shares(refCounts, k);
        double[] cur = shares(curCounts, k);

        double psi = NumericDrift.psi(ref, cur, epsilon);
        double js = NumericDrift.jsDistance(ref, cur);
        double linf = NumericDrift.lInfinity(ref, cur);

        double chiSquare = chiSquare(Arrays.copyOf(curCounts, k), ref, epsilon);
        double p = k < 2 ? 1.0 : chiSquareSurvival(chiSquare, k - 1);

        double unseen = 0;
        for (int i = 0; i < k; i++) {
            if (ref[i] == 0 && !OTHER.equals(categories[i])) unseen += cur[i];
        }

        List<CategoryShift> shifts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (ref[i] != cur[i]) shifts.add(new CategoryShift(categories[i], ref[i], cur[i]));
        }
        shifts.sort(Comparator.comparingDouble((CategoryShift s) -> -Math.abs(s.change()))
                .thenComparing(CategoryShift::category));
        if (shifts.size() > topShifts) shifts = shifts.subList(0, topShifts);
        return new CategoricalDriftScores(psi, js, linf, chiSquare, p, unseen, shifts);
    }

    /** The first k counts as shares of their sum. */
    private static double[] shares(double[] counts, int k) {
        double total = 0;
        for (int i = 0; i < k; i++) total += counts[i];
        double[] shares = new double[k];
        for (int i = 0; i < k; i++) shares[i] = counts[i] / total;
        return shares;
    }

    /**
     * Pearson's statistic Σ (O − E)² / E of the observed counts against expected shares, with
     * E = N × share; shares below epsilon (categories the reference never saw) are raised to it
     * and the shares renormalized.
     */
    static double chiSquare(double[] observed, double[] expectedShares, double epsilon) {
        double n = 0;
        double norm = 0;
        for (int i = 0; i < observed.length; i++) {
            n += observed[i];
            norm += Math.max(expectedShares[i], epsilon);
        }
        double sum = 0;
        for (int i = 0; i < observed.length; i++) {
            double e = n * Math.max(expectedShares[i], epsilon) / norm;
            double d = observed[i] - e;
            sum += d * d / e;
        }
        return sum;
    }

    /**
     * P(X ≥ x) for X chi-square distributed with {@code degreesOfFreedom}: the regularized upper
     * incomplete gamma function Q(dof / 2, x / 2). Accurate to about 1e-12 relative.
     */
    public static double chiSquareSurvival(double x, double degreesOfFreedom) {
        if (!(degreesOfFreedom > 0)) throw new IllegalArgumentException("degrees of freedom must be positive");
        if (Double.isNaN(x)) return Double.NaN;
        if (x <= 0) return 1.0;
        if (x == Double.POSITIVE_INFINITY) return 0.0;
        return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
    }

    /** Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x ≥ 0. */
    static double regularizedGammaQ(double a, double x) {
        if (x <= 0) return 1.0;
        if (x < a + 1) return Math.max(0, 1 - regularizedGammaPSeries(a, x));
        return regularizedGammaQFraction(a, x);
    }

    /** P(a, x) = x^a e^−x / Γ(a + 1) · Σ_n x^n / ((a + 1) ⋯ (a + n)); converges fast for x < a + 1. */
    static double regularizedGammaPSeries(double a, double x) {
        double term = 1;
        double sum = 1;
        for (int n = 1; n < 100_000; n++) {
            term *= x / (a + n);
            sum += term;
            if (term < sum * 1e-16) break;
        }
        return Math.min(1, sum * Math.exp(a * Math.log(x) - x - logGamma(a + 1)));
    }

    /**
     * Q(a, x) = x^a e^−x / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …))),
     * the continued fraction evaluated front to back (modified Lentz); converges fast for x ≥ a + 1.
     */
    static double regularizedGammaQFraction(double a, double x) {
        final double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double f = d;
        for (int i = 1; i < 100_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double step = c * d;
            f *= step;
            if (Math.abs(step - 1) < 1e-15) break;
        }
        return Math.min(1, Math.exp(a * Math.log(x) - x - logGamma(a)) * f);
    }

    /**
     * ln Γ(x) for x > 0: the recurrence Γ(x) = Γ(x + 1) / x up to x ≥ 10, then Stirling's series
     * (x − ½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹).
     */
    static double logGamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("logGamma needs x > 0, not " + x);
        double shift = 0;
        while (x < 10) {
            shift -= Math.log(x);
            x += 1;
        }
        double inv = 1 / x;
        double inv2 = inv * inv;
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
        return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
    }
}
