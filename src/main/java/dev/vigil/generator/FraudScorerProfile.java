package dev.vigil.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * fraud-scorer: binary classification of card transactions. Amounts are lognormal with a
 * per-country location (USD equivalent) and a per-channel factor; the device mix and the merchant
 * mix depend on the channel; card-present transactions are point-of-sale.
 */
final class FraudScorerProfile extends ModelProfile {

    static final String NAME = "fraud-scorer";

    private static final String[] COUNTRIES = {
        "US", "GB", "DE", "FR", "BR", "IN", "ES", "IT", "NL", "MX", "CA", "JP", "SE", "PL", "AU", "NG"
    };
    private static final double[] COUNTRY_CUM = Rand.cumulative(
            28, 11, 10, 8, 7, 7, 5, 5, 4, 3.5, 3.5, 2.5, 1.5, 1.5, 1.5, 1);
    /** Median amount per country, USD equivalent. */
    private static final double[] COUNTRY_MEDIAN = {
        58, 52, 47, 44, 28, 15, 38, 41, 50, 25, 55, 62, 53, 30, 60, 12
    };
    private static final String[] CHANNELS = {"web", "app", "pos"};
    private static final double[] CHANNEL_CUM = Rand.cumulative(45, 40, 15);
    private static final double[] CHANNEL_AMOUNT_FACTOR = {1.3, 1.0, 0.7};
    private static final String[] DEVICES = {"windows", "macos", "linux", "ios", "android", "terminal"};
    /** Device mix by channel (rows: web, app, pos). */
    private static final double[][] DEVICE_CUM = cumulativeRows(new double[][] {
        {45, 28, 5, 12, 10, 0},
        {0, 0, 0, 55, 45, 0},
        {0, 0, 0, 0, 0, 100},
    });

    private static final List<String> MERCHANTS =
            List.of("grocery", "travel", "electronics", "fashion", "restaurants", "fuel", "gaming", "pharmacy");
    /** Merchant mix by channel (rows: web, app, pos). */
    private static final double[][] MERCHANT_CUM = cumulativeRows(new double[][] {
        {8, 18, 22, 22, 5, 1, 16, 8},
        {15, 10, 12, 15, 20, 3, 15, 10},
        {35, 2, 5, 10, 22, 18, 1, 7},
    });
    private static final double[] MERCHANT_RISK = {-0.6, 0.4, 0.6, 0.1, -0.2, -0.3, 0.9, -0.5};
    private static final List<String> CARD_TYPES = List.of("debit", "credit", "prepaid");
    private static final double[] CARD_RISK = {0.0, 0.2, 1.0};
    private static final double[] CARD_CUM_US = Rand.cumulative(40, 55, 5);
    private static final double[] CARD_CUM_EMERGING = Rand.cumulative(55, 30, 15);
    private static final double[] CARD_CUM_DEFAULT = Rand.cumulative(60, 35, 5);

    static final int AMOUNT = 0;
    static final int ACCOUNT_AGE = 1;
    static final int TXN_COUNT = 2;
    static final int DISTANCE = 3;
    static final int MERCHANT = 4;
    static final int CARD_TYPE = 5;
    static final int CARD_PRESENT = 6;

    /** Intercept of the risk logit, tuned so about 1.5% of scores are at or above 0.5. */
    private static final double B0 = -4.33;

    FraudScorerProfile(int index) {
        super(index, NAME, "3.2.0", "binary-classification",
                new String[] {"country", "channel", "device"},
                new String[][] {COUNTRIES, CHANNELS, DEVICES},
                new FeatureDef[] {
                    FeatureDef.numeric("amount", 0, 20000, 2, 0.0, 0.3),
                    FeatureDef.numeric("account_age_days", 0, 20000, 0, 0.0, 2.2),
                    FeatureDef.numeric("txn_count_24h", 0, 500, 0, 0.0, 1.0),
                    FeatureDef.numeric("distance_from_home_km", 0, 20000, 1, 0.0, 2.5),
                    FeatureDef.categorical("merchant_category", MERCHANTS, "crypto", "grocery", 0.5),
                    FeatureDef.categorical("card_type", CARD_TYPES, "virtual", "debit", 0.3),
                    FeatureDef.categorical("card_present", List.of("true", "false"), "unknown", "false", 0.2),
                },
                new String[] {"fraud", "legit"},
                36_000, 15.0, 0.6, 11.0, 0.35, 250.0, false);
    }

    @Override
    void sampleSegments(SplittableRandom r, EventDraft d) {
        d.seg[0] = COUNTRIES[Rand.pick(r, COUNTRY_CUM)];
        int channel = Rand.pick(r, CHANNEL_CUM);
        d.seg[1] = CHANNELS[channel];
        d.seg[2] = DEVICES[Rand.pick(r, DEVICE_CUM[channel])];
    }

    private static int channelIndex(EventDraft d) {
        return switch (d.seg[1]) {
            case "web" -> 0;
            case "app" -> 1;
            default -> 2;
        };
    }

    private static int countryIndex(String country) {
        for (int i = 0; i < COUNTRIES.length; i++) {
            if (COUNTRIES[i].equals(country)) {
                return i;
            }
        }
        return 0;
    }

    @Override
    void sampleFeatures(SplittableRandom r, EventDraft d) {
        int channel = channelIndex(d);
        int country = countryIndex(d.seg[0]);
        double median = COUNTRY_MEDIAN[country] * CHANNEL_AMOUNT_FACTOR[channel];
        d.num[AMOUNT] = Rand.clamp(Rand.logNormal(r, median, 1.05), 0.5, 19_999.0);

        double age = r.nextDouble() < 0.12
                ? Rand.exponential(r, 25)
                : Rand.logNormal(r, 900, 0.8);
        d.num[ACCOUNT_AGE] = Math.floor(Rand.clamp(age, 0, 19_999));

        double txnMean = channel == 2 ? 2.0 : (channel == 0 ? 3.0 : 4.5);
        d.num[TXN_COUNT] = Math.min(499, Rand.geometric(r, txnMean));

        double dist;
        if (channel == 2) {
            dist = Rand.exponential(r, 6);
        } else if (r.nextDouble() < 0.9) {
            dist = Rand.logNormal(r, 8, 1.0);
        } else {
            dist = Rand.logNormal(r, 400, 1.2);
        }
        d.num[DISTANCE] = Rand.clamp(dist, 0, 19_999);

        d.cat[MERCHANT] = MERCHANTS.get(Rand.pick(r, MERCHANT_CUM[channel]));
        String c = d.seg[0];
        double[] cardCum = c.equals("US") ? CARD_CUM_US
                : (c.equals("BR") || c.equals("IN") || c.equals("MX") || c.equals("NG"))
                        ? CARD_CUM_EMERGING : CARD_CUM_DEFAULT;
        d.cat[CARD_TYPE] = CARD_TYPES.get(Rand.pick(r, cardCum));
        double presentP = channel == 2 ? 0.97 : 0.01;
        d.cat[CARD_PRESENT] = r.nextDouble() < presentP ? "true" : "false";
    }

    @Override
    void predict(SplittableRandom r, EventDraft d, double scoreShift) {
        double noise = Rand.gaussian(r) * 0.9;
        boolean ring = r.nextDouble() < 0.006;

        double amount = Math.max(0, d.numOr(AMOUNT, 60));
        double age = d.numOr(ACCOUNT_AGE, 900);
        double txn = Math.min(30, Math.max(0, d.numOr(TXN_COUNT, 3)));
        double dist = Math.max(0, d.numOr(DISTANCE, 10));
        double risk = B0
                + 0.8 * Math.log((amount + 1) / 60.0)
                + (age < 30 ? 1.4 : 0)
                + 0.12 * (txn - 3)
                + 0.45 * Math.log1p(dist / 100.0)
                + noise
                + (ring ? 4.0 : 0);
        String merchant = d.catOrNull(MERCHANT);
        int m = merchant == null ? -1 : MERCHANTS.indexOf(merchant);
        risk += m < 0 ? 0.3 : MERCHANT_RISK[m];
        String card = d.catOrNull(CARD_TYPE);
        int ct = card == null ? -1 : CARD_TYPES.indexOf(card);
        risk += ct < 0 ? 0.3 : CARD_RISK[ct];
        risk += "true".equals(d.catOrNull(CARD_PRESENT)) ? -1.3 : 0.3;

        d.truthProbability = Rand.sigmoid(risk);
        d.score = Rand.sigmoid(risk + scoreShift);
        d.label = d.score >= 0.5 ? "fraud" : "legit";
    }

    /**
     * Analysts act on every scored transaction (most accept the decision); chargebacks and
     * confirmations label 90% of them, about 20 minutes later in the median, a few after hours.
     */
    private static final FeedbackBehaviour FEEDBACK = new FeedbackBehaviour(
            1.0, new double[] {85, 5, 8, 2}, 25, 1.1,
            0.9, 1200, 1.0, 0.02);

    @Override
    FeedbackBehaviour feedback() {
        return FEEDBACK;
    }

    /**
     * The model is calibrated: a transaction is fraud with probability equal to its (unshifted)
     * score. Under concept drift the truth is, with probability {@code decoupling}, fraud at the
     * traffic's base rate whatever the score: the inputs and scores look as before, but the scores
     * stop separating fraud from legitimate traffic.
     */
    @Override
    void groundTruth(SplittableRandom r, EventDraft d, double decoupling) {
        double uDecouple = r.nextDouble();
        double uTruth = r.nextDouble();
        double p = uDecouple < decoupling ? positiveRate() : d.truthProbability;
        d.trueLabel = uTruth < p ? "fraud" : "legit";
    }

    @Override
    void fallbackPrediction(EventDraft d) {
        double amount = d.numOr(AMOUNT, 0);
        d.score = amount > 2000 ? 0.6 : 0.05;
        d.label = d.score >= 0.5 ? "fraud" : "legit";
    }
}
