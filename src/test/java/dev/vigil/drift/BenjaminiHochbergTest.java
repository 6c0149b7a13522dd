package dev.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {
    /** The worked example of Benjamini and Hochberg (1995), section 4: 15 p-values, q = 0.05. */
    private static final double[] PAPER = {
        0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
        0.4262, 0.5719, 0.6528, 0.7590, 1.0000,
    };

    @Test
    void theWorkedExampleOfThePaperRejectsFour() {
        // k = 4 is the largest with p(k) ≤ k·0.05/15: 0.0095 ≤ 0.0133, but 0.0201 > 0.0167, …,
        // 0.0459 > 0.03 (Bonferroni, 0.05/15 = 0.0033, would reject only three).
        boolean[] rejected = BenjaminiHochberg.rejected(PAPER, 0.05);
        for (int i = 0; i < PAPER.length; i++) assertThat(rejected[i]).as("p=%s", PAPER[i]).isEqualTo(i < 4);
    }

    @Test
    void adjustedPValuesOfTheWorkedExample() {
        double[] adjusted = BenjaminiHochberg.adjusted(PAPER);
        // m·p(i)/i with a running minimum from the top, capped at 1.
        double[] expected = {0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571428571, 0.0638571428571, 0.0645,
            0.0765, 0.486, 0.58118181818, 0.714875, 0.75323076923, 0.81321428571, 1.0};
        for (int i = 0; i < expected.length; i++) assertThat(adjusted[i]).as("i=%s", i).isCloseTo(expected[i], within(1e-9));
    }

    @Test
    void stepUpRejectsBelowTheLastCrossingEvenAfterAMiss() {
        // Sorted: 0.01 ≤ 0.0125 yes, 0.03 ≤ 0.025 no, 0.035 ≤ 0.0375 yes, 0.04 ≤ 0.05 yes: all four.
        boolean[] rejected = BenjaminiHochberg.rejected(new double[] {0.04, 0.01, 0.035, 0.03}, 0.05);
        assertThat(rejected).containsExactly(true, true, true, true);
        assertThat(BenjaminiHochberg.rejected(new double[] {0.5, 0.2, 0.06}, 0.05)).containsExactly(false, false, false);
        assertThat(BenjaminiHochberg.rejected(new double[0], 0.05)).isEmpty();
    }

    @Test
    void agreesWithTheDefinitionOnRandomInputsInAnyOrder() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 500; trial++) {
            int m = 1 + r.nextInt(40);
            double[] p = new double[m];
            for (int i = 0; i < m; i++) p[i] = r.nextDouble() < 0.3 ? r.nextDouble() * 0.01 : r.nextDouble();
            double q = 0.01 + 0.2 * r.nextDouble();
            boolean[] rejected = BenjaminiHochberg.rejected(p, q);
            double[] adjusted = BenjaminiHochberg.adjusted(p);
            // Definition: reject p_i iff some p_j ≥ p_i (ties included) has p_j ≤ rank(p_j)·q/m.
            for (int i = 0; i < m; i++) {
                boolean expected = false;
                for (int j = 0; j < m; j++) {
                    if (p[j] < p[i]) continue;
                    int rank = 0;
                    for (double x : p) if (x <= p[j]) rank++;
                    if (p[j] <= rank * q / m) expected = true;
                }
                assertThat(rejected[i]).as("trial %s, p=%s", trial, p[i]).isEqualTo(expected);
                assertThat(adjusted[i] <= q).isEqualTo(expected);
            }
        }
    }

    @Test
    void invalidInputsAreRejected() {
        assertThatThrownBy(() -> BenjaminiHochberg.rejected(new double[] {0.1, Double.NaN}, 0.05))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenjaminiHochberg.rejected(new double[] {1.5}, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenjaminiHochberg.rejected(new double[] {0.1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
