package dev.vigil.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The three simulated demo models (matching {@code demo/monitor-spec.yaml}) and what the generator
 * knows about them: names, versions, segment values, feature names and traffic rates.
 */
public final class DemoModels {

    public static final String FRAUD_SCORER = FraudScorerProfile.NAME;
    public static final String TICKET_ROUTER = TicketRouterProfile.NAME;
    public static final String PRICE_ESTIMATOR = PriceEstimatorProfile.NAME;

    private static final ModelProfile[] PROFILES = {
        new FraudScorerProfile(0), new TicketRouterProfile(1), new PriceEstimatorProfile(2)
    };

    private DemoModels() {}

    /** The model names, in a fixed order (fraud-scorer, ticket-router, price-estimator). */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ModelProfile p : PROFILES) {
            names.add(p.name);
        }
        return List.copyOf(names);
    }

    public static boolean isKnown(String model) {
        return find(model) != null;
    }

    /** The version each simulated model reports in {@code model_version}. */
    public static String version(String model) {
        return require(model).version;
    }

    /**
     * Mean events per simulated hour on a weekday at rate multiplier 1 (the daily cycle ranges
     * from 0.4x to 1.6x of this; Saturdays and Sundays are 0.75x and 0.7x).
     */
    public static double baseRatePerHour(String model) {
        return require(model).ratePerHour;
    }

    /** The segment dimensions the model's events carry, in the order written. */
    public static List<String> segmentNames(String model) {
        return List.of(require(model).segmentNames);
    }

    /** Every value the generator produces for a segment dimension (without incidents). */
    public static List<String> segmentValues(String model, String dimension) {
        ModelProfile p = require(model);
        int i = p.segmentIndex(dimension);
        if (i < 0) {
            throw new IllegalArgumentException(model + " has no segment " + dimension);
        }
        return List.of(p.segmentValues[i]);
    }

    /** The feature names, in the order written. */
    public static List<String> featureNames(String model) {
        return Arrays.stream(require(model).features).map(f -> f.name).toList();
    }

    public static boolean isNumericFeature(String model, String feature) {
        return requireFeature(model, feature).numeric;
    }

    /**
     * The standard deviation of a numeric feature's baseline distribution over all of the model's
     * traffic: the unit of a {@code numeric_shift} magnitude.
     */
    public static double referenceStdDev(String model, String feature) {
        ModelProfile p = require(model);
        FeatureDef f = requireFeature(model, feature);
        if (!f.numeric) {
            throw new IllegalArgumentException(feature + " is not numeric");
        }
        return p.referenceSd(p.featureIndex(feature));
    }

    /** The value a {@code new_category} incident uses when the scenario names none. */
    public static String defaultNewCategory(String model, String feature) {
        FeatureDef f = requireFeature(model, feature);
        if (f.numeric) {
            throw new IllegalArgumentException(feature + " is not categorical");
        }
        return f.newCategory;
    }

    /** The constant a {@code stuck_feature} incident uses when the scenario names none. */
    public static Object defaultStuckValue(String model, String feature) {
        return requireFeature(model, feature).stuckValue;
    }

    static ModelProfile find(String model) {
        for (ModelProfile p : PROFILES) {
            if (p.name.equals(model)) {
                return p;
            }
        }
        return null;
    }

    static ModelProfile require(String model) {
        ModelProfile p = find(model);
        if (p == null) {
            throw new IllegalArgumentException("unknown model '" + model + "' (known: " + names() + ")");
        }
        return p;
    }

    static FeatureDef requireFeature(String model, String feature) {
        ModelProfile p = require(model);
        int i = p.featureIndex(feature);
        if (i < 0) {
            throw new IllegalArgumentException(model + " has no feature " + feature);
        }
        return p.features[i];
    }

    static ModelProfile[] profiles() {
        return PROFILES.clone();
    }
}
