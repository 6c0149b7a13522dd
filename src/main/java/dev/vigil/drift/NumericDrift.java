package dev.vigil.drift;

import static org.apache.datasketches.quantilescommon.QuantileSearchCriteria.EXCLUSIVE;
import static org.apache.datasketches.quantilescommon.QuantileSearchCriteria.INCLUSIVE;

import dev.vigil.drift.NumericDriftScores.BinShift;
import dev.vigil.profile.NumericProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Drift scores of a numeric quantity (a feature, the prediction score, the latency) between a
 * reference profile (training data or an earlier period) and the current window, computed from
 * the profiles' KLL sketches alone. Immutable and thread-safe; {@link #DEFAULT} holds the
 * documented settings. Formulas and error bounds: {@code docs/drift-metrics.md}.
 *
 * <ul>
 *   <li>PSI on {@code psiBins} bins whose edges are the reference's quantiles at ranks
 *       {@code i / psiBins} (deciles by default). Equal edges, which discrete data produces,
 *       are merged. Bins are {@code (-∞, e1), [e1, e2), …, [ek, +∞)}; each side's share of a bin
 *       comes from its own sketch's CDF at the edges. Shares below {@code epsilon} are raised to
 *       it so that an empty bin gives a finite PSI.
 *   <li>Jensen–Shannon distance on the same kind of bins, {@code jsBins} of them (deciles
 *       too by default: with 20 bins the sketch's own rank error alone already gives identical
 *       distributions a distance of up to 0.05); no epsilon needed.
 *   <li>Kolmogorov–Smirnov distance: the largest CDF gap over split points taken from both
 *       sketches' quantiles at ranks {@code 0, 1/grid, …, 1}.
 *   <li>Wasserstein-1, trimmed: the mean of {@code |Q_ref(p) − Q_cur(p)|} over {@code grid}
 *       midpoints spread evenly over {@code p ∈ [trim, 1 − trim]} (the central 90% by default),
 *       divided by the reference's spread: IQR / 1.349; when the IQR is 0, max − min; when that
 *       is 0 too, 1. For a pure shift by d this is d / spread.
 * </ul>
 */
public final class NumericDrift {
    public static final int DEFAULT_PSI_BINS = 10;
    public static final int DEFAULT_JS_BINS = 10;
    public static final int DEFAULT_GRID = 1000;
    public static final int DEFAULT_TOP_SHIFTS = 3;
    /** Floor for bin shares in the PSI, so that empty bins contribute a large but finite term. */
    public static final double DEFAULT_EPSILON = 1e-4;
    /**
     * Share of ranks left out at each end of the Wasserstein integral: the sketch's extreme
     * quantiles are only rank-accurate, which for heavy tails means far off in value.
     */
    public static final double DEFAULT_TRIM = 0.05;
    /** Interquartile range of the standard normal distribution: IQR / this estimates sigma. */
    static final double NORMAL_IQR = 1.3489795003921634;

    public static final NumericDrift DEFAULT =
            new NumericDrift(DEFAULT_PSI_BINS, DEFAULT_JS_BINS, DEFAULT_GRID, DEFAULT_TOP_SHIFTS, DEFAULT_EPSILON, DEFAULT_TRIM);

    private final int psiBins;
    private final int jsBins;
    private final int grid;
    private final int topShifts;
    private final double epsilon;
    private final double trim;

    public NumericDrift(int psiBins, int jsBins, int grid, int topShifts, double epsilon, double trim) {
        if (psiBins < 2 || jsBins < 2) throw new IllegalArgumentException("need at least 2 bins");
        if (grid < 10) throw new IllegalArgumentException("grid must be at least 10, not " + grid);
        if (topShifts < 0) throw new IllegalArgumentException("topShifts must not be negative");
        if (!(epsilon > 0 && epsilon < 0.01)) throw new IllegalArgumentException("epsilon must be in (0, 0.01)");
        if (!(trim >= 0 && trim < 0.25)) throw new IllegalArgumentException("trim must be in [0, 0.25)");
        this.psiBins = psiBins;
        this.jsBins = jsBins;
        this.grid = grid;
        this.topShifts = topShifts;
        this.epsilon = epsilon;
        this.trim = trim;
    }

    /** {@link #DEFAULT}{@code .compare(reference, current)}. */
    public static NumericDriftScores of(NumericProfile reference, NumericProfile current) {
        return DEFAULT.compare(reference, current);
    }

    /**
     * Scores the current profile against the reference.
     *
     * @throws IllegalArgumentException when either profile has no finite value; callers should
     *     also hold back scores below the minimum sample size (docs/drift-metrics.md)
     */
    public NumericDriftScores compare(NumericProfile reference, NumericProfile current) {
        if (reference.count() == 0) throw new IllegalArgumentException("the reference profile has no values");
        if (current.count() == 0) throw new IllegalArgumentException("the current profile has no values");
        return compare(reference.sketch(), current.sketch());
    }

    /** Scores from the sketches directly (e.g. merged from stored windows). */
    public NumericDriftScores compare(KllDoublesSketch reference, KllDoublesSketch current) {
        if (reference == null || reference.isEmpty()) throw new IllegalArgumentException("the reference sketch is empty");
        if (current == null || current.isEmpty()) throw new IllegalArgumentException("the current sketch is empty");

        double[] psiEdges = referenceEdges(reference, psiBins);
        double[] refPsi = binShares(reference, psiEdges);
        double[] curPsi = binShares(current, psiEdges);
        double psi = psi(refPsi, curPsi, epsilon);

        double[] jsEdges = referenceEdges(reference, jsBins);
        double js = jsDistance(binShares(reference, jsEdges), binShares(current, jsEdges));

        double ks = ks(reference, current);
        double wasserstein = wasserstein(reference, current) / spread(reference);
        return new NumericDriftScores(psi, ks, js, wasserstein, topShifts(psiEdges, refPsi, curPsi));
    }

    /** The reference's quantiles at ranks i / bins (i = 1 … bins − 1), equal ones merged. */
    static double[] referenceEdges(KllDoublesSketch reference, int bins) {
        double[] ranks = new double[bins - 1];
        for (int i = 1; i < bins; i++) ranks[i - 1] = i / (double) bins;
        return strictlyIncreasing(reference.getQuantiles(ranks, INCLUSIVE));
    }

    /** Shares of the bins (-∞, e1), [e1, e2), …, [ek, +∞) from the sketch's CDF. */
    static double[] binShares(KllDoublesSketch sketch, double[] edges) {
        double[] below = sketch.getCDF(edges, EXCLUSIVE); // P(X < e_i), then 1
        double[] shares = new double[edges.length + 1];
        double previous = 0;
        for (int i = 0; i < shares.length; i++) {
            double cumulative = i < edges.length ? below[i] : 1.0;
            shares[i] = Math.max(0, cumulative - previous);
            previous = Math.max(previous, cumulative);
        }
        return shares;
    }

    /** Largest gap between the two sketches' CDFs over both sketches' quantiles at ranks j / grid. */
    double ks(KllDoublesSketch reference, KllDoublesSketch current) {
        double[] ranks = new double[grid + 1];
        for (int j = 0; j <= grid; j++) ranks[j] = j / (double) grid;
        double[] a = reference.getQuantiles(ranks, INCLUSIVE);
        double[] b = current.getQuantiles(ranks, INCLUSIVE);
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        double[] points = strictlyIncreasing(all);
        double[] fa = reference.getCDF(points, INCLUSIVE);
        double[] fb = current.getCDF(points, INCLUSIVE);
        double max = 0;
        for (int i = 0; i < points.length; i++) max = Math.max(max, Math.abs(fa[i] - fb[i]));
        return max;
    }

    /**
     * Mean |Q_ref(p) − Q_cur(p)| over p in [trim, 1 − trim], by the midpoint rule on {@code grid}
     * points (not normalized). Without trimming this is the Wasserstein-1 distance.
     */
    double wasserstein(KllDoublesSketch reference, KllDoublesSketch current) {
        double[] ranks = new double[grid];
        double width = (1 - 2 * trim) / grid;
        for (int j = 0; j < grid; j++) ranks[j] = trim + (j + 0.5) * width;
        double[] a = reference.getQuantiles(ranks, INCLUSIVE);
        double[] b = current.getQuantiles(ranks, INCLUSIVE);
        double sum = 0;
        for (int j = 0; j < grid; j++) sum += Math.abs(a[j] - b[j]);
        return sum / grid;
    }

    /** IQR / 1.349 of the reference; max − min when the IQR is 0; 1 when that is 0 too. */
    static double spread(KllDoublesSketch reference) {
        double[] q = reference.getQuantiles(new double[] {0.25, 0.75}, INCLUSIVE);
        double iqr = q[1] - q[0];
        if (iqr > 0) return iqr / NORMAL_IQR;
        double range = reference.getMaxItem() - reference.getMinItem();
        return range > 0 ? range : 1;
    }

    private List<BinShift> topShifts(double[] edges, double[] ref, double[] cur) {
        List<BinShift> bins = new ArrayList<>(ref.length);
        for (int i = 0; i < ref.length; i++) {
            double lower = i == 0 ? Double.NEGATIVE_INFINITY : edges[i - 1];
            double upper = i == edges.length ? Double.POSITIVE_INFINITY : edges[i];
            if (cur[i] != ref[i]) bins.add(new BinShift(lower, upper, ref[i], cur[i]));
        }
        bins.sort(Comparator.comparingDouble((BinShift b) -> -Math.abs(b.change())));
        return bins.size() > topShifts ? bins.subList(0, topShifts) : bins;
    }

    /** Sorted values with repeats removed. */
    static double[] strictlyIncreasing(double[] sorted) {
        double[] out = new double[sorted.length];
        int n = 0;
        for (double v : sorted) {
            if (n == 0 || v > out[n - 1]) out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    // Shared with CategoricalDrift: divergences of two share vectors over the same bins.

    /** PSI = Σ (c − r) ln(c / r), shares floored at epsilon. */
    static double psi(double[] reference, double[] current, double epsilon) {
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(reference[i], epsilon);
            double c = Math.max(current[i], epsilon);
            sum += (c - r) * Math.log(c / r);
        }
        return sum;
    }

    /** Square root of the Jensen–Shannon divergence in bits (0–1). */
    static double jsDistance(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            if (p[i] > 0) sum += p[i] * Math.log(p[i] / m);
            if (q[i] > 0) sum += q[i] * Math.log(q[i] / m);
        }
        double divergence = sum / (2 * Math.log(2));
        return Math.sqrt(Math.min(1, Math.max(0, divergence)));
    }

    /** Largest absolute difference of two share vectors. */
    static double lInfinity(double[] p, double[] q) {
        double max = 0;
        for (int i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i] - q[i]));
        return max;
    }
}
