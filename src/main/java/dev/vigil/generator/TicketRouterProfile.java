package dev.vigil.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * ticket-router: multiclass classification of support tickets into five queues. Message length
 * depends on the channel, language on the country, and the true queue on the product.
 */
final class TicketRouterProfile extends ModelProfile {

    static final String NAME = "ticket-router";

    private static final String[] COUNTRIES = {
        "US", "GB", "DE", "FR", "ES", "BR", "IN", "IT", "NL", "MX", "PT", "CA"
    };
    private static final double[] COUNTRY_CUM = Rand.cumulative(25, 14, 12, 9, 7, 7, 8, 5, 4, 3, 3, 3);
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "pt", "hi");
    /** Language mix per country (columns: en, de, fr, es, pt, hi). */
    private static final double[][] LANGUAGE_CUM = cumulativeRows(new double[][] {
        {90, 0, 0, 10, 0, 0},   // US
        {97, 0, 1, 1, 0, 1},    // GB
        {12, 88, 0, 0, 0, 0},   // DE
        {8, 0, 92, 0, 0, 0},    // FR
        {10, 0, 0, 90, 0, 0},   // ES
        {6, 0, 0, 2, 92, 0},    // BR
        {55, 0, 0, 0, 0, 45},   // IN
        {70, 0, 10, 20, 0, 0},  // IT
        {85, 10, 0, 0, 0, 5},   // NL
        {5, 0, 0, 95, 0, 0},    // MX
        {10, 0, 0, 0, 90, 0},   // PT
        {78, 0, 22, 0, 0, 0},   // CA
    });
    private static final String[] CHANNELS = {"email", "chat", "phone"};
    private static final double[] CHANNEL_CUM = Rand.cumulative(35, 45, 20);
    private static final double[] LENGTH_MEDIAN = {650, 90, 1400};
    private static final double[] LENGTH_SIGMA = {0.8, 0.7, 0.5};

    private static final List<String> PRODUCTS = List.of("payments", "cards", "loans", "savings", "app");
    private static final double[] PRODUCT_CUM = Rand.cumulative(30, 25, 10, 10, 25);
    private static final String[] LABELS = {"billing", "technical", "account", "fraud_report", "other"};
    /** True queue mix per product (rows: products, then one row for an unknown product). */
    private static final double[][] QUEUE_CUM = cumulativeRows(new double[][] {
        {55, 10, 15, 10, 10},
        {20, 10, 20, 40, 10},
        {40, 5, 35, 5, 15},
        {25, 5, 50, 5, 15},
        {5, 70, 15, 3, 7},
        {20, 20, 20, 20, 20},
    });

    static final int MESSAGE_LENGTH = 0;
    static final int TENURE = 1;
    static final int PRIOR_TICKETS = 2;
    static final int LANGUAGE = 3;
    static final int PRODUCT = 4;

    TicketRouterProfile(int index) {
        super(index, NAME, "1.8.1", "multiclass-classification",
                new String[] {"country", "channel"},
                new String[][] {COUNTRIES, CHANNELS},
                new FeatureDef[] {
                    FeatureDef.numeric("message_length", 1, 20000, 0, 1.0, 0.2),
                    FeatureDef.numeric("customer_tenure_months", 0, 600, 0, 0.0, 2.0),
                    FeatureDef.numeric("prior_tickets_90d", 0, 200, 0, 0.0, 1.5),
                    FeatureDef.categorical("language", LANGUAGES, "it", "en", 0.8),
                    FeatureDef.categorical("product", PRODUCTS, "insurance", "payments", 0.5),
                },
                LABELS,
                14_400, 14.0, 0.6, 85.0, 0.45, 2000.0, false);
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
        d.seg[0] = COUNTRIES[Rand.pick(r, COUNTRY_CUM)];
        d.seg[1] = CHANNELS[Rand.pick(r, CHANNEL_CUM)];
    }

    @Override
    void sampleFeatures(SplittableRandom r, EventDraft d) {
        int channel = indexOf(CHANNELS, d.seg[1]);
        int country = indexOf(COUNTRIES, d.seg[0]);
        d.num[MESSAGE_LENGTH] = Math.floor(Rand.clamp(
                Rand.logNormal(r, LENGTH_MEDIAN[channel], LENGTH_SIGMA[channel]), 1, 19_999));
        d.num[TENURE] = Math.floor(Rand.clamp(Rand.exponential(r, 34), 0, 599));
        d.num[PRIOR_TICKETS] = Math.min(199, Rand.geometric(r, channel == 2 ? 1.5 : 0.8));
        d.cat[LANGUAGE] = LANGUAGES.get(Rand.pick(r, LANGUAGE_CUM[country]));
        d.cat[PRODUCT] = PRODUCTS.get(Rand.pick(r, PRODUCT_CUM));
    }

    @Override
    void predict(SplittableRandom r, EventDraft d, double scoreShift) {
        String product = d.catOrNull(PRODUCT);
        int p = product == null ? -1 : PRODUCTS.indexOf(product);
        int truth = Rand.pick(r, QUEUE_CUM[p < 0 ? PRODUCTS.size() : p]);
        double length = Math.max(1, d.numOr(MESSAGE_LENGTH, 200));
        double boost = 1.6 + 0.25 * Math.log(length);
        double[] logits = new double[LABELS.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Rand.gaussian(r) * 0.9 + (i == truth ? boost : 0);
        }
        int top = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[top]) {
                top = i;
            }
        }
        d.truthClass = truth;
        logits[top] += scoreShift;
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - logits[top]);
        }
        d.score = 1.0 / sum;
        d.label = LABELS[top];
    }

    /**
     * Agents see every routed ticket and move a few to another queue; the queue a ticket is closed
     * in is its true class, known for 75% of tickets about 45 minutes later in the median.
     */
    private static final FeedbackBehaviour FEEDBACK = new FeedbackBehaviour(
            1.0, new double[] {84, 7, 7, 2}, 40, 1.0,
            0.75, 2700, 0.9, 0.0);

    @Override
    FeedbackBehaviour feedback() {
        return FEEDBACK;
    }

    /**
     * The true class is the queue the ticket belongs to (the predicted label unless the noisy logits
     * put another queue on top). Under concept drift it is, with probability {@code decoupling},
     * drawn from the overall queue mix, unrelated to the ticket.
     */
    @Override
    void groundTruth(SplittableRandom r, EventDraft d, double decoupling) {
        double uDecouple = r.nextDouble();
        int product = Rand.pick(r, PRODUCT_CUM);
        int drawn = Rand.pick(r, QUEUE_CUM[product]);
        d.trueLabel = LABELS[uDecouple < decoupling || d.truthClass < 0 ? drawn : d.truthClass];
    }

    @Override
    void fallbackPrediction(EventDraft d) {
        d.score = 0.2;
        d.label = "other";
    }
}
