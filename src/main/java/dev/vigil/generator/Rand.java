package dev.vigil.generator;

import java.util.SplittableRandom;

/**
 * Seed mixing and the few distributions the generator needs, written out here (rather than
 * relying on {@code RandomGenerator} defaults) so the output is byte-identical on every JDK.
 */
final class Rand {

    private Rand() {}

    /** A bijective 64-bit mixer (the SplitMix64 / Stafford variant 13 finalizer). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Derives a seed for one stream from a base seed and a stream key. */
    static long derive(long base, long key) {
        return mix64(mix64(base + 0x9e3779b97f4a7c15L * (key + 1)) ^ key);
    }

    /** Standard normal by Box-Muller (two uniforms, no caching, so consumption is fixed). */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(); // (0, 1]
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    static double logNormal(SplittableRandom r, double median, double sigma) {
        return median * Math.exp(sigma * gaussian(r));
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log(1.0 - r.nextDouble());
    }

    /** Geometric count on {0, 1, ...} with the given mean. */
    static int geometric(SplittableRandom r, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double p = 1.0 / (1.0 + mean);
        double u = 1.0 - r.nextDouble();
        return (int) Math.min(Integer.MAX_VALUE, Math.floor(Math.log(u) / Math.log(1.0 - p)));
    }

    /** Poisson count; exact (multiplication method), split into chunks so large means work. */
    static int poisson(SplittableRandom r, double mean) {
        int total = 0;
        double remaining = mean;
        while (remaining > 0) {
            double chunk = Math.min(remaining, 200.0);
            remaining -= chunk;
            double limit = Math.exp(-chunk);
            double prod = r.nextDouble();
            int k = 0;
            while (prod > limit) {
                k++;
                prod *= r.nextDouble();
            }
            total += k;
        }
        return total;
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static double logit(double p) {
        return Math.log(p / (1.0 - p));
    }

    /** Picks an index by cumulative weights (last entry is the total). */
    static int pick(SplittableRandom r, double[] cumulative) {
        double u = r.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** Turns weights into cumulative weights for {@link #pick}. */
    static double[] cumulative(double... weights) {
        double[] c = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i];
            c[i] = s;
        }
        return c;
    }
}
