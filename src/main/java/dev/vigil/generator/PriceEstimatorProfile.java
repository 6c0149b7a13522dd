package dev.vigil.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * price-estimator: regression of property prices. The property mix depends on the region, size
 * on the property type, the energy label on the building age; the price is size times a regional
 * price per square meter with adjustments. This producer writes epoch-millisecond timestamps.
 */
final class PriceEstimatorProfile extends ModelProfile {

    static final String NAME = "price-estimator";

    private static final String[] REGIONS = {"north", "south", "east", "west"};
    private static final double[] REGION_CUM = Rand.cumulative(30, 25, 20, 25);
    private static final double[] PRICE_PER_SQM = {4200, 3100, 2600, 3800};
    private static final double[] AGE_MEAN = {30, 30, 45, 30};
    private static final String[] DEVICES = {"ios", "android", "windows", "macos", "linux", "chromeos"};
    private static final double[] DEVICE_CUM = Rand.cumulative(32, 30, 20, 12, 3, 3);

    private static final List<String> TYPES = List.of("apartment", "house", "studio", "loft");
    /** Property mix per region. */
    private static final double[][] TYPE_CUM = cumulativeRows(new double[][] {
        {45, 35, 12, 8},
        {50, 25, 15, 10},
        {55, 25, 15, 5},
        {45, 30, 12, 13},
    });
    private static final double[] SQM_MEDIAN = {70, 140, 32, 95};
    private static final double[] SQM_SIGMA = {0.3, 0.3, 0.2, 0.3};
    private static final double[] DISTANCE_MEAN = {5, 14, 3, 4};
    private static final double[] TYPE_PRICE_ADJ = {0.0, 0.05, 0.08, 0.10};
    private static final List<String> ENERGY = List.of("A", "B", "C", "D", "E", "F", "G");

    static final int SQM = 0;
    static final int ROOMS = 1;
    static final int AGE = 2;
    static final int DISTANCE = 3;
    static final int TYPE = 4;
    static final int ENERGY_LABEL = 5;

    PriceEstimatorProfile(int index) {
        super(index, NAME, "2.0.4", "regression",
                new String[] {"region", "device"},
                new String[][] {REGIONS, DEVICES},
                new FeatureDef[] {
                    FeatureDef.numeric("square_meters", 10, 1000, 1, 50.0, 0.3),
                    FeatureDef.numeric("rooms", 1, 20, 0, 1.0, 0.8),
                    FeatureDef.numeric("building_age_years", 0, 200, 0, 0.0, 2.2),
                    FeatureDef.numeric("distance_to_center_km", 0, 100, 1, 0.0, 1.2),
                    FeatureDef.categorical("property_type", TYPES, "houseboat", "apartment", 0.2),
                    FeatureDef.categorical("energy_label", ENERGY, "A+", "D", 1.3),
                },
                new String[0],
                9_600, 17.0, 0.6, 28.0, 0.3, 500.0, true);
    }

    private static int indexOf(String[] values, String v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals(v)) {
                return i;
            }
        }
        return 0;
    }

    @Override
    void sampleSegments(SplittableRandom r, EventDraft d) {
        d.seg[0] = REGIONS[Rand.pick(r, REGION_CUM)];
        d.seg[1] = DEVICES[Rand.pick(r, DEVICE_CUM)];
    }

    @Override
    void sampleFeatures(SplittableRandom r, EventDraft d) {
        int region = indexOf(REGIONS, d.seg[0]);
        int type = Rand.pick(r, TYPE_CUM[region]);
        d.cat[TYPE] = TYPES.get(type);
        double sqm = Rand.clamp(Rand.logNormal(r, SQM_MEDIAN[type], SQM_SIGMA[type]), 10.5, 999);
        d.num[SQM] = Math.round(sqm * 10) / 10.0;
        double rooms = type == 2 ? 1 : Math.round(sqm / 28.0 + 0.6 * Rand.gaussian(r));
        if (type == 2) {
            Rand.gaussian(r); // keep the number of draws independent of the type
        }
        d.num[ROOMS] = Rand.clamp(rooms, 1, 20);
        double age = Rand.exponential(r, AGE_MEAN[region]) + (type == 1 ? 5 : 0);
        d.num[AGE] = Math.floor(Rand.clamp(age, 0, 199));
        d.num[DISTANCE] = Rand.clamp(Rand.exponential(r, DISTANCE_MEAN[type]), 0, 99.9);
        double grade = d.num[AGE] / 20.0 + 0.9 * Rand.gaussian(r);
        d.cat[ENERGY_LABEL] = ENERGY.get((int) Rand.clamp(Math.floor(grade + 0.5), 0, 6));
    }

    @Override
    void predict(SplittableRandom r, EventDraft d, double scoreShift) {
        double noise = 0.12 * Rand.gaussian(r);
        int region = indexOf(REGIONS, d.seg[0]);
        double sqm = Math.max(10, d.numOr(SQM, 70));
        double age = Math.max(0, d.numOr(AGE, 30));
        double dist = Math.max(0, d.numOr(DISTANCE, 5));
        String type = d.catOrNull(TYPE);
        int t = type == null ? -1 : TYPES.indexOf(type);
        String energy = d.catOrNull(ENERGY_LABEL);
        int e = energy == null ? -1 : ENERGY.indexOf(energy);
        double logPrice = Math.log(sqm * PRICE_PER_SQM[region])
                - 0.004 * Math.min(age, 150)
                - 0.02 * Math.min(dist, 60)
                - 0.03 * (e < 0 ? 3 : e)
                + (t < 0 ? 0 : TYPE_PRICE_ADJ[t])
                + noise;
        d.truthCentre = Math.exp(logPrice);
        double value = Math.exp(logPrice) * (1.0 + scoreShift);
        d.value = Rand.clamp(value, 1_000, 4_999_999);
    }

    /**
     * Agents see 60% of the estimates and correct some; the sale price, the true value, is known
     * for 35% of the estimates, hours later (median 3 h, some after a day).
     */
    private static final FeedbackBehaviour FEEDBACK = new FeedbackBehaviour(
            0.6, new double[] {78, 10, 11, 1}, 60, 1.0,
            0.35, 10_800, 0.8, 0.0);

    @Override
    FeedbackBehaviour feedback() {
        return FEEDBACK;
    }

    /**
     * The sale price is the model's (unshifted) value times lognormal noise (sigma 0.1, about 10%).
     * Under concept drift it is, with probability {@code decoupling}, far from it (sigma 0.8).
     */
    @Override
    void groundTruth(SplittableRandom r, EventDraft d, double decoupling) {
        double uDecouple = r.nextDouble();
        double z = Rand.gaussian(r);
        double sigma = uDecouple < decoupling ? 0.8 : 0.1;
        double centre = Double.isNaN(d.truthCentre) ? d.value : d.truthCentre;
        d.trueValue = Rand.clamp(centre * Math.exp(sigma * z), 1_000, 9_999_999);
    }

    @Override
    void fallbackPrediction(EventDraft d) {
        int region = indexOf(REGIONS, d.seg[0]);
        d.value = Rand.clamp(Math.max(10, d.numOr(SQM, 70)) * PRICE_PER_SQM[region], 1_000, 4_999_999);
    }
}
