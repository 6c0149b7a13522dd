package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The feedback event contract of docs/feedback-event.md, field by field, and every dead-letter reason. */
class FeedbackEventParserTest {
    static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            version: 1
            models:
              - name: fraud-scorer
                task: binary-classification
                features:
                  - {name: amount, type: numeric}
                feedback: {ttl: 7d}
              - name: price-estimator
                task: regression
                features:
                  - {name: area, type: numeric}
            """);
    static final String TOPIC = "feedback";
    static final long NOW = Instant.parse("2026-11-27T08:10:00Z").toEpochMilli();
    static final long EVENT_TIME = Instant.parse("2026-11-27T08:03:10.500Z").toEpochMilli();
    static final String VALID = """
            {"request_id":"req-8c1f2e","model":"fraud-scorer","timestamp":"2026-11-27T08:03:10.500Z",\
            "action":"overridden","label":"fraud","value":null,"model_version":"3.2.0"}""";

    final FeedbackEventParser parser = new FeedbackEventParser(SPEC, ParserLimits.DEFAULTS);

    ParsedFeedback parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), TOPIC, 3, 42, NOW);
    }

    FeedbackEvent event(String json) {
        ParsedFeedback r = parse(json);
        assertThat(r.deadLetter).as("dead letter of " + json).isNull();
        return r.event;
    }

    DeadLetter deadLetter(String json) {
        ParsedFeedback r = parse(json);
        assertThat(r.event).as("event of " + json).isNull();
        return r.deadLetter;
    }

    /** The valid example with one field replaced by raw JSON (or removed when {@code raw} is null). */
    static String with(String field, String raw) {
        String out = VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|null|[^,}]*)" + ",?", raw == null ? "" : java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + raw + ","));
        return out.replace(",}", "}");
    }

    @Nested
    @DisplayName("a valid feedback event")
    class Valid {
        @Test
        void parsesEveryDocumentedField() {
            FeedbackEvent e = event(VALID);

            assertThat(e.requestId).isEqualTo("req-8c1f2e");
            assertThat(e.model).isEqualTo("fraud-scorer");
            assertThat(e.modelVersion).isEqualTo("3.2.0");
            assertThat(e.timestamp).isEqualTo(EVENT_TIME);
            assertThat(e.action).isEqualTo("overridden").isSameAs(FeedbackEvent.OVERRIDDEN);
            assertThat(e.trueLabel).isEqualTo("fraud");
            assertThat(e.trueValue).isNaN();
            assertThat(e.hasAction()).isTrue();
            assertThat(e.hasGroundTruth()).isTrue();
        }

        @Test
        void epochMillisAndIsoTimestampsAreTheSameInstant() {
            assertThat(event(with("timestamp", Long.toString(EVENT_TIME))).timestamp).isEqualTo(EVENT_TIME);
            assertThat(event(with("timestamp", "\"2026-11-27T09:03:10.500+01:00\"")).timestamp).isEqualTo(EVENT_TIME);
        }

        @ParameterizedTest
        @ValueSource(strings = {"accepted", "overridden", "ignored", "escalated"})
        void anActionAloneIsEnough(String action) {
            FeedbackEvent e = event(with("label", null).replace("\"overridden\"", "\"" + action + "\""));

            assertThat(e.action).isEqualTo(action);
            assertThat(e.hasGroundTruth()).isFalse();
        }

        @Test
        void aLabelAloneIsEnough() {
            FeedbackEvent e = event(with("action", null));

            assertThat(e.action).isNull();
            assertThat(e.trueLabel).isEqualTo("fraud");
        }

        @Test
        void aValueAloneIsEnough() {
            FeedbackEvent e = event(with("action", null).replace("\"label\":\"fraud\",", "").replace("\"value\":null", "\"value\":412000.5"));

            assertThat(e.trueValue).isEqualTo(412_000.5);
            assertThat(e.trueLabel).isNull();
            assertThat(e.hasGroundTruth()).isTrue();
        }

        @ParameterizedTest
        @CsvSource({"1, 1", "0.5, 0.5", "true, true", "false, false"})
        void aNumberOrBooleanLabelIsReadAsItsText(String raw, String text) {
            assertThat(event(with("label", raw)).trueLabel).isEqualTo(text);
        }

        @Test
        void onlyTheRequiredFieldsAndOneOfActionLabelValueAreNeeded() {
            FeedbackEvent e = event("{\"request_id\":\"r\",\"model\":\"fraud-scorer\",\"timestamp\":" + EVENT_TIME + ",\"label\":\"legit\"}");

            assertThat(e.modelVersion).isNull();
            assertThat(e.trueLabel).isEqualTo("legit");
        }

        @Test
        void unknownFieldsOfAnyShapeAreIgnored() {
            FeedbackEvent e = event(VALID.replace("{", "{\"user\":{\"id\":[1,{\"x\":null}]},\"note\":\"n\","));

            assertThat(e.requestId).isEqualTo("req-8c1f2e");
        }

        @Test
        void aModelWithoutAFeedbackSectionIsStillAValidEvent() {
            assertThat(event(with("model", "\"price-estimator\"")).model).isEqualTo("price-estimator");
        }

        @Test
        void nulCharactersAreReplacedSoPostgresAcceptsThem() {
            FeedbackEvent e = event(with("request_id", "\"r\\u0000q\"").replace("\"fraud\"", "\"fr\\u0000aud\""));

            assertThat(e.requestId).isEqualTo("r\uFFFDq");
            assertThat(e.trueLabel).isEqualTo("fr\uFFFDaud");
        }
    }

    @Nested
    @DisplayName("is dead-lettered")
    class DeadLetters {
        @Test
        void oversizeAboveTheLimit() {
            FeedbackEventParser small = new FeedbackEventParser(SPEC, new ParserLimits(256, 64, Duration.ofDays(7), Duration.ofMinutes(5)));
            byte[] payload = VALID.replace("{", "{\"note\":\"" + "x".repeat(300) + "\",").getBytes(StandardCharsets.UTF_8);

            DeadLetter d = small.parse(payload, TOPIC, 0, 1, NOW).deadLetter;

            assertThat(d.reason).isEqualTo("oversize");
            assertThat(d.payloadBytes).isEqualTo(payload.length);
            assertThat(d.payload).hasSize(64);
            assertThat(d.payloadTruncated).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "[1]", "\"text\"", "{\"request_id\":\"r\"", "{} {}", "{\"model\" \"x\"}"})
        void malformedJson(String text) {
            assertThat(deadLetter(text).reason).isEqualTo("malformed_json");
        }

        @ParameterizedTest
        @ValueSource(strings = {"request_id", "model", "timestamp"})
        void missingFieldNamingIt(String field) {
            DeadLetter d = deadLetter(with(field, null));

            assertThat(d.reason).isEqualTo("missing_field");
            assertThat(d.detail).isEqualTo(field + " is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"request_id", "model", "timestamp"})
        void aNullRequiredFieldIsMissing(String field) {
            assertThat(deadLetter(with(field, "null")).reason).isEqualTo("missing_field");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "action    | \"approved\"  | action must be one of accepted, overridden, ignored, escalated, not \"approved\"",
            "action    | 1             | action must be a string, not a number",
            "label     | [\"fraud\"]   | label must be a string, not an array",
            "value     | \"12\"        | value must be a number, not a string",
            "value     | NaN           | value must be a finite number",
            "timestamp | true          | timestamp must be a number or a string, not a boolean",
            "timestamp | \"yesterday\" | timestamp must be epoch milliseconds or ISO-8601 with an offset, not \"yesterday\"",
            "model     | {}            | model must be a string, not an object",
            "request_id | \"\"         | request_id must have 1 to 200 characters",
        })
        void wrongTypeNamingTheField(String field, String raw, String detail) {
            DeadLetter d = deadLetter(with(field, raw));

            assertThat(d.reason).isEqualTo("wrong_type");
            assertThat(d.detail).isEqualTo(detail);
        }

        @Test
        void implausibleTimestampOlderThanTheMaximumAgeOrInTheFuture() {
            assertThat(deadLetter(with("timestamp", Long.toString(NOW - Duration.ofDays(8).toMillis()))).reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(deadLetter(with("timestamp", Long.toString(NOW + Duration.ofHours(1).toMillis()))).reason)
                    .isEqualTo("implausible_timestamp");
            assertThat(deadLetter(with("timestamp", "99999999999999999999999")).reason).isEqualTo("implausible_timestamp");
        }

        @Test
        void unknownModelNamingIt() {
            DeadLetter d = deadLetter(with("model", "\"churn\""));

            assertThat(d.reason).isEqualTo("unknown_model");
            assertThat(d.detail).isEqualTo("model 'churn' is not in the monitor spec");
            assertThat(d.model).isEqualTo("churn");
        }

        @Test
        void emptyFeedbackWithNoActionLabelOrValue() {
            DeadLetter d = deadLetter(with("action", null).replace("\"label\":\"fraud\",", "\"label\":null,"));

            assertThat(d.reason).isEqualTo("empty_feedback");
            assertThat(d.detail).isEqualTo("at least one of action, label and value is required");
            assertThat(d.model).isEqualTo("fraud-scorer");
        }

        @Test
        void withWhereTheRecordCameFromAndItsPayload() {
            DeadLetter d = deadLetter("[1,2]");

            assertThat(d.topic).isEqualTo(TOPIC);
            assertThat(d.partition).isEqualTo(3);
            assertThat(d.offset).isEqualTo(42);
            assertThat(d.receivedAt).isEqualTo(NOW);
            assertThat(d.payload).isEqualTo("[1,2]");
            assertThat(d.payloadBytes).isEqualTo(5);
            assertThat(d.payloadTruncated).isFalse();
        }
    }

    @Test
    void worksAfterJavaSerializationAsFlinkShipsItToTaskManagers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(parser);
        }
        FeedbackEventParser copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (FeedbackEventParser) in.readObject();
        }

        assertThat(copy.parse(VALID.getBytes(StandardCharsets.UTF_8), TOPIC, 0, 0, NOW).event.trueLabel).isEqualTo("fraud");
    }

    @Test
    void everyMutatedPayloadGivesExactlyOneEventOrDeadLetterAndNeverThrows() {
        Set<String> reasons = Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).collect(Collectors.toSet());
        byte[] interesting = "{}[]\":,\\ntfu0123456789.-+eE \t\nNaInfiy".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> seeds = List.of(VALID.getBytes(StandardCharsets.UTF_8),
                with("timestamp", Long.toString(EVENT_TIME)).getBytes(StandardCharsets.UTF_8),
                with("action", null).replace("\"value\":null", "\"value\":3.5").getBytes(StandardCharsets.UTF_8));
        ParserLimits limits = new ParserLimits(512, 128, Duration.ofDays(7), Duration.ofMinutes(5));
        FeedbackEventParser p = new FeedbackEventParser(SPEC, limits);
        Random random = new Random(20261127L);
        int events = 0;
        int deadLetters = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] payload = seeds.get(random.nextInt(seeds.size()));
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                payload = mutate(payload, interesting, random);
            }
            ParsedFeedback r;
            try {
                r = p.parse(payload, TOPIC, 0, i, NOW);
            } catch (Throwable t) {
                throw new AssertionError("parse threw on payload " + HexFormat.of().formatHex(payload), t);
            }
            String context = "payload " + new String(payload, StandardCharsets.UTF_8);
            if (r == null || (r.event == null) == (r.deadLetter == null)) fail("not exactly one of event/dead letter for " + context);
            if (r.event != null) {
                events++;
                FeedbackEvent e = r.event;
                assertThat(e.requestId).as(context).isNotNull().doesNotContain("\0");
                assertThat(SPEC.model(e.model)).as(context).isNotNull();
                assertThat(e.hasAction() || e.hasGroundTruth()).as(context).isTrue();
                if (e.action != null) assertThat(FeedbackEvent.ACTIONS).as(context).contains(e.action);
                if (e.trueLabel != null) assertThat(e.trueLabel).as(context).doesNotContain("\0");
            } else {
                deadLetters++;
                DeadLetter d = r.deadLetter;
                assertThat(d.reason).as(context).isIn(reasons);
                assertThat(d.detail).as(context).isNotBlank().doesNotContain("\0");
                assertThat(d.payload).as(context).doesNotContain("\0");
                assertThat(d.payloadBytes).as(context).isEqualTo(payload.length);
                assertThat(d.offset).as(context).isEqualTo(i);
            }
        }
        assertThat(events).as("some mutations keep the record valid").isPositive();
        assertThat(deadLetters).as("most mutations break the record").isPositive();
    }

    /** One random edit: a byte replaced, inserted or deleted, or a span duplicated. */
    static byte[] mutate(byte[] in, byte[] interesting, Random random) {
        if (in.length == 0) return new byte[] {interesting[random.nextInt(interesting.length)]};
        int at = random.nextInt(in.length);
        byte b = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] = b;
                yield out;
            }
            case 1 -> {
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
            case 2 -> {
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                yield out;
            }
            default -> {
                int len = Math.min(1 + random.nextInt(16), in.length - at);
                byte[] out = new byte[in.length + len];
                System.arraycopy(in, 0, out, 0, at + len);
                System.arraycopy(in, at, out, at + len, in.length - at);
                yield out;
            }
        };
    }
}
