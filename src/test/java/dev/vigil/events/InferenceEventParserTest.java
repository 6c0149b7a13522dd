package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.spec.SegmentDimension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser turns one raw record into exactly one of an {@link InferenceEvent} or a
 * {@link DeadLetter}, following docs/inference-event.md, and never throws.
 */
class InferenceEventParserTest {

    /**
     * Numeric and categorical features are interleaved on purpose, so slot placement is visible:
     * numeric slots are amount=0, account_age_days=1; categorical slots are merchant_category=0,
     * card_present=1. Segment slots are country=0, channel=1.
     */
    static final String SPEC_YAML = """
            version: 1
            models:
              - name: fraud-scorer
                task: binary-classification
                segments:
                  - {name: country, max-values: 8}
                  - {name: channel, values: [web, app, pos]}
                features:
                  - {name: amount, type: numeric, range: [0, 20000]}
                  - {name: merchant_category, type: categorical, categories: [grocery, travel]}
                  - {name: account_age_days, type: numeric}
                  - {name: card_present, type: categorical, categories: ["true", "false"]}
                prediction:
                  labels: [fraud, legit]
                  score-range: [0, 1]
              - name: price-estimator
                task: regression
            """;

    static final MonitorSpec SPEC = MonitorSpecLoader.parse(SPEC_YAML);
    static final ModelSpec FRAUD = SPEC.model("fraud-scorer");

    static final int AMOUNT = 0;
    static final int ACCOUNT_AGE_DAYS = 1;
    static final int MERCHANT_CATEGORY = 0;
    static final int CARD_PRESENT = 1;
    static final int COUNTRY = 0;
    static final int CHANNEL = 1;

    static final long NOW = Instant.parse("2026-11-27T08:05:00Z").toEpochMilli();
    static final String EVENT_TIME_ISO = "2026-11-27T08:00:00.125Z";
    static final long EVENT_TIME = Instant.parse(EVENT_TIME_ISO).toEpochMilli();

    static final String TOPIC = "inference-logs";
    static final int PARTITION = 3;
    static final long OFFSET = 4242L;

    private final InferenceEventParser parser = new InferenceEventParser(SPEC, ParserLimits.DEFAULTS);

    // ---------------------------------------------------------------- helpers

    /** A JSON object built from raw JSON field values, in insertion order. */
    static final class Json {
        private final LinkedHashMap<String, String> fields = new LinkedHashMap<>();

        /** Sets a field to raw JSON text (e.g. {@code "\"ok\""}, {@code "12.7"}, {@code "{...}"}); keeps its position. */
        Json set(String field, String rawJson) {
            fields.put(field, rawJson);
            return this;
        }

        Json setString(String field, String value) {
            return set(field, "\"" + value + "\"");
        }

        Json remove(String field) {
            fields.remove(field);
            return this;
        }

        /** Moves a field to the front of the object. */
        Json first(String field) {
            String value = fields.remove(field);
            LinkedHashMap<String, String> rest = new LinkedHashMap<>(fields);
            fields.clear();
            fields.put(field, value);
            fields.putAll(rest);
            return this;
        }

        String text() {
            return fields.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
        }

        byte[] bytes() {
            return text().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The documented example event, as seen by a spec that profiles country and channel. */
    static Json validEvent() {
        return new Json()
                .setString("model", "fraud-scorer")
                .setString("model_version", "3.2.0")
                .setString("timestamp", EVENT_TIME_ISO)
                .setString("request_id", "req-8c1f2e")
                .set("segments", "{\"country\":\"US\",\"channel\":\"web\",\"device\":\"ios\"}")
                .set("features", "{\"amount\":125.40,\"merchant_category\":\"grocery\",\"card_present\":true,"
                        + "\"account_age_days\":null}")
                .set("prediction", "{\"score\":0.031,\"label\":\"legit\"}")
                .set("latency_ms", "12.7")
                .setString("status", "ok")
                .set("error_code", "null")
                .setString("served_by", "model");
    }

    /** An event with only the required fields. */
    static Json minimalEvent() {
        return new Json()
                .setString("model", "fraud-scorer")
                .setString("model_version", "3.2.0")
                .set("timestamp", Long.toString(EVENT_TIME))
                .setString("request_id", "req-1")
                .setString("status", "ok");
    }

    ParsedRecord parse(byte[] payload) {
        return parser.parse(payload, TOPIC, PARTITION, OFFSET, NOW);
    }

    ParsedRecord parse(Json json) {
        return parse(json.bytes());
    }

    ParsedRecord parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    InferenceEvent event(Json json) {
        ParsedRecord r = parse(json);
        assertThat(r.deadLetter)
                .as("expected an event for %s but got dead letter %s", json.text(),
                        r.deadLetter == null ? null : r.deadLetter.reason + ": " + r.deadLetter.detail)
                .isNull();
        assertThat(r.event).isNotNull();
        assertThat(r.isEvent()).isTrue();
        return r.event;
    }

    DeadLetter deadLetter(byte[] payload) {
        ParsedRecord r = parse(payload);
        assertThat(r.event)
                .as("expected a dead letter for %s", new String(payload, StandardCharsets.UTF_8))
                .isNull();
        assertThat(r.deadLetter).isNotNull();
        assertThat(r.isEvent()).isFalse();
        return r.deadLetter;
    }

    DeadLetter deadLetter(Json json) {
        return deadLetter(json.bytes());
    }

    DeadLetter deadLetter(String text) {
        return deadLetter(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Field-by-field equality of two events, where NaN equals NaN (absent latency, score, value). */
    static void assertSameEvent(InferenceEvent actual, InferenceEvent expected) {
        assertThat(actual)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .isEqualTo(expected);
    }

    /** Which of the two code paths reads the features: after the model is known, or buffered before it. */
    enum FieldOrder {
        MODEL_FIRST,
        FEATURES_FIRST;

        Json apply(Json json) {
            return this == FEATURES_FIRST ? json.first("features") : json;
        }
    }

    // ---------------------------------------------------------------- valid events

    @Nested
    @DisplayName("a complete valid event")
    class ValidEvent {

        @Test
        void parsesEveryDocumentedFieldFromAnIsoTimestampEvent() {
            InferenceEvent e = event(validEvent());

            assertThat(e.model).isEqualTo("fraud-scorer");
            assertThat(e.modelVersion).isEqualTo("3.2.0");
            assertThat(e.timestamp).isEqualTo(EVENT_TIME);
            assertThat(e.requestId).isEqualTo("req-8c1f2e");
            assertThat(e.error).isFalse();
            assertThat(e.errorCode).isNull();
            assertThat(e.fallback).isFalse();
            assertThat(e.latencyMs).isEqualTo(12.7);
            assertThat(e.score).isEqualTo(0.031);
            assertThat(e.label).isEqualTo("legit");
            assertThat(e.value).isNaN();
        }

        @Test
        void acceptsAnEpochMillisTimestamp() {
            InferenceEvent e = event(validEvent().set("timestamp", Long.toString(EVENT_TIME)));

            assertThat(e.timestamp).isEqualTo(EVENT_TIME);
        }

        @Test
        void epochMillisAndIsoTimestampsForTheSameInstantGiveTheSameEvent() {
            InferenceEvent iso = event(validEvent());
            InferenceEvent millis = event(validEvent().set("timestamp", Long.toString(EVENT_TIME)));

            assertSameEvent(millis, iso);
        }

        @Test
        void acceptsAnIsoTimestampWithANonUtcOffset() {
            InferenceEvent e = event(validEvent().setString("timestamp", "2026-11-27T10:00:00.125+02:00"));

            assertThat(e.timestamp).isEqualTo(EVENT_TIME);
        }

        @Test
        void acceptsAnEpochMillisTimestampWrittenAsAFloat() {
            InferenceEvent e = event(validEvent().set("timestamp", EVENT_TIME + ".0"));

            assertThat(e.timestamp).isEqualTo(EVENT_TIME);
        }

        @Test
        void placesFeaturesInTheSpecsNumericAndCategoricalSlots() {
            InferenceEvent e = event(validEvent());

            assertThat(FRAUD.featureSlot("amount")).isEqualTo(AMOUNT);
            assertThat(FRAUD.featureSlot("account_age_days")).isEqualTo(ACCOUNT_AGE_DAYS);
            assertThat(FRAUD.featureSlot("merchant_category")).isEqualTo(-1 - MERCHANT_CATEGORY);
            assertThat(FRAUD.featureSlot("card_present")).isEqualTo(-1 - CARD_PRESENT);

            assertThat(e.numeric).hasSize(2);
            assertThat(e.numericState).hasSize(2);
            assertThat(e.categorical).hasSize(2);
            assertThat(e.categoricalState).hasSize(2);

            assertThat(e.numeric[AMOUNT]).isEqualTo(125.40);
            assertThat(e.numericState[AMOUNT]).isEqualTo(InferenceEvent.PRESENT);
            assertThat(e.numericState[ACCOUNT_AGE_DAYS]).isEqualTo(InferenceEvent.MISSING);
            assertThat(e.categorical[MERCHANT_CATEGORY]).isEqualTo("grocery");
            assertThat(e.categoricalState[MERCHANT_CATEGORY]).isEqualTo(InferenceEvent.PRESENT);
            assertThat(e.categorical[CARD_PRESENT]).isEqualTo("true");
            assertThat(e.categoricalState[CARD_PRESENT]).isEqualTo(InferenceEvent.PRESENT);
        }

        @Test
        void placesSegmentValuesByTheSpecsDimensions() {
            InferenceEvent e = event(validEvent());

            assertThat(e.segments).containsExactly("US", "web");
            assertThat(FRAUD.segmentSlot("country")).isEqualTo(COUNTRY);
            assertThat(FRAUD.segmentSlot("channel")).isEqualTo(CHANNEL);
        }

        @Test
        void aDimensionTheEventDoesNotCarryIsUnknown() {
            InferenceEvent e = event(validEvent().set("segments", "{\"channel\":\"app\"}"));

            assertThat(e.segments[COUNTRY]).isEqualTo(SegmentDimension.UNKNOWN).isEqualTo("unknown");
            assertThat(e.segments[CHANNEL]).isEqualTo("app");
        }

        @Test
        void withoutSegmentsEveryDimensionIsUnknown() {
            assertThat(event(validEvent().remove("segments")).segments).containsExactly("unknown", "unknown");
            assertThat(event(validEvent().set("segments", "null")).segments).containsExactly("unknown", "unknown");
            assertThat(event(validEvent().set("segments", "{}")).segments).containsExactly("unknown", "unknown");
        }

        @Test
        void segmentValuesMayBeNumbersOrBooleansAndAreKeptAsText() {
            InferenceEvent e = event(validEvent().set("segments", "{\"country\":42,\"channel\":true}"));

            assertThat(e.segments).containsExactly("42", "true");
        }

        @Test
        void aNullOrStructuredSegmentValueCountsAsUnknown() {
            InferenceEvent e = event(validEvent().set("segments", "{\"country\":null,\"channel\":{\"a\":[1]}}"));

            assertThat(e.segments).containsExactly("unknown", "unknown");
        }

        @Test
        void ignoresFeaturesTheSpecDoesNotProfile() {
            InferenceEvent withExtras = event(validEvent().set("features",
                    "{\"amount\":125.40,\"merchant_category\":\"grocery\",\"card_present\":true,"
                            + "\"account_age_days\":null,\"not_in_spec\":{\"deep\":[1,2,{\"x\":null}]},"
                            + "\"another\":\"text\",\"list\":[1,2,3]}"));
            InferenceEvent plain = event(validEvent());

            assertSameEvent(withExtras, plain);
        }

        @Test
        void ignoresSegmentsTheSpecDoesNotProfile() {
            InferenceEvent e = event(validEvent().set("segments",
                    "{\"region\":\"eu\",\"country\":\"DE\",\"device\":{\"os\":\"ios\"},\"channel\":\"pos\"}"));

            assertThat(e.segments).containsExactly("DE", "pos");
        }

        @Test
        void ignoresUnknownTopLevelFieldsOfAnyShape() {
            Json json = validEvent()
                    .set("trace", "{\"span\":\"abc\",\"parents\":[{\"id\":1},{\"id\":[2,3]}]}")
                    .set("tags", "[\"a\",[\"b\"],{\"c\":null}]")
                    .set("experiment", "null")
                    .set("sampled", "true")
                    .set("weight", "0.5")
                    .first("trace");

            assertSameEvent(event(json), event(validEvent()));
        }

        @Test
        void featuresBeforeTheModelGiveTheSameEventAsAfter() {
            InferenceEvent modelFirst = event(validEvent());
            InferenceEvent featuresFirst = event(validEvent().first("features"));

            assertThat(featuresFirst.numeric[AMOUNT]).isEqualTo(125.40);
            assertSameEvent(featuresFirst, modelFirst);
        }

        @Test
        void fieldOrderDoesNotMatterAtAll() {
            Json reversed = new Json();
            List<Map.Entry<String, String>> entries = new ArrayList<>(validEvent().fields.entrySet());
            for (int i = entries.size() - 1; i >= 0; i--) {
                reversed.set(entries.get(i).getKey(), entries.get(i).getValue());
            }

            assertThat(reversed.text()).startsWith("{\"served_by\"");
            assertSameEvent(event(reversed), event(validEvent()));
        }

        @Test
        void onlyTheRequiredFieldsAreNeeded() {
            InferenceEvent e = event(minimalEvent());

            assertThat(e.model).isEqualTo("fraud-scorer");
            assertThat(e.timestamp).isEqualTo(EVENT_TIME);
            assertThat(e.segments).containsExactly("unknown", "unknown");
            assertThat(e.numericState).containsExactly(InferenceEvent.MISSING, InferenceEvent.MISSING);
            assertThat(e.categoricalState).containsExactly(InferenceEvent.MISSING, InferenceEvent.MISSING);
            assertThat(e.categorical).containsOnlyNulls();
            assertThat(e.latencyMs).isNaN();
            assertThat(e.score).isNaN();
            assertThat(e.value).isNaN();
            assertThat(e.label).isNull();
            assertThat(e.errorCode).isNull();
            assertThat(e.error).isFalse();
            assertThat(e.fallback).isFalse();
        }

        @Test
        void nullFeaturesMeanEveryFeatureIsMissing() {
            InferenceEvent e = event(validEvent().set("features", "null"));

            assertThat(e.numericState).containsExactly(InferenceEvent.MISSING, InferenceEvent.MISSING);
            assertThat(e.categoricalState).containsExactly(InferenceEvent.MISSING, InferenceEvent.MISSING);
        }

        @Test
        void aModelWithoutFeaturesOrSegmentsGetsEmptyArrays() {
            InferenceEvent e = event(validEvent().setString("model", "price-estimator"));

            assertThat(e.model).isEqualTo("price-estimator");
            assertThat(e.segments).isEmpty();
            assertThat(e.numeric).isEmpty();
            assertThat(e.numericState).isEmpty();
            assertThat(e.categorical).isEmpty();
            assertThat(e.categoricalState).isEmpty();
        }

        @Test
        void aModelVersionWrittenAsAnIntegerIsReadAsText() {
            InferenceEvent e = event(validEvent().set("model_version", "7"));

            assertThat(e.modelVersion).isEqualTo("7");
        }
    }

    // ---------------------------------------------------------------- feature values

    @Nested
    @DisplayName("a numeric feature value")
    class NumericFeatureValue {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("125.4", InferenceEvent.PRESENT, 125.4),
                    Arguments.of("3", InferenceEvent.PRESENT, 3.0),
                    Arguments.of("-2.5e3", InferenceEvent.PRESENT, -2500.0),
                    Arguments.of("0", InferenceEvent.PRESENT, 0.0),
                    Arguments.of("99999", InferenceEvent.PRESENT, 99999.0), // out of range is still a value
                    Arguments.of("null", InferenceEvent.MISSING, null),
                    Arguments.of("\"12\"", InferenceEvent.TYPE_MISMATCH, null),
                    Arguments.of("\"\"", InferenceEvent.TYPE_MISMATCH, null),
                    Arguments.of("true", InferenceEvent.TYPE_MISMATCH, null),
                    Arguments.of("false", InferenceEvent.TYPE_MISMATCH, null),
                    Arguments.of("{\"v\":1}", InferenceEvent.TYPE_MISMATCH, null),
                    Arguments.of("[1,2]", InferenceEvent.TYPE_MISMATCH, null));
        }

        static Stream<Arguments> casesInBothOrders() {
            return cases().flatMap(c -> Arrays.stream(FieldOrder.values())
                    .map(order -> Arguments.of(order, c.get()[0], c.get()[1], c.get()[2])));
        }

        @ParameterizedTest(name = "{1} ({0}) -> state {2}")
        @MethodSource("casesInBothOrders")
        void hasTheDocumentedState(FieldOrder order, String rawValue, byte state, Double value) {
            InferenceEvent e = event(order.apply(validEvent().set("features", "{\"amount\":" + rawValue + "}")));

            assertThat(e.numericState[AMOUNT]).isEqualTo(state);
            if (value != null) {
                assertThat(e.numeric[AMOUNT]).isEqualTo(value);
            }
            assertThat(e.numericState[ACCOUNT_AGE_DAYS]).as("untouched feature").isEqualTo(InferenceEvent.MISSING);
        }

        @ParameterizedTest
        @EnumSource(FieldOrder.class)
        void anAbsentFeatureIsMissing(FieldOrder order) {
            InferenceEvent e = event(order.apply(validEvent().set("features", "{\"merchant_category\":\"travel\"}")));

            assertThat(e.numericState).containsExactly(InferenceEvent.MISSING, InferenceEvent.MISSING);
        }

        @ParameterizedTest
        @EnumSource(FieldOrder.class)
        void nanAndInfinityLiteralsArePresentNonFiniteValues(FieldOrder order) {
            InferenceEvent nan = event(order.apply(validEvent().set("features", "{\"amount\":NaN,\"account_age_days\":Infinity}")));
            InferenceEvent negative = event(order.apply(validEvent().set("features", "{\"amount\":-Infinity}")));

            assertThat(nan.numericState[AMOUNT]).isEqualTo(InferenceEvent.PRESENT);
            assertThat(nan.numeric[AMOUNT]).isNaN();
            assertThat(nan.numericState[ACCOUNT_AGE_DAYS]).isEqualTo(InferenceEvent.PRESENT);
            assertThat(nan.numeric[ACCOUNT_AGE_DAYS]).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(negative.numericState[AMOUNT]).isEqualTo(InferenceEvent.PRESENT);
            assertThat(negative.numeric[AMOUNT]).isEqualTo(Double.NEGATIVE_INFINITY);
        }

        @Test
        void aFeatureBufferedBeforeTheModelDoesNotLeakIntoTheNextRecord() {
            event(validEvent().set("features", "{\"amount\":1}").first("features"));
            InferenceEvent next = event(validEvent().set("features", "{\"account_age_days\":2}").first("features"));

            assertThat(next.numericState[AMOUNT]).isEqualTo(InferenceEvent.MISSING);
            assertThat(next.numericState[ACCOUNT_AGE_DAYS]).isEqualTo(InferenceEvent.PRESENT);
            assertThat(next.numeric[ACCOUNT_AGE_DAYS]).isEqualTo(2.0);
        }
    }

    @Nested
    @DisplayName("a categorical feature value")
    class CategoricalFeatureValue {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("\"grocery\"", InferenceEvent.PRESENT, "grocery"),
                    Arguments.of("\"not-a-declared-category\"", InferenceEvent.PRESENT, "not-a-declared-category"),
                    Arguments.of("\"\"", InferenceEvent.PRESENT, ""),
                    Arguments.of("42", InferenceEvent.PRESENT, "42"),
                    Arguments.of("1.5", InferenceEvent.PRESENT, "1.5"),
                    Arguments.of("true", InferenceEvent.PRESENT, "true"),
                    Arguments.of("false", InferenceEvent.PRESENT, "false"),
                    Arguments.of("null", InferenceEvent.MISSING, null),
                    Arguments.of("{\"a\":\"b\"}", InferenceEvent.TYPE_MISMATCH, null),
                    Arguments.of("[\"grocery\"]", InferenceEvent.TYPE_MISMATCH, null));
        }

        static Stream<Arguments> casesInBothOrders() {
            return cases().flatMap(c -> Arrays.stream(FieldOrder.values())
                    .map(order -> Arguments.of(order, c.get()[0], c.get()[1], c.get()[2])));
        }

        @ParameterizedTest(name = "{1} ({0}) -> state {2}, text {3}")
        @MethodSource("casesInBothOrders")
        void hasTheDocumentedStateAndText(FieldOrder order, String rawValue, byte state, String text) {
            InferenceEvent e = event(order.apply(validEvent().set("features", "{\"merchant_category\":" + rawValue + "}")));

            assertThat(e.categoricalState[MERCHANT_CATEGORY]).isEqualTo(state);
            if (state == InferenceEvent.PRESENT) {
                assertThat(e.categorical[MERCHANT_CATEGORY]).isEqualTo(text);
            }
            assertThat(e.categoricalState[CARD_PRESENT]).as("untouched feature").isEqualTo(InferenceEvent.MISSING);
        }

        @ParameterizedTest
        @EnumSource(FieldOrder.class)
        void anAbsentFeatureIsMissing(FieldOrder order) {
            InferenceEvent e = event(order.apply(validEvent().set("features", "{\"amount\":1}")));

            assertThat(e.categoricalState).containsExactly(InferenceEvent.MISSING, InferenceEvent.MISSING);
        }
    }

    // ---------------------------------------------------------------- status, serving, prediction

    @Nested
    @DisplayName("status, served_by and prediction")
    class StatusServingPrediction {

        @Test
        void anErrorStatusCarriesTheErrorCode() {
            InferenceEvent e = event(validEvent().setString("status", "error").setString("error_code", "TIMEOUT"));

            assertThat(e.error).isTrue();
            assertThat(e.errorCode).isEqualTo("TIMEOUT");
        }

        @Test
        void anErrorStatusWithoutACodeIsStillAnError() {
            InferenceEvent e = event(validEvent().setString("status", "error").remove("error_code"));

            assertThat(e.error).isTrue();
            assertThat(e.errorCode).isNull();
        }

        @Test
        void anOkStatusIsNotAnError() {
            assertThat(event(validEvent()).error).isFalse();
        }

        @Test
        void servedByFallbackMarksTheEventAsAFallback() {
            assertThat(event(validEvent().setString("served_by", "fallback")).fallback).isTrue();
        }

        @Test
        void servedByDefaultsToTheModel() {
            assertThat(event(validEvent().setString("served_by", "model")).fallback).isFalse();
            assertThat(event(validEvent().remove("served_by")).fallback).isFalse();
            assertThat(event(validEvent().set("served_by", "null")).fallback).isFalse();
        }

        @Test
        void aClassificationPredictionHasAScoreAndALabel() {
            InferenceEvent e = event(validEvent().set("prediction", "{\"score\":0.97,\"label\":\"fraud\"}"));

            assertThat(e.score).isEqualTo(0.97);
            assertThat(e.label).isEqualTo("fraud");
            assertThat(e.value).isNaN();
        }

        @Test
        void aRegressionPredictionHasAValue() {
            InferenceEvent e = event(validEvent().setString("model", "price-estimator")
                    .set("prediction", "{\"value\":412500.5}"));

            assertThat(e.value).isEqualTo(412500.5);
            assertThat(e.score).isNaN();
            assertThat(e.label).isNull();
        }

        @Test
        void nullPredictionPartsAreAbsent() {
            InferenceEvent e = event(validEvent().set("prediction", "{\"score\":null,\"label\":null,\"value\":null}"));

            assertThat(e.score).isNaN();
            assertThat(e.label).isNull();
            assertThat(e.value).isNaN();
        }

        @Test
        void unknownPredictionFieldsAreIgnored() {
            InferenceEvent e = event(validEvent().set("prediction",
                    "{\"probabilities\":{\"fraud\":0.2,\"legit\":0.8},\"score\":0.2,\"explanation\":[1,2]}"));

            assertThat(e.score).isEqualTo(0.2);
        }

        @Test
        void latencyIsReadInMillisecondsAndZeroIsAllowed() {
            assertThat(event(validEvent().set("latency_ms", "0")).latencyMs).isZero();
            assertThat(event(validEvent().set("latency_ms", "250")).latencyMs).isEqualTo(250.0);
            assertThat(event(validEvent().remove("latency_ms")).latencyMs).isNaN();
            assertThat(event(validEvent().set("latency_ms", "null")).latencyMs).isNaN();
        }
    }

    // ---------------------------------------------------------------- dead letters

    @Nested
    @DisplayName("an oversize record")
    class Oversize {
        final ParserLimits limits = new ParserLimits(400, 64, Duration.ofDays(7), Duration.ofMinutes(5));
        final InferenceEventParser small = new InferenceEventParser(SPEC, limits);

        @Test
        void isDeadLetteredWithItsSizeAndTheLimit() {
            byte[] payload = validEvent().set("padding", "\"" + "x".repeat(400) + "\"").bytes();

            ParsedRecord r = small.parse(payload, TOPIC, PARTITION, OFFSET, NOW);

            assertThat(r.event).isNull();
            assertThat(r.deadLetter.reason).isEqualTo("oversize");
            assertThat(r.deadLetter.detail).contains(payload.length + " bytes").contains("400");
            assertThat(r.deadLetter.model).as("the payload is not read at all").isNull();
            assertThat(r.deadLetter.payloadBytes).isEqualTo(payload.length);
            assertThat(r.deadLetter.payloadTruncated).isTrue();
            assertThat(r.deadLetter.payload).hasSize(64);
        }

        @Test
        void aPayloadOfExactlyTheLimitIsAccepted() {
            Json json = minimalEvent();
            int pad = 400 - json.bytes().length - ",\"p\":\"\"".length();
            byte[] payload = json.set("p", "\"" + "x".repeat(pad) + "\"").bytes();
            assertThat(payload).hasSize(400);

            assertThat(small.parse(payload, TOPIC, PARTITION, OFFSET, NOW).isEvent()).isTrue();

            byte[] oneMore = json.set("p", "\"" + "x".repeat(pad + 1) + "\"").bytes();
            assertThat(small.parse(oneMore, TOPIC, PARTITION, OFFSET, NOW).deadLetter.reason).isEqualTo("oversize");
        }
    }

    @Nested
    @DisplayName("a record that is not one JSON object")
    class MalformedJson {

        @Test
        void aTruncatedObject() {
            String text = validEvent().text();
            DeadLetter d = deadLetter(text.substring(0, text.length() / 2));

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).containsIgnoringCase("end-of-input");
            assertThat(d.model).as("the model was read before the record broke off").isEqualTo("fraud-scorer");
        }

        @Test
        void anArray() {
            DeadLetter d = deadLetter("[1,2]");

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).isEqualTo("the record is not a JSON object");
            assertThat(d.model).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"just a string\"", "42", "null", "true", "   "})
        void anyOtherTopLevelValue(String text) {
            DeadLetter d = deadLetter(text);

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).isEqualTo("the record is not a JSON object");
        }

        @Test
        void trailingGarbageAfterTheObject() {
            DeadLetter d = deadLetter(validEvent().text() + " garbage");

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).contains("garbage");
            assertThat(d.model).isEqualTo("fraud-scorer");
        }

        @Test
        void aSecondObjectAfterTheFirst() {
            DeadLetter d = deadLetter(validEvent().text() + "\n" + validEvent().text());

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).isEqualTo("content after the JSON object");
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertThat(parse(validEvent().text() + " \n\t ").isEvent()).isTrue();
        }

        @Test
        void anEmptyPayload() {
            DeadLetter d = deadLetter(new byte[0]);

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).isEqualTo("empty record");
            assertThat(d.payload).isEmpty();
            assertThat(d.payloadBytes).isZero();
            assertThat(d.payloadTruncated).isFalse();
        }

        @Test
        void aNullPayload() {
            ParsedRecord r = parser.parse(null, TOPIC, PARTITION, OFFSET, NOW);

            assertThat(r.event).isNull();
            assertThat(r.deadLetter.reason).isEqualTo("malformed_json");
            assertThat(r.deadLetter.detail).isEqualTo("empty record");
            assertThat(r.deadLetter.payload).isEmpty();
            assertThat(r.deadLetter.payloadBytes).isZero();
        }

        @Test
        void invalidUtf8InAFieldTheParserReads() {
            byte[] payload = validEvent().setString("request_id", "req-??").bytes();
            replace(payload, "??", new byte[] {(byte) 0xFF, (byte) 0xFE});

            DeadLetter d = deadLetter(payload);

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).containsIgnoringCase("UTF-8");
            assertThat(d.payload).as("the stored payload is valid text").contains("\uFFFD");
        }

        @Test
        void invalidUtf8InAFieldTheParserSkips() {
            byte[] payload = validEvent().setString("comment", "bad ??").bytes();
            replace(payload, "??", new byte[] {(byte) 0xC3, (byte) 0x28});

            DeadLetter d = deadLetter(payload);

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.detail).containsIgnoringCase("UTF-8");
        }

        @Test
        void aMissingCommaOrQuote() {
            assertThat(deadLetter("{\"model\":\"fraud-scorer\" \"status\":\"ok\"}").reason).isEqualTo("malformed_json");
            assertThat(deadLetter("{model:\"fraud-scorer\"}").reason).isEqualTo("malformed_json");
            assertThat(deadLetter("{\"model\":\"fraud-scorer\",}").reason).isEqualTo("malformed_json");
        }

        private static void replace(byte[] payload, String marker, byte[] with) {
            byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + m.length <= payload.length; i++) {
                if (Arrays.equals(payload, i, i + m.length, m, 0, m.length)) {
                    System.arraycopy(with, 0, payload, i, with.length);
                    return;
                }
            }
            throw new AssertionError("marker not found");
        }
    }

    @Nested
    @DisplayName("a record without a required field")
    class MissingField {

        @ParameterizedTest(name = "{0} absent")
        @ValueSource(strings = {"model", "model_version", "timestamp", "request_id", "status"})
        void isDeadLetteredNamingTheField(String field) {
            DeadLetter d = deadLetter(validEvent().remove(field));

            assertThat(d.reason).isEqualTo("missing_field");
            assertThat(d.detail).isEqualTo(field + " is required");
        }

        @ParameterizedTest(name = "{0} null")
        @ValueSource(strings = {"model", "model_version", "timestamp", "request_id", "status"})
        void aNullRequiredFieldCountsAsMissing(String field) {
            DeadLetter d = deadLetter(validEvent().set(field, "null"));

            assertThat(d.reason).isEqualTo("missing_field");
            assertThat(d.detail).isEqualTo(field + " is required");
        }

        @Test
        void theModelIsKeptWhenAnotherFieldIsMissing() {
            assertThat(deadLetter(validEvent().remove("request_id")).model).isEqualTo("fraud-scorer");
        }

        @Test
        void anEmptyObjectIsMissingTheModel() {
            DeadLetter d = deadLetter("{}");

            assertThat(d.reason).isEqualTo("missing_field");
            assertThat(d.detail).isEqualTo("model is required");
            assertThat(d.model).isNull();
        }
    }

    @Nested
    @DisplayName("a record with a field of the wrong type or value")
    class WrongType {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("timestamp", "true", "timestamp must be a number or a string, not a boolean"),
                    Arguments.of("timestamp", "{\"ms\":1}", "timestamp must be a number or a string, not an object"),
                    Arguments.of("timestamp", "\"yesterday\"", "timestamp must be epoch milliseconds or ISO-8601 with an offset, not \"yesterday\""),
                    Arguments.of("timestamp", "\"2026-11-27T08:00:00\"", "timestamp must be epoch milliseconds or ISO-8601 with an offset"),
                    Arguments.of("timestamp", "NaN", "timestamp must be a finite number"),
                    Arguments.of("status", "\"maybe\"", "status must be \"ok\" or \"error\", not \"maybe\""),
                    Arguments.of("status", "\"OK\"", "status must be \"ok\" or \"error\", not \"OK\""),
                    Arguments.of("status", "1", "status must be a string, not a number"),
                    Arguments.of("latency_ms", "\"fast\"", "latency_ms must be a number, not a string"),
                    Arguments.of("latency_ms", "-1", "latency_ms must not be negative"),
                    Arguments.of("latency_ms", "-Infinity", "latency_ms must not be negative"),
                    Arguments.of("features", "\"amount=3\"", "features must be an object"),
                    Arguments.of("features", "[1,2]", "features must be an object"),
                    Arguments.of("segments", "\"US\"", "segments must be an object"),
                    Arguments.of("prediction", "0.5", "prediction must be an object"),
                    Arguments.of("served_by", "\"robot\"", "served_by must be \"model\" or \"fallback\", not \"robot\""),
                    Arguments.of("served_by", "true", "served_by must be a string, not a boolean"),
                    Arguments.of("error_code", "500", "error_code must be a string, not a number"),
                    Arguments.of("request_id", "[\"r\"]", "request_id must be a string, not an array"),
                    Arguments.of("model_version", "3.2", "model_version must be a string, not a number"),
                    Arguments.of("model_version", "\"\"", "model_version must have 1 to 200 characters"),
                    Arguments.of("model_version", "\"" + "v".repeat(201) + "\"", "model_version must have 1 to 200 characters"));
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("cases")
        void isDeadLetteredWithADetailNamingTheField(String field, String rawValue, String detail) {
            DeadLetter d = deadLetter(validEvent().set(field, rawValue));

            assertThat(d.reason).isEqualTo("wrong_type");
            assertThat(d.detail).startsWith(field).startsWith(detail);
            assertThat(d.model).isEqualTo("fraud-scorer");
        }

        @Test
        void aPredictionPartOfTheWrongTypeNamesThePart() {
            assertThat(deadLetter(validEvent().set("prediction", "{\"score\":\"high\"}")).detail)
                    .isEqualTo("prediction.score must be a number, not a string");
            assertThat(deadLetter(validEvent().set("prediction", "{\"value\":true}")).detail)
                    .isEqualTo("prediction.value must be a number, not a boolean");
            assertThat(deadLetter(validEvent().set("prediction", "{\"label\":{\"name\":\"fraud\"}}")).detail)
                    .isEqualTo("prediction.label must be a string");
        }

        @Test
        void theModelIsNotKnownWhenTheBadFieldComesFirst() {
            DeadLetter d = deadLetter(validEvent().set("latency_ms", "\"fast\"").first("latency_ms"));

            assertThat(d.reason).isEqualTo("wrong_type");
            assertThat(d.model).isNull();
        }

        @Test
        void aModelThatIsNotAStringIsWrongType() {
            DeadLetter d = deadLetter(validEvent().set("model", "{\"name\":\"fraud-scorer\"}"));

            assertThat(d.reason).isEqualTo("wrong_type");
            assertThat(d.detail).isEqualTo("model must be a string, not an object");
            assertThat(d.model).isNull();
        }

        @Test
        void aMissingFieldIsReportedBeforeAWrongStatus() {
            DeadLetter d = deadLetter(validEvent().setString("status", "maybe").remove("request_id"));

            assertThat(d.reason).isEqualTo("missing_field");
        }
    }

    @Nested
    @DisplayName("a record with an implausible timestamp")
    class ImplausibleTimestamp {
        final long maxAge = ParserLimits.DEFAULTS.maxEventAge().toMillis();
        final long maxSkew = ParserLimits.DEFAULTS.maxClockSkew().toMillis();

        Json at(long timestamp) {
            return validEvent().set("timestamp", Long.toString(timestamp));
        }

        @Test
        void olderThanTheMaximumEventAgeIsDeadLettered() {
            DeadLetter d = deadLetter(at(NOW - maxAge - 1));

            assertThat(d.reason).isEqualTo("implausible_timestamp");
            assertThat(d.detail).startsWith("timestamp " + (NOW - maxAge - 1)).contains("older").contains("PT168H");
            assertThat(d.model).isEqualTo("fraud-scorer");
        }

        @Test
        void furtherInTheFutureThanTheClockSkewIsDeadLettered() {
            DeadLetter d = deadLetter(at(NOW + maxSkew + 1));

            assertThat(d.reason).isEqualTo("implausible_timestamp");
            assertThat(d.detail).startsWith("timestamp " + (NOW + maxSkew + 1)).contains("future").contains("PT5M");
        }

        @Test
        void theBoundsThemselvesArePlausible() {
            assertThat(event(at(NOW - maxAge)).timestamp).isEqualTo(NOW - maxAge);
            assertThat(event(at(NOW + maxSkew)).timestamp).isEqualTo(NOW + maxSkew);
        }

        @Test
        void epochZeroAndIsoDatesFarAwayAreImplausible() {
            assertThat(deadLetter(at(0)).reason).isEqualTo("implausible_timestamp");
            assertThat(deadLetter(at(-1)).reason).isEqualTo("implausible_timestamp");
            assertThat(deadLetter(validEvent().setString("timestamp", "1999-01-01T00:00:00Z")).reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(deadLetter(validEvent().setString("timestamp", "2099-01-01T00:00:00Z")).reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(deadLetter(validEvent().set("timestamp", "1e30")).reason).isEqualTo("implausible_timestamp");
        }

        @Test
        void isJudgedAgainstTheClockPassedIn() {
            byte[] payload = at(EVENT_TIME).bytes();

            assertThat(parser.parse(payload, TOPIC, PARTITION, OFFSET, EVENT_TIME).isEvent()).isTrue();
            assertThat(parser.parse(payload, TOPIC, PARTITION, OFFSET, EVENT_TIME + maxAge + 1).deadLetter.reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(parser.parse(payload, TOPIC, PARTITION, OFFSET, EVENT_TIME - maxSkew - 1).deadLetter.reason)
                    .isEqualTo("implausible_timestamp");
        }

        @Test
        void usesTheConfiguredLimits() {
            InferenceEventParser strict = new InferenceEventParser(SPEC,
                    new ParserLimits(65536, 4096, Duration.ofMinutes(1), Duration.ofSeconds(1)));

            assertThat(strict.parse(at(NOW - 61_000).bytes(), TOPIC, PARTITION, OFFSET, NOW).deadLetter.reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(strict.parse(at(NOW + 1_001).bytes(), TOPIC, PARTITION, OFFSET, NOW).deadLetter.reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(strict.parse(at(NOW - 59_000).bytes(), TOPIC, PARTITION, OFFSET, NOW).isEvent()).isTrue();
        }

        /**
         * The record is one JSON object whose timestamp cannot be represented in epoch
         * milliseconds; docs/inference-event.md keeps malformed_json for payloads that are not one
         * JSON object, so this must be a timestamp problem that names the field.
         */
        @ParameterizedTest
        @ValueSource(strings = {"\"+999999999-01-01T00:00:00Z\"", "99999999999999999999", "-99999999999999999999"})
        void aTimestampBeyondTheRangeOfEpochMillisIsATimestampProblemNotMalformedJson(String rawTimestamp) {
            DeadLetter d = deadLetter(validEvent().set("timestamp", rawTimestamp));

            assertThat(d.reason).isIn("implausible_timestamp", "wrong_type");
            assertThat(d.detail).contains("timestamp");
        }
    }

    @Nested
    @DisplayName("a record for a model the spec does not declare")
    class UnknownModel {

        @Test
        void isDeadLetteredNamingTheModel() {
            DeadLetter d = deadLetter(validEvent().setString("model", "churn-predictor"));

            assertThat(d.reason).isEqualTo("unknown_model");
            assertThat(d.detail).isEqualTo("model 'churn-predictor' is not in the monitor spec");
            assertThat(d.model).isEqualTo("churn-predictor");
        }

        @Test
        void isDeadLetteredAlsoWhenTheFeaturesComeFirst() {
            DeadLetter d = deadLetter(validEvent().setString("model", "churn-predictor").first("features"));

            assertThat(d.reason).isEqualTo("unknown_model");
            assertThat(d.model).isEqualTo("churn-predictor");
        }

        @Test
        void modelNamesAreCaseSensitive() {
            assertThat(deadLetter(validEvent().setString("model", "Fraud-Scorer")).reason).isEqualTo("unknown_model");
        }
    }

    // ---------------------------------------------------------------- the dead-letter record

    @Nested
    @DisplayName("a dead letter")
    class DeadLetterRecord {

        @Test
        void carriesWhereTheRecordCameFromAndWhenItWasRead() {
            DeadLetter d = deadLetter("[1,2]");

            assertThat(d.topic).isEqualTo(TOPIC);
            assertThat(d.partition).isEqualTo(PARTITION);
            assertThat(d.offset).isEqualTo(OFFSET);
            assertThat(d.receivedAt).isEqualTo(NOW);
        }

        @Test
        void keepsASmallPayloadWhole() {
            String text = validEvent().setString("status", "maybe").text();

            DeadLetter d = deadLetter(text);

            assertThat(d.payload).isEqualTo(text);
            assertThat(d.payloadBytes).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
            assertThat(d.payloadTruncated).isFalse();
        }

        @Test
        void truncatesTheStoredPayloadToTheConfiguredBound() {
            InferenceEventParser p = new InferenceEventParser(SPEC,
                    new ParserLimits(65536, 32, Duration.ofDays(7), Duration.ofMinutes(5)));
            byte[] payload = validEvent().setString("status", "maybe").bytes();

            DeadLetter d = p.parse(payload, TOPIC, PARTITION, OFFSET, NOW).deadLetter;

            assertThat(d.reason).isEqualTo("wrong_type");
            assertThat(d.payload).isEqualTo(new String(payload, 0, 32, StandardCharsets.UTF_8));
            assertThat(d.payloadBytes).isEqualTo(payload.length);
            assertThat(d.payloadTruncated).isTrue();
        }

        @Test
        void aPayloadOfExactlyTheBoundIsNotTruncated() {
            InferenceEventParser p = new InferenceEventParser(SPEC,
                    new ParserLimits(65536, 5, Duration.ofDays(7), Duration.ofMinutes(5)));

            DeadLetter d = p.parse("[1,2]".getBytes(StandardCharsets.UTF_8), TOPIC, PARTITION, OFFSET, NOW).deadLetter;

            assertThat(d.payload).isEqualTo("[1,2]");
            assertThat(d.payloadTruncated).isFalse();
        }

        @Test
        void replacesNulCharactersInValuesSoPostgresAcceptsThem() {
            // backslash-u-0000 escapes in the JSON text decode to NUL characters
            DeadLetter unknown = deadLetter(validEvent().setString("model", "evil\\u0000model"));
            DeadLetter badStatus = deadLetter(validEvent().setString("status", "ok\\u0000"));

            assertThat(unknown.reason).isEqualTo("unknown_model");
            assertThat(unknown.model).isEqualTo("evil\uFFFDmodel").doesNotContain("\u0000");
            assertThat(unknown.detail).doesNotContain("\u0000").contains("evil\uFFFDmodel");
            assertThat(badStatus.reason).isEqualTo("wrong_type");
            assertThat(badStatus.detail).doesNotContain("\u0000").contains("ok\uFFFD");
        }

        @Test
        void replacesRawNulBytesInTheStoredPayload() {
            byte[] payload = {'{', '"', 'a', '"', ':', 0, '}'};

            DeadLetter d = deadLetter(payload);

            assertThat(d.reason).isEqualTo("malformed_json");
            assertThat(d.payload).doesNotContain("\u0000").hasSize(payload.length);
            assertThat(d.detail).doesNotContain("\u0000");
        }
    }

    @Test
    void replacesNulCharactersInEveryTextValueOfAnEvent() {
        InferenceEvent e = event(validEvent()
                .setString("model_version", "3\\u0000")
                .setString("request_id", "req\\u0000")
                .setString("status", "error")
                .setString("error_code", "E\\u0000")
                .set("segments", "{\"country\":\"U\\u0000S\"}")
                .set("features", "{\"merchant_category\":\"gro\\u0000cery\"}")
                .set("prediction", "{\"label\":\"le\\u0000git\"}"));

        assertThat(e.modelVersion).isEqualTo("3\uFFFD");
        assertThat(e.requestId).isEqualTo("req\uFFFD");
        assertThat(e.errorCode).isEqualTo("E\uFFFD");
        assertThat(e.segments[COUNTRY]).isEqualTo("U\uFFFDS");
        assertThat(e.categorical[MERCHANT_CATEGORY]).isEqualTo("gro\uFFFDcery");
        assertThat(e.label).isEqualTo("le\uFFFDgit");
    }

    @Test
    void worksAfterJavaSerializationAsFlinkShipsItToTaskManagers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(parser);
        }
        InferenceEventParser copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (InferenceEventParser) in.readObject();
        }

        ParsedRecord r = copy.parse(validEvent().first("features").bytes(), TOPIC, PARTITION, OFFSET, NOW);

        assertSameEvent(r.event, event(validEvent()));
    }

    // ---------------------------------------------------------------- robustness

    @Nested
    @DisplayName("whatever the bytes")
    class NeverThrows {
        static final Set<String> REASONS = Arrays.stream(DeadLetterReason.values())
                .map(DeadLetterReason::code)
                .collect(Collectors.toSet());

        final List<byte[]> seeds = List.of(
                validEvent().bytes(),
                validEvent().first("features").bytes(),
                validEvent().set("timestamp", Long.toString(EVENT_TIME)).bytes(),
                validEvent().set("features", "{\"amount\":NaN,\"account_age_days\":-Infinity,\"card_present\":[1]}").bytes(),
                validEvent().setString("model", "price-estimator").set("prediction", "{\"value\":12.5}").bytes(),
                minimalEvent().bytes());

        static final byte[] INTERESTING = "{}[]\":,\\ntfu0123456789.-+eE \t\nNaInfiy".getBytes(StandardCharsets.US_ASCII);

        @Test
        void everyMutatedPayloadGivesExactlyOneEventOrDeadLetter() {
            Random random = new Random(20261127L);
            ParserLimits limits = new ParserLimits(4096, 128, Duration.ofDays(7), Duration.ofMinutes(5));
            InferenceEventParser p = new InferenceEventParser(SPEC, limits);
            int events = 0;
            int deadLetters = 0;

            for (int i = 0; i < 10_000; i++) {
                byte[] payload = seeds.get(random.nextInt(seeds.size()));
                int mutations = 1 + random.nextInt(4);
                for (int k = 0; k < mutations; k++) {
                    payload = mutate(payload, random);
                }
                ParsedRecord r;
                try {
                    r = p.parse(payload, TOPIC, PARTITION, i, NOW);
                } catch (Throwable t) {
                    throw new AssertionError("parse threw on payload " + HexFormat.of().formatHex(payload), t);
                }
                String context = "payload " + new String(payload, StandardCharsets.UTF_8);
                if (r == null || (r.event == null) == (r.deadLetter == null)) {
                    fail("not exactly one of event/dead letter for " + context);
                }
                if (r.event != null) {
                    events++;
                    checkEvent(r.event, context);
                } else {
                    deadLetters++;
                    checkDeadLetter(r.deadLetter, payload, limits, i, context);
                }
            }

            assertThat(events).as("some mutations keep the record valid").isPositive();
            assertThat(deadLetters).as("most mutations break the record").isPositive();
        }

        private void checkEvent(InferenceEvent e, String context) {
            ModelSpec m = SPEC.model(e.model);
            assertThat(m).as(context).isNotNull();
            assertThat(e.segments).as(context).hasSize(m.segments().size()).doesNotContainNull();
            assertThat(e.numeric).as(context).hasSize(m.numericFeatures().size());
            assertThat(e.numericState).as(context).hasSize(m.numericFeatures().size());
            assertThat(e.categorical).as(context).hasSize(m.categoricalFeatures().size());
            assertThat(e.categoricalState).as(context).hasSize(m.categoricalFeatures().size());
            assertThat(e.modelVersion).as(context).isNotNull();
            assertThat(e.requestId).as(context).isNotNull();
            for (int j = 0; j < e.categorical.length; j++) {
                if (e.categoricalState[j] == InferenceEvent.PRESENT) {
                    assertThat(e.categorical[j]).as(context).isNotNull().doesNotContain("\u0000");
                }
            }
            for (String s : new String[] {e.model, e.modelVersion, e.requestId, e.errorCode, e.label}) {
                if (s != null) assertThat(s).as(context).doesNotContain("\u0000");
            }
        }

        private void checkDeadLetter(DeadLetter d, byte[] payload, ParserLimits limits, long offset, String context) {
            assertThat(d.reason).as(context).isIn(REASONS);
            assertThat(d.detail).as(context).isNotBlank().doesNotContain("\u0000");
            assertThat(d.topic).as(context).isEqualTo(TOPIC);
            assertThat(d.offset).as(context).isEqualTo(offset);
            assertThat(d.payload).as(context).isNotNull().doesNotContain("\u0000");
            assertThat(d.payloadBytes).as(context).isEqualTo(payload.length);
            assertThat(d.payloadTruncated).as(context).isEqualTo(payload.length > limits.deadLetterPayloadBytes());
            if (d.model != null) assertThat(d.model).as(context).doesNotContain("\u0000");
        }

        private static byte[] mutate(byte[] in, Random random) {
            if (in.length == 0) {
                return new byte[] {pick(random)};
            }
            int at = random.nextInt(in.length);
            return switch (random.nextInt(7)) {
                case 0 -> { // flip one bit
                    byte[] out = in.clone();
                    out[at] ^= (byte) (1 << random.nextInt(8));
                    yield out;
                }
                case 1 -> { // replace a byte with any byte
                    byte[] out = in.clone();
                    out[at] = (byte) random.nextInt(256);
                    yield out;
                }
                case 2 -> Arrays.copyOf(in, at); // truncate
                case 3 -> { // insert a few structural or arbitrary bytes
                    int n = 1 + random.nextInt(4);
                    byte[] out = new byte[in.length + n];
                    System.arraycopy(in, 0, out, 0, at);
                    for (int k = 0; k < n; k++) {
                        out[at + k] = random.nextBoolean() ? pick(random) : (byte) random.nextInt(256);
                    }
                    System.arraycopy(in, at, out, at + n, in.length - at);
                    yield out;
                }
                case 4 -> { // delete a range
                    int len = Math.min(in.length - at, 1 + random.nextInt(8));
                    byte[] out = new byte[in.length - len];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + len, out, at, in.length - at - len);
                    yield out;
                }
                case 5 -> { // duplicate a range (repeated keys, nested structures)
                    int len = Math.min(in.length - at, 1 + random.nextInt(40));
                    byte[] out = new byte[in.length + len];
                    System.arraycopy(in, 0, out, 0, at + len);
                    System.arraycopy(in, at, out, at + len, in.length - at);
                    yield out;
                }
                default -> { // an escaped NUL or a deep nesting burst
                    byte[] insert = random.nextBoolean()
                            ? "\\u0000".getBytes(StandardCharsets.US_ASCII)
                            : "[".repeat(1 + random.nextInt(1500)).getBytes(StandardCharsets.US_ASCII);
                    byte[] out = new byte[in.length + insert.length];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(insert, 0, out, at, insert.length);
                    System.arraycopy(in, at, out, at + insert.length, in.length - at);
                    yield out;
                }
            };
        }

        private static byte pick(Random random) {
            return INTERESTING[random.nextInt(INTERESTING.length)];
        }
    }
}
