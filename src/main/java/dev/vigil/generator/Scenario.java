package dev.vigil.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A list of incidents scheduled at offsets from the simulated start. Loaded from YAML:
 *
 * <pre>
 * name: demo
 * incidents:
 *   - id: de-amount-shift          # optional
 *     kind: numeric_shift
 *     model: fraud-scorer
 *     segment: country=DE          # or "all" (default), or "country=DE,channel=web"
 *     feature: amount
 *     start: 1h
 *     duration: 45m
 *     magnitude: 1.5
 * </pre>
 *
 * Every scenario is validated on creation; problems are reported together in a
 * {@link ScenarioException}, each naming the entry index and field.
 */
public final class Scenario {

    /** The classpath resource of the demo scenario. */
    public static final String DEMO_RESOURCE = "demo/scenario.yaml";

    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "incidents");
    private static final Set<String> INCIDENT_FIELDS = Set.of(
            "id", "kind", "model", "segment", "feature", "start", "duration", "magnitude", "value", "description");

    private final String name;
    private final List<Incident> incidents;

    private Scenario(String name, List<Incident> incidents) {
        this.name = name;
        this.incidents = List.copyOf(incidents);
    }

    /** A scenario without incidents. */
    public static Scenario empty() {
        return new Scenario("none", List.of());
    }

    /**
     * A scenario from incidents built in code; validated like a file.
     *
     * @throws ScenarioException if an incident is invalid
     */
    public static Scenario of(List<Incident> incidents) {
        return of("custom", incidents);
    }

    public static Scenario of(Incident... incidents) {
        return of(List.of(incidents));
    }

    public static Scenario of(String name, List<Incident> incidents) {
        List<String> problems = new ArrayList<>();
        List<Incident> named = validate(incidents, problems);
        if (!problems.isEmpty()) {
            throw new ScenarioException(name, problems);
        }
        return new Scenario(name, named);
    }

    /** Loads a scenario file. */
    public static Scenario load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The built-in demo scenario ({@value #DEMO_RESOURCE}). */
    public static Scenario demo() {
        return fromClasspath(DEMO_RESOURCE);
    }

    /** Loads a scenario from a classpath resource. */
    public static Scenario fromClasspath(String resource) {
        try (InputStream in = Scenario.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Scenario parse(String yaml) {
        return parse(yaml, null);
    }

    /**
     * Parses and validates scenario YAML.
     *
     * @param source a name for messages (e.g. the file name), or null
     * @throws ScenarioException if the text is not a valid scenario
     */
    public static Scenario parse(String yaml, String source) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source, List.of("not valid YAML: " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        String name = source == null ? "scenario" : source;
        JsonNode list;
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Scenario(name, List.of());
        } else if (root.isArray()) {
            list = root;
        } else if (root.isObject()) {
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!TOP_FIELDS.contains(f)) {
                    problems.add(f + ": unknown field (known: name, description, incidents)");
                }
            }
            if (root.hasNonNull("name")) {
                name = root.get("name").asText();
            }
            list = root.get("incidents");
            if (list == null || list.isNull()) {
                list = new YAMLMapper().createArrayNode();
            } else if (!list.isArray()) {
                problems.add("incidents: must be a list of incidents");
                throw new ScenarioException(source, problems);
            }
        } else {
            throw new ScenarioException(source, List.of("expected a mapping with 'incidents:' or a list of incidents"));
        }

        List<Incident> parsed = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            parsed.add(parseEntry(list.get(i), "incidents[" + i + "]", problems));
        }
        List<Incident> named = validate(parsed, problems);
        if (!problems.isEmpty()) {
            throw new ScenarioException(source, byEntry(problems));
        }
        return new Scenario(name, named);
    }

    /** Orders problems by entry index (stable within an entry); top-level problems first. */
    private static List<String> byEntry(List<String> problems) {
        List<String> sorted = new ArrayList<>(problems);
        sorted.sort(java.util.Comparator.comparingInt(Scenario::entryIndex));
        return sorted;
    }

    private static int entryIndex(String problem) {
        if (!problem.startsWith("incidents[")) {
            return -1;
        }
        int close = problem.indexOf(']');
        try {
            return Integer.parseInt(problem.substring("incidents[".length(), close));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Incident parseEntry(JsonNode node, String at, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(at + ": must be a mapping with kind, model, start, duration, ...");
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!INCIDENT_FIELDS.contains(f)) {
                problems.add(at + "." + f + ": unknown field (known: " + String.join(", ", sorted(INCIDENT_FIELDS)) + ")");
            }
        }
        String id = text(node, "id", at, problems);
        IncidentKind kind = null;
        String kindText = text(node, "kind", at, problems);
        if (kindText == null) {
            if (!node.has("kind") || node.get("kind").isNull()) {
                problems.add(at + ".kind: missing (one of " + IncidentKind.allIds() + ")");
            }
        } else {
            try {
                kind = IncidentKind.fromId(kindText);
            } catch (IllegalArgumentException e) {
                problems.add(at + ".kind: " + e.getMessage());
            }
        }
        String model = text(node, "model", at, problems);
        SegmentSelector segment = SegmentSelector.ALL;
        JsonNode seg = node.get("segment");
        if (seg != null && !seg.isNull()) {
            try {
                if (seg.isObject()) {
                    Map<String, String> m = new LinkedHashMap<>();
                    seg.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
                    segment = SegmentSelector.parse(String.join(",",
                            m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
                } else if (seg.isValueNode()) {
                    segment = SegmentSelector.parse(seg.asText());
                } else {
                    problems.add(at + ".segment: must be 'all' or 'dimension=value'");
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + ".segment: " + e.getMessage());
            }
        }
        String feature = text(node, "feature", at, problems);
        Duration start = duration(node, "start", at, problems);
        Duration duration = duration(node, "duration", at, problems);
        double magnitude = Double.NaN;
        JsonNode mag = node.get("magnitude");
        if (mag != null && !mag.isNull()) {
            if (mag.isNumber()) {
                magnitude = mag.doubleValue();
            } else {
                problems.add(at + ".magnitude: must be a number, got " + mag);
            }
        }
        String value = null;
        JsonNode val = node.get("value");
        if (val != null && !val.isNull()) {
            if (val.isValueNode()) {
                value = val.asText();
            } else {
                problems.add(at + ".value: must be a single value");
            }
        }
        if (kind == null) {
            return null;
        }
        // Fields that failed to parse are null here; validation does not report them twice.
        return new Incident(id, kind, model, segment, feature, start, duration, magnitude, value);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static String text(JsonNode node, String field, String at, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            problems.add(at + "." + field + ": must be a single value");
            return null;
        }
        return v.asText();
    }

    private static Duration duration(JsonNode node, String field, String at, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            if (!v.isValueNode()) {
                throw new IllegalArgumentException("must be a duration such as 45m or 2h");
            }
            return Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            problems.add(at + "." + field + ": " + e.getMessage());
            return null;
        }
    }

    /** Checks each incident against the demo models; returns them with default ids filled in. */
    private static List<Incident> validate(List<Incident> incidents, List<String> problems) {
        List<Incident> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < incidents.size(); i++) {
            Incident inc = incidents.get(i);
            if (inc == null) {
                continue; // already reported while parsing
            }
            String at = "incidents[" + i + "]";
            List<String> found = new ArrayList<>();
            checkIncident(inc, at, found);
            String id = inc.id() == null || inc.id().isBlank() ? inc.kind().id() + "-" + (i + 1) : inc.id();
            if (!ids.add(id)) {
                found.add(at + ".id: '" + id + "' is used by an earlier incident");
            }
            boolean parseProblems = problems.stream().anyMatch(p -> p.startsWith(at + ".") || p.startsWith(at + ":"));
            for (String p : found) {
                String field = p.substring(0, p.indexOf(':') + 1);
                if (problems.stream().noneMatch(q -> q.startsWith(field))) {
                    problems.add(p);
                }
            }
            if (found.isEmpty() && !parseProblems) {
                Incident named = inc.withId(id);
                if (named.kind() == IncidentKind.STUCK_FEATURE && Double.isNaN(named.magnitude())) {
                    named = new Incident(named.id(), named.kind(), named.model(), named.segment(), named.feature(),
                            named.start(), named.duration(), 1.0, named.value());
                }
                out.add(named);
            }
        }
        return out;
    }

    private static void checkIncident(Incident inc, String at, List<String> problems) {
        IncidentKind kind = inc.kind();
        ModelProfile model = null;
        if (inc.model() == null || inc.model().isBlank()) {
            problems.add(at + ".model: missing (one of " + DemoModels.names() + ")");
        } else {
            model = DemoModels.find(inc.model());
            if (model == null) {
                problems.add(at + ".model: unknown model '" + inc.model() + "' (known: " + DemoModels.names() + ")");
            }
        }
        if (model != null) {
            for (Map.Entry<String, String> c : inc.segment().conditions().entrySet()) {
                int dim = model.segmentIndex(c.getKey());
                if (dim < 0) {
                    problems.add(at + ".segment: " + model.name + " has no segment dimension '" + c.getKey()
                            + "' (known: " + String.join(", ", model.segmentNames) + ")");
                } else if (!List.of(model.segmentValues[dim]).contains(c.getValue())) {
                    problems.add(at + ".segment: " + c.getKey() + "=" + c.getValue() + " never occurs in "
                            + model.name + " traffic (values: " + String.join(", ", model.segmentValues[dim]) + ")");
                }
            }
        }
        FeatureDef feature = null;
        if (kind.needsFeature()) {
            if (inc.feature() == null || inc.feature().isBlank()) {
                problems.add(at + ".feature: missing (kind " + kind.id() + " applies to one feature)");
            } else if (model != null) {
                int f = model.featureIndex(inc.feature());
                if (f < 0) {
                    problems.add(at + ".feature: " + model.name + " has no feature '" + inc.feature()
                            + "' (known: " + String.join(", ", DemoModels.featureNames(model.name)) + ")");
                } else {
                    feature = model.features[f];
                    if (kind == IncidentKind.NUMERIC_SHIFT && !feature.numeric) {
                        problems.add(at + ".feature: " + inc.feature() + " is categorical; numeric_shift needs a numeric feature");
                    } else if (kind == IncidentKind.NEW_CATEGORY && feature.numeric) {
                        problems.add(at + ".feature: " + inc.feature() + " is numeric; new_category needs a categorical feature");
                    }
                }
            }
        } else if (inc.feature() != null) {
            problems.add(at + ".feature: not used by kind " + kind.id() + " (remove it)");
        }
        if (inc.start() == null) {
            problems.add(at + ".start: missing (offset from the simulated start, e.g. 2h)");
        } else if (inc.start().isNegative()) {
            problems.add(at + ".start: must not be negative");
        }
        if (inc.duration() == null) {
            problems.add(at + ".duration: missing (e.g. 45m)");
        } else if (inc.duration().isNegative() || inc.duration().isZero()) {
            problems.add(at + ".duration: must be positive");
        }
        checkMagnitude(inc, model, at, problems);
        if (inc.value() != null) {
            if (kind == IncidentKind.NEW_CATEGORY) {
                if (feature != null && !feature.numeric && feature.categories.contains(inc.value())) {
                    problems.add(at + ".value: '" + inc.value() + "' is already a category of " + feature.name
                            + "; new_category needs a value outside " + feature.categories);
                }
            } else if (kind == IncidentKind.STUCK_FEATURE) {
                if (feature != null && feature.numeric) {
                    try {
                        double v = Double.parseDouble(inc.value());
                        if (!Double.isFinite(v)) {
                            problems.add(at + ".value: must be a finite number for numeric feature " + feature.name);
                        }
                    } catch (NumberFormatException e) {
                        problems.add(at + ".value: '" + inc.value() + "' is not a number (feature " + feature.name + " is numeric)");
                    }
                }
            } else {
                problems.add(at + ".value: not used by kind " + kind.id() + " (remove it)");
            }
        }
    }

    private static void checkMagnitude(Incident inc, ModelProfile model, String at, List<String> problems) {
        double m = inc.magnitude();
        String where = at + ".magnitude: ";
        boolean missing = Double.isNaN(m);
        if (!missing && Double.isInfinite(m)) {
            problems.add(where + "must be finite");
            return;
        }
        switch (inc.kind()) {
            case NUMERIC_SHIFT, SCORE_SHIFT -> {
                if (missing) {
                    problems.add(where + "missing (" + (inc.kind() == IncidentKind.NUMERIC_SHIFT
                            ? "shift in standard deviations, e.g. 2.0)" : "log-odds shift, e.g. 1.5)"));
                } else if (inc.kind() == IncidentKind.SCORE_SHIFT && model != null && model.isRegression() && m <= -1) {
                    problems.add(where + "must be greater than -1 for a regression model (the value is multiplied by 1 + magnitude)");
                }
            }
            case NEW_CATEGORY -> {
                if (missing) {
                    problems.add(where + "missing (share of events with the new category, in (0, 1])");
                } else if (m <= 0 || m > 1) {
                    problems.add(where + "must be a share in (0, 1], got " + m);
                }
            }
            case ERROR_SPIKE -> {
                if (missing) {
                    problems.add(where + "missing (the error rate during the incident, in [0, 1])");
                } else if (m < 0 || m > 1) {
                    problems.add(where + "must be an error rate in [0, 1], got " + m);
                }
            }
            case LATENCY_REGRESSION -> {
                if (missing) {
                    problems.add(where + "missing (latency multiplier, e.g. 3.0)");
                } else if (m <= 0) {
                    problems.add(where + "must be a positive multiplier, got " + m);
                }
            }
            case TRAFFIC_DROP -> {
                if (missing) {
                    problems.add(where + "missing (traffic multiplier, e.g. 0.1)");
                } else if (m < 0) {
                    problems.add(where + "must be a multiplier >= 0, got " + m);
                } else if (m > 50) {
                    problems.add(where + "must be at most 50, got " + m);
                }
            }
            case STUCK_FEATURE -> {
                if (!missing && (m <= 0 || m > 1)) {
                    problems.add(where + "must be a share in (0, 1] (default 1), got " + m);
                }
            }
            case OVERRIDE_RISE -> {
                if (missing) {
                    problems.add(where + "missing (the override rate during the incident, in [0, 1])");
                } else if (m < 0 || m > 1) {
                    problems.add(where + "must be an override rate in [0, 1], got " + m);
                }
            }
            case CONCEPT_DRIFT -> {
                if (missing) {
                    problems.add(where + "missing (the share of ground truth drawn independently of the prediction, in (0, 1])");
                } else if (m <= 0 || m > 1) {
                    problems.add(where + "must be a share in (0, 1], got " + m);
                }
            }
            case SILENCE -> {
                // magnitude is not used
            }
        }
    }

    public String name() {
        return name;
    }

    /** The incidents in file order, each with an id. */
    public List<Incident> incidents() {
        return incidents;
    }

    public boolean isEmpty() {
        return incidents.isEmpty();
    }

    /** The incidents for one model. */
    public List<Incident> incidentsFor(String model) {
        return incidents.stream().filter(i -> i.model().equals(model)).toList();
    }

    /** The latest end offset of any incident (zero without incidents). */
    public Duration end() {
        return incidents.stream().map(Incident::end).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "Scenario[" + name + ", " + incidents.size() + " incidents]";
    }
}
