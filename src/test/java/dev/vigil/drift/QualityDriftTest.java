package dev.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.profile.CategoricalProfile;
import dev.vigil.profile.NumericProfile;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Quality rates from exact counts. */
class QualityDriftTest {
    @Test
    void numericRatesUseAllObservationsForMissingAndFiniteValuesForOutOfRange() {
        // finite, missing, type mismatch, NaN/infinite, out of range
        NumericProfile ref = numeric(960, 20, 10, 10, 48);
        NumericProfile cur = numeric(400, 80, 0, 20, 100);
        QualityDrift q = QualityDrift.of(ref, cur);
        assertThat(q.referenceMissingRate()).isCloseTo((20 + 10) / 1000.0, within(1e-15));
        assertThat(q.currentMissingRate()).isCloseTo(80 / 500.0, within(1e-15));
        assertThat(q.referenceOutOfRangeRate()).isCloseTo(48 / 960.0, within(1e-15));
        assertThat(q.currentOutOfRangeRate()).isCloseTo(100 / 400.0, within(1e-15));
        assertThat(q.missingRateChange()).isCloseTo(0.16 - 0.03, within(1e-15));
        assertThat(q.outOfRangeRateChange()).isCloseTo(0.25 - 0.05, within(1e-15));
    }

    @Test
    void categoricalOutOfRangeIsTheUnexpectedShare() {
        Set<String> expected = Set.of("a", "b");
        CategoricalProfile ref = new CategoricalProfile();
        CategoricalProfile cur = new CategoricalProfile();
        for (int i = 0; i < 100; i++) ref.add(i < 95 ? "a" : "zzz", expected);
        for (int i = 0; i < 10; i++) ref.addMissing();
        for (int i = 0; i < 40; i++) cur.add(i < 30 ? "b" : "new", expected);
        for (int i = 0; i < 5; i++) cur.addTypeMismatch();
        for (int i = 0; i < 5; i++) cur.addMissing();
        QualityDrift q = QualityDrift.of(ref, cur);
        assertThat(q.referenceMissingRate()).isCloseTo(10 / 110.0, within(1e-15));
        assertThat(q.currentMissingRate()).isCloseTo((5 + 5) / 50.0, within(1e-15));
        assertThat(q.referenceOutOfRangeRate()).isCloseTo(0.05, within(1e-15));
        assertThat(q.currentOutOfRangeRate()).isCloseTo(0.25, within(1e-15));
    }

    @Test
    void ratesWithoutDenominatorAreNull() {
        NumericProfile empty = new NumericProfile();
        NumericProfile allMissing = new NumericProfile();
        allMissing.addMissing();
        QualityDrift q = QualityDrift.of(empty, allMissing);
        assertThat(q.referenceMissingRate()).isNull();
        assertThat(q.currentMissingRate()).isEqualTo(1.0);
        assertThat(q.currentOutOfRangeRate()).isNull();
        assertThat(q.missingRateChange()).isNull();
        assertThat(q.outOfRangeRateChange()).isNull();
    }

    private static NumericProfile numeric(int finite, int missing, int typeMismatch, int nonFinite, int outOfRange) {
        NumericProfile p = new NumericProfile();
        for (int i = 0; i < finite; i++) p.add(i, i < outOfRange);
        for (int i = 0; i < missing; i++) p.addMissing();
        for (int i = 0; i < typeMismatch; i++) p.addTypeMismatch();
        for (int i = 0; i < nonFinite; i++) p.add(Double.NaN, false);
        return p;
    }
}
