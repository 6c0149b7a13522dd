package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.events.DeadLetter;
import dev.vigil.events.DeadLetterReason;
import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.FeedbackEventParser;
import dev.vigil.events.ParsedFeedback;
import dev.vigil.events.ParserLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/feedback-event.md, its JSON Schema and the examples in docs/examples/feedback/ agree with
 * {@link FeedbackEventParser}, the way {@link EventExamplesTest} checks the inference event.
 */
class FeedbackExamplesTest {
    static final Path EXAMPLES = EventExamplesTest.EXAMPLES.resolve("feedback");
    static final Path INVALID = EXAMPLES.resolve("invalid");
    static final Path SCHEMA = EventExamplesTest.DOCS.resolve("feedback-event.schema.json");
    static final FeedbackEventParser PARSER = new FeedbackEventParser(EventExamplesTest.SPEC, ParserLimits.DEFAULTS);

    static Stream<Path> validExamples() throws IOException {
        return EventExamplesTest.jsonFiles(EXAMPLES).stream();
    }

    static Stream<Path> invalidExamples() throws IOException {
        return EventExamplesTest.jsonFiles(INVALID).stream();
    }

    static ParsedFeedback parse(Path file) throws IOException {
        return PARSER.parse(Files.readAllBytes(file), "feedback", 0, 0L, EventExamplesTest.NOW);
    }

    static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(SCHEMA.toFile());
    }

    @Test
    void thereAreExamplesOfEveryKindTheDocsPromise() throws IOException {
        assertThat(EventExamplesTest.jsonFiles(EXAMPLES)).hasSizeGreaterThanOrEqualTo(5);
        Set<String> reasons = EventExamplesTest.jsonFiles(INVALID).stream().map(EventExamplesTest::reasonOf).collect(Collectors.toSet());
        assertThat(reasons).contains("malformed_json", "missing_field", "wrong_type", "unknown_model", "implausible_timestamp",
                "empty_feedback");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleParsesToFeedback(Path file) throws IOException {
        ParsedFeedback r = parse(file);
        assertThat(r.deadLetter).as(() -> "dead letter: " + r.deadLetter.reason + " / " + r.deadLetter.detail).isNull();
        FeedbackEvent e = r.event;
        JsonNode json = EventExamplesTest.JSON.readTree(file.toFile());
        assertThat(e.requestId).isEqualTo(json.get("request_id").asText());
        assertThat(e.model).isEqualTo(json.get("model").asText());
        assertThat(e.action).isEqualTo(json.path("action").isTextual() ? json.get("action").asText() : null);
        assertThat(e.trueLabel).isEqualTo(json.path("label").isValueNode() && !json.path("label").isNull() ? json.get("label").asText() : null);
        if (json.path("value").isNumber()) assertThat(e.trueValue).isEqualTo(json.get("value").asDouble());
        assertThat(e.timestamp).isBetween(EventExamplesTest.NOW - 15 * 60_000L, EventExamplesTest.NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleMatchesTheSchema(Path file) throws IOException {
        assertThat(EventExamplesTest.SchemaCheck.validate(schema(), EventExamplesTest.JSON.readTree(file.toFile()))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsDeadLetteredWithTheReasonInItsName(Path file) throws IOException {
        ParsedFeedback r = parse(file);
        assertThat(r.event).isNull();
        DeadLetter d = r.deadLetter;
        assertThat(d.reason).as(d.detail).isEqualTo(EventExamplesTest.reasonOf(file));
        String field = EventExamplesTest.fieldOf(file);
        if (field != null) assertThat(d.detail).startsWith(field + " ");
        assertThat(d.topic).isEqualTo("feedback");
        assertThat(d.payload).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void schemaRejectsShapeProblemsOnly(Path file) throws IOException {
        EventExamplesTest.assertSchemaRejectsShapeProblemsOnly(schema(), file);
    }

    @Test
    void schemaUsesOnlyWhatTheCheckUnderstandsAndRequiresWhatTheParserRequires() throws IOException {
        JsonNode schema = schema();
        EventExamplesTest.SchemaCheck.assertOnlyKnownKeywords(schema, "$");
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("request_id", "model", "timestamp");
        List<String> enumValues = new java.util.ArrayList<>();
        schema.at("/properties/action/enum").forEach(n -> enumValues.add(n.isNull() ? null : n.asText()));
        assertThat(enumValues).containsExactlyInAnyOrder("accepted", "overridden", "ignored", "escalated", null);
        assertThat(enumValues.subList(0, 4)).isEqualTo(FeedbackEvent.ACTIONS);
    }

    /** The field table lists the schema's properties; the reason table every reason the feedback parser reports. */
    @Test
    void docTablesListTheSchemasFieldsAndTheReasons() throws IOException {
        String md = Files.readString(EventExamplesTest.DOCS.resolve("feedback-event.md"));
        int fields = md.indexOf("## Fields");
        int deadLetters = md.indexOf("## Dead letters");
        assertThat(fields).isPositive();
        assertThat(deadLetters).isGreaterThan(fields);
        Set<String> properties = new LinkedHashSet<>();
        schema().get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(EventExamplesTest.firstColumn(md.substring(fields, md.indexOf("\n## ", fields + 1)))).containsExactlyInAnyOrderElementsOf(properties);
        assertThat(EventExamplesTest.firstColumn(md.substring(deadLetters)))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).toList());
    }
}
