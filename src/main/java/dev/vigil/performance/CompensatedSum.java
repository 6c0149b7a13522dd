package dev.vigil.performance;

import java.io.IOException;

/**
 * A sum of doubles with Neumaier's compensation: the rounding error of each addition is kept in
 * a second double, so a window of millions of log-loss terms keeps about 16 significant digits
 * and merging partial sums in any order gives the same result to within an ulp or two.
 */
final class CompensatedSum {
    private double sum;
    private double compensation;

    void add(double value) {
        double t = sum + value;
        if (Math.abs(sum) >= Math.abs(value)) {
            compensation += (sum - t) + value;
        } else {
            compensation += (value - t) + sum;
        }
        sum = t;
    }

    void merge(CompensatedSum other) {
        add(other.sum);
        add(other.compensation);
    }

    double value() {
        return sum + compensation;
    }

    void write(CompactEncoding.Writer out) {
        out.writeDouble(sum);
        out.writeDouble(compensation);
    }

    void read(CompactEncoding.Reader in) throws IOException {
        sum = in.readDouble();
        compensation = in.readDouble();
        if (!Double.isFinite(sum) || !Double.isFinite(compensation)) throw new IOException("non-finite sum");
    }
}
