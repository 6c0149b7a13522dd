package dev.vigil.generator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Shared helpers: the demo monitor spec, generation shortcuts and event parsing. */
final class TestSupport {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A Wednesday, so no weekend factor. */
    static final Instant WEDNESDAY_NOON = Instant.parse("2026-11-25T12:00:00Z");

    private static JsonNode spec;

    private TestSupport() {}

    /** The demo monitor spec (src/main/resources/demo/monitor-spec.yaml) as a tree. */
    static synchronized JsonNode spec() {
        if (spec == null) {
            try (InputStream in = TestSupport.class.getClassLoader().getResourceAsStream("demo/monitor-spec.yaml")) {
                spec = new YAMLMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return spec;
    }

    static JsonNode specModel(String name) {
        for (JsonNode m : spec().get("models")) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static final Map<String, Map<String, JsonNode>> FEATURES = new java.util.concurrent.ConcurrentHashMap<>();

    static Map<String, JsonNode> specFeatures(String model) {
        return FEATURES.computeIfAbsent(model, TestSupport::readSpecFeatures);
    }

    private static Map<String, JsonNode> readSpecFeatures(String model) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode f : specModel(model).get("features")) {
            out.put(f.get("name").asText(), f);
        }
        return out;
    }

    static List<String> specSegmentNames(String model) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : specModel(model).get("segments")) {
            out.add(s.get("name").asText());
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static GeneratorConfig.Builder config(Duration duration) {
        return GeneratorConfig.builder().seed(42).start(WEDNESDAY_NOON).duration(duration);
    }

    static JsonNode parse(GeneratedRecord r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }

    /** The event time of a parsed event (ISO string or epoch milliseconds). */
    static long timestampMillis(JsonNode event) {
        JsonNode ts = event.get("timestamp");
        if (ts.isIntegralNumber()) {
            return ts.longValue();
        }
        return OffsetDateTime.parse(ts.asText()).toInstant().toEpochMilli();
    }

    /** A generated good event with its parsed form. */
    record Event(GeneratedRecord record, JsonNode json) {
        String model() {
            return json.get("model").asText();
        }

        String requestId() {
            return json.get("request_id").asText();
        }

        long time() {
            return record.eventTimeMillis();
        }

        String segment(String dim) {
            return json.get("segments").get(dim).asText();
        }

        JsonNode feature(String name) {
            return json.get("features").get(name);
        }

        boolean ok() {
            return json.get("status").asText().equals("ok");
        }

        boolean byModel() {
            return json.get("served_by").asText().equals("model");
        }

        double latency() {
            return json.get("latency_ms").asDouble();
        }
    }

    /** Generates and parses every good event, keyed by request id in emission order. */
    static Map<String, Event> goodEvents(GeneratorConfig config, Scenario scenario) {
        Map<String, Event> out = new LinkedHashMap<>();
        TrafficGenerator g = new TrafficGenerator(config, scenario);
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (!r.bad()) {
                Event e = new Event(r, parse(r));
                if (out.put(e.requestId(), e) != null) {
                    throw new AssertionError("duplicate request id " + e.requestId());
                }
            }
        }
        return out;
    }

    static List<Event> filter(Map<String, Event> events, Predicate<Event> p) {
        return events.values().stream().filter(p).toList();
    }

    static final Set<String> ERROR_CODES = Set.of("TIMEOUT", "UPSTREAM_5XX", "FEATURE_STORE_UNAVAILABLE");
}
