package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.events.DeadLetter;
import dev.vigil.events.DeadLetterReason;
import dev.vigil.events.InferenceEvent;
import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.ParsedRecord;
import dev.vigil.events.ParserLimits;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented event contract, its JSON Schema and the examples in docs/examples/ agree with
 * {@link InferenceEventParser}: valid examples parse to events and match the schema; each invalid
 * example is dead-lettered with the reason its file name starts with
 * ({@code <reason>[-<field>].json}; for missing_field and wrong_type the detail names the field).
 */
class EventExamplesTest {
    static final Path DOCS = Path.of("docs");
    static final Path EXAMPLES = DOCS.resolve("examples");
    static final Path INVALID = EXAMPLES.resolve("invalid");
    static final Path SCHEMA = DOCS.resolve("inference-event.schema.json");

    /** The examples are stamped 2026-11-27 between 08:00 and 08:03 UTC; the job's clock is a little later. */
    static final long NOW = Instant.parse("2026-11-27T08:10:00Z").toEpochMilli();

    static final MonitorSpec SPEC = MonitorSpecLoader.loadResource("/demo/monitor-spec.yaml");
    static final InferenceEventParser PARSER = new InferenceEventParser(SPEC, ParserLimits.DEFAULTS);

    /** Reads the examples the way the parser does, including NaN/Infinity. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static Stream<Path> validExamples() throws IOException {
        return jsonFiles(EXAMPLES).stream();
    }

    static Stream<Path> invalidExamples() throws IOException {
        return jsonFiles(INVALID).stream();
    }

    static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    static ParsedRecord parse(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static ParsedRecord parse(byte[] payload) {
        return PARSER.parse(payload, "inference-logs", 0, 0L, NOW);
    }

    static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(SCHEMA.toFile());
    }

    @Test
    void thereAreExamplesOfEveryKindTheDocsPromise() throws IOException {
        assertThat(jsonFiles(EXAMPLES)).hasSizeGreaterThanOrEqualTo(6);
        Set<String> reasons = jsonFiles(INVALID).stream().map(p -> reasonOf(p)).collect(Collectors.toSet());
        assertThat(reasons).contains("malformed_json", "missing_field", "wrong_type", "unknown_model", "implausible_timestamp");
        assertThat(jsonFiles(EXAMPLES).stream().map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.contains("error"))
                .anyMatch(n -> n.contains("fallback"))
                .anyMatch(n -> n.contains("regression"))
                .anyMatch(n -> n.contains("multiclass"))
                .anyMatch(n -> n.contains("feature-problems"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleParsesToAnEvent(Path file) throws IOException {
        ParsedRecord r = parse(file);
        assertThat(r.deadLetter).as(() -> "dead letter: " + r.deadLetter.reason + " / " + r.deadLetter.detail).isNull();
        assertThat(r.event).isNotNull();
        JsonNode json = JSON.readTree(file.toFile());
        assertThat(r.event.model).isEqualTo(json.get("model").asText());
        assertThat(SPEC.model(r.event.model)).as("examples use the demo spec's models").isNotNull();
        assertThat(r.event.timestamp).isBetween(NOW - 15 * 60_000L, NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleMatchesTheSchema(Path file) throws IOException {
        List<String> problems = SchemaCheck.validate(schema(), JSON.readTree(file.toFile()));
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsDeadLetteredWithTheReasonInItsName(Path file) throws IOException {
        ParsedRecord r = parse(file);
        assertThat(r.event).isNull();
        DeadLetter d = r.deadLetter;
        assertThat(d.reason).as(d.detail).isEqualTo(reasonOf(file));
        String field = fieldOf(file);
        if (field != null && (d.reason.equals("missing_field") || d.reason.equals("wrong_type"))) {
            assertThat(d.detail).startsWith(field + " ");
        }
        assertThat(d.payload).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The schema rejects what the parser rejects for its shape; the spec and the clock it cannot know. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void schemaRejectsShapeProblemsOnly(Path file) throws IOException {
        assertSchemaRejectsShapeProblemsOnly(schema(), file);
    }

    /** An invalid example of {@code <reason>[-<field>].json}: the schema rejects it unless the reason depends on the spec or the clock. */
    static void assertSchemaRejectsShapeProblemsOnly(JsonNode schema, Path file) {
        String reason = reasonOf(file);
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            assertThat(reason).isEqualTo("malformed_json");
            return;
        }
        List<String> problems = SchemaCheck.validate(schema, json);
        if (reason.equals("unknown_model") || reason.equals("implausible_timestamp")) {
            assertThat(problems).as("the schema cannot know the spec or the clock").isEmpty();
        } else {
            assertThat(problems).as("the schema rejects a %s record", reason).isNotEmpty();
        }
    }

    @Test
    void reasonsInFileNamesAreRealReasons() throws IOException {
        Set<String> codes = Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).collect(Collectors.toSet());
        for (Path p : jsonFiles(INVALID)) {
            assertThat(codes).as(p.toString()).contains(reasonOf(p));
        }
    }

    @Test
    void examplesShowWhatTheParserMakesOfThem() throws IOException {
        ModelSpec fraud = SPEC.model("fraud-scorer");

        InferenceEvent ok = parse(EXAMPLES.resolve("fraud-scorer-ok.json")).event;
        assertThat(ok.error).isFalse();
        assertThat(ok.fallback).isFalse();
        assertThat(ok.score).isEqualTo(0.031);
        assertThat(ok.label).isEqualTo("legit");
        assertThat(ok.segments).containsExactly("US", "web", "ios");
        assertThat(ok.categorical[categorical(fraud, "card_present")]).isEqualTo("true");

        InferenceEvent error = parse(EXAMPLES.resolve("fraud-scorer-error.json")).event;
        assertThat(error.error).isTrue();
        assertThat(error.errorCode).isEqualTo("feature_store_timeout");
        assertThat(error.score).isNaN();

        assertThat(parse(EXAMPLES.resolve("fraud-scorer-fallback.json")).event.fallback).isTrue();

        InferenceEvent regression = parse(EXAMPLES.resolve("price-estimator-regression.json")).event;
        assertThat(regression.value).isEqualTo(412500.0);
        assertThat(regression.fallback).as("served_by absent means model").isFalse();

        InferenceEvent multiclass = parse(EXAMPLES.resolve("ticket-router-multiclass-iso-timestamp.json")).event;
        assertThat(multiclass.timestamp).isEqualTo(Instant.parse("2026-11-27T08:02:10.500Z").toEpochMilli());
        assertThat(multiclass.label).isEqualTo("billing");

        InferenceEvent problems = parse(EXAMPLES.resolve("fraud-scorer-feature-problems.json")).event;
        int amount = numeric(fraud, "amount");
        assertThat(problems.numericState[amount]).isEqualTo(InferenceEvent.PRESENT);
        assertThat(problems.numeric[amount]).as("NaN is counted as NaN/infinite").isNaN();
        assertThat(problems.numericState[numeric(fraud, "account_age_days")]).isEqualTo(InferenceEvent.MISSING);
        assertThat(problems.numericState[numeric(fraud, "txn_count_24h")]).isEqualTo(InferenceEvent.TYPE_MISMATCH);
        assertThat(fraud.numericFeatures().get(numeric(fraud, "distance_from_home_km"))
                .outOfRange(problems.numeric[numeric(fraud, "distance_from_home_km")])).isTrue();
        assertThat(problems.categorical[categorical(fraud, "merchant_category")]).isEqualTo("crypto");
        assertThat(fraud.expectedCategories(categorical(fraud, "merchant_category"))).doesNotContain("crypto");
        assertThat(problems.categoricalState[categorical(fraud, "card_type")]).as("absent key").isEqualTo(InferenceEvent.MISSING);
        assertThat(problems.categorical[categorical(fraud, "card_present")]).as("a number becomes its text").isEqualTo("1");
        assertThat(problems.segments).as("device absent -> unknown; channel is folded later")
                .containsExactly("GB", "kiosk", "unknown");
    }

    // ---- the schema itself ----

    @Test
    void schemaIsJsonSchemaDraft2020ForAnObject() throws IOException {
        JsonNode s = schema();
        assertThat(s.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.path("type").asText()).isEqualTo("object");
        assertThat(s.path("properties").isObject()).isTrue();
        SchemaCheck.assertOnlyKnownKeywords(s, "$");
    }

    @Test
    void schemaRequiresExactlyWhatTheParserRequires() throws IOException {
        Set<String> required = new TreeSet<>();
        schema().get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).isEqualTo(new TreeSet<>(Set.of("model", "model_version", "timestamp", "request_id", "status")));

        ObjectNode complete = (ObjectNode) JSON.readTree(EXAMPLES.resolve("fraud-scorer-ok.json").toFile());
        Iterator<String> names = complete.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            ObjectNode without = complete.deepCopy();
            without.remove(field);
            ParsedRecord r = parse(JSON.writeValueAsBytes(without));
            if (required.contains(field)) {
                assertThat(r.deadLetter).as(field).isNotNull();
                assertThat(r.deadLetter.reason).as(field).isEqualTo("missing_field");
                assertThat(r.deadLetter.detail).isEqualTo(field + " is required");
            } else {
                assertThat(r.event).as("without " + field).isNotNull();
            }
        }
    }

    @Test
    void schemaEnumsAreTheValuesTheParserAccepts() throws IOException {
        JsonNode props = schema().get("properties");
        assertThat(texts(props.get("status").get("enum"))).containsExactlyInAnyOrder("ok", "error");
        assertThat(texts(props.get("served_by").get("enum"))).containsExactlyInAnyOrder("model", "fallback", null);

        ObjectNode base = (ObjectNode) JSON.readTree(EXAMPLES.resolve("fraud-scorer-ok.json").toFile());
        for (String status : List.of("ok", "error")) {
            assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("status", status))).event).isNotNull();
        }
        assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("status", "OK"))).deadLetter.reason).isEqualTo("wrong_type");
        for (String servedBy : List.of("model", "fallback")) {
            assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("served_by", servedBy))).event).isNotNull();
        }
        assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().putNull("served_by"))).event).isNotNull();
        assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("served_by", "human"))).deadLetter.reason)
                .isEqualTo("wrong_type");
    }

    @Test
    void schemaIdentifierLengthsAreTheParsers() throws IOException {
        JsonNode props = schema().get("properties");
        ObjectNode base = (ObjectNode) JSON.readTree(EXAMPLES.resolve("fraud-scorer-ok.json").toFile());
        for (String field : List.of("model", "model_version", "request_id")) {
            assertThat(props.get(field).get("minLength").asInt()).isEqualTo(1);
            assertThat(props.get(field).get("maxLength").asInt()).isEqualTo(200);
            if (!field.equals("model")) {
                assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put(field, "x".repeat(200)))).event).as(field).isNotNull();
            }
            assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put(field, "x".repeat(201)))).deadLetter.reason)
                    .as(field).isEqualTo("wrong_type");
            assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put(field, ""))).deadLetter.reason)
                    .as(field).isEqualTo("wrong_type");
        }
    }

    /** Where the parser is more lenient than the schema, the schema's $comment says so; check each claim. */
    @Test
    void documentedLeniencesAreReal() throws IOException {
        ObjectNode base = (ObjectNode) JSON.readTree(EXAMPLES.resolve("fraud-scorer-ok.json").toFile());
        assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("request_id", 123456789))).event.requestId)
                .isEqualTo("123456789");
        assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("timestamp", 1795766400125.9))).event.timestamp)
                .isEqualTo(1795766400125L);
        assertThat(parse(JSON.writeValueAsBytes(base.deepCopy().put("timestamp", "2026-11-27T08:00:00.125"))).deadLetter.reason)
                .as("no offset").isEqualTo("wrong_type");
        ObjectNode label = base.deepCopy();
        ((ObjectNode) label.get("prediction")).put("label", 3);
        assertThat(parse(JSON.writeValueAsBytes(label)).event.label).isEqualTo("3");
        ObjectNode segment = base.deepCopy();
        ((ObjectNode) segment.get("segments")).putObject("device").put("os", "ios");
        assertThat(parse(JSON.writeValueAsBytes(segment)).event.segments[2]).isEqualTo("unknown");
        ObjectNode feature = base.deepCopy();
        ((ObjectNode) feature.get("features")).putArray("card_type").add("debit");
        InferenceEvent e = parse(JSON.writeValueAsBytes(feature)).event;
        assertThat(e.categoricalState[categorical(SPEC.model("fraud-scorer"), "card_type")]).isEqualTo(InferenceEvent.TYPE_MISMATCH);
    }

    /** The field table in docs/inference-event.md lists the schema's properties; its reason table the parser's reasons. */
    @Test
    void eventDocTablesListTheSchemasFieldsAndTheReasons() throws IOException {
        String md = Files.readString(DOCS.resolve("inference-event.md"));
        int deadLetters = md.indexOf("## Dead letters");
        assertThat(deadLetters).isPositive();
        Set<String> properties = new LinkedHashSet<>();
        schema().get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(firstColumn(md.substring(0, deadLetters))).containsExactlyInAnyOrderElementsOf(properties);
        assertThat(firstColumn(md.substring(deadLetters)))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).toList());
    }

    static Set<String> firstColumn(String markdown) {
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(markdown);
        Set<String> out = new LinkedHashSet<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    // ---- helpers ----

    static String reasonOf(Path file) {
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - ".json".length());
        int dash = name.indexOf('-');
        return dash < 0 ? name : name.substring(0, dash);
    }

    static String fieldOf(Path file) {
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - ".json".length());
        int dash = name.indexOf('-');
        return dash < 0 ? null : name.substring(dash + 1);
    }

    static int numeric(ModelSpec m, String feature) {
        int slot = m.featureSlot(feature);
        assertThat(slot).isGreaterThanOrEqualTo(0);
        return slot;
    }

    static int categorical(ModelSpec m, String feature) {
        int slot = m.featureSlot(feature);
        assertThat(slot).isNegative();
        return -1 - slot;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }

    /**
     * Just enough of JSON Schema 2020-12 to check the examples against docs/inference-event.schema.json
     * (no validator library is on the classpath). {@link #assertOnlyKnownKeywords} makes sure the
     * schema uses nothing this ignores.
     */
    static final class SchemaCheck {
        static final Set<String> KEYWORDS = Set.of("$schema", "$id", "$comment", "title", "description", "default",
                "type", "enum", "required", "properties", "additionalProperties", "minLength", "maxLength", "minimum",
                "anyOf", "format");

        static void assertOnlyKnownKeywords(JsonNode schema, String at) {
            if (!schema.isObject()) return;
            schema.fieldNames().forEachRemaining(k -> assertThat(KEYWORDS).as(at).contains(k));
            if (schema.has("properties")) {
                schema.get("properties").fields().forEachRemaining(e -> assertOnlyKnownKeywords(e.getValue(), at + "." + e.getKey()));
            }
            if (schema.has("additionalProperties")) assertOnlyKnownKeywords(schema.get("additionalProperties"), at + ".*");
            if (schema.has("anyOf")) schema.get("anyOf").forEach(s -> assertOnlyKnownKeywords(s, at + "|anyOf"));
            if (schema.has("format")) assertThat(schema.get("format").asText()).isEqualTo("date-time");
        }

        static List<String> validate(JsonNode schema, JsonNode value) {
            List<String> problems = new ArrayList<>();
            check(schema, value, "$", problems);
            return problems;
        }

        private static void check(JsonNode schema, JsonNode v, String at, List<String> problems) {
            if (schema.isBoolean()) {
                if (!schema.asBoolean()) problems.add(at + ": not allowed");
                return;
            }
            if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
                problems.add(at + ": type is not " + schema.get("type"));
                return;
            }
            if (schema.has("enum")) {
                boolean found = false;
                for (JsonNode option : schema.get("enum")) found |= option.equals(v);
                if (!found) problems.add(at + ": not one of " + schema.get("enum"));
            }
            if (v.isTextual()) {
                int length = v.asText().codePointCount(0, v.asText().length());
                if (schema.has("minLength") && length < schema.get("minLength").asInt()) problems.add(at + ": too short");
                if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) problems.add(at + ": too long");
                if (schema.has("format") && schema.get("format").asText().equals("date-time")) {
                    try {
                        OffsetDateTime.parse(v.asText());
                    } catch (DateTimeParseException e) {
                        problems.add(at + ": not a date-time with an offset");
                    }
                }
            }
            if (v.isNumber() && schema.has("minimum") && v.doubleValue() < schema.get("minimum").asDouble()) {
                problems.add(at + ": below the minimum");
            }
            if (schema.has("anyOf")) {
                boolean any = false;
                for (JsonNode option : schema.get("anyOf")) any |= validate(option, v).isEmpty();
                if (!any) problems.add(at + ": matches none of anyOf");
            }
            if (v.isObject()) {
                if (schema.has("required")) {
                    for (JsonNode r : schema.get("required")) {
                        if (!v.has(r.asText())) problems.add(at + ": " + r.asText() + " is required");
                    }
                }
                JsonNode props = schema.path("properties");
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (props.has(f.getKey())) {
                        check(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), problems);
                    } else if (schema.has("additionalProperties")) {
                        check(schema.get("additionalProperties"), f.getValue(), at + "." + f.getKey(), problems);
                    }
                }
            }
        }

        private static boolean typeMatches(JsonNode type, JsonNode v) {
            if (type.isArray()) {
                for (JsonNode t : type) if (typeMatches(t, v)) return true;
                return false;
            }
            return switch (type.asText()) {
                case "object" -> v.isObject();
                case "array" -> v.isArray();
                case "string" -> v.isTextual();
                case "number" -> v.isNumber();
                case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())
                        && !Double.isInfinite(v.asDouble()));
                case "boolean" -> v.isBoolean();
                case "null" -> v.isNull();
                default -> throw new IllegalArgumentException("unknown type " + type);
            };
        }
    }
}
