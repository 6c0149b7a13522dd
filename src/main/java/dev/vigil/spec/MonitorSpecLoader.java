package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates a monitor spec (YAML). Validation collects every problem before failing,
 * and each message names the model and the field, so a user fixes a spec in one pass.
 */
public final class MonitorSpecLoader {
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final Duration DEFAULT_LATENESS = Duration.ofMinutes(5);
    static final int DEFAULT_MAX_SEGMENT_VALUES = 20;
    static final int MAX_SEGMENT_VALUES_LIMIT = 1000;

    private static final Set<String> TOP_FIELDS = Set.of("version", "defaults", "models");
    private static final Set<String> DEFAULTS_FIELDS = Set.of("window", "allowed-lateness");
    private static final Set<String> MODEL_FIELDS =
            Set.of("name", "task", "window", "allowed-lateness", "segments", "features", "prediction", "drift",
                    "service", "checks", "traffic", "silence", "feedback", "adoption", "performance");
    private static final Set<String> DRIFT_FIELDS = Set.of(
            "reference", "window", "every", "min-samples", "fire-after", "resolve-after", "thresholds", "features", "fdr");
    private static final Set<String> REFERENCE_FIELDS = Set.of("baseline", "trailing");
    private static final Set<String> FEATURE_FIELDS = Set.of("name", "type", "range", "categories");
    private static final Set<String> SEGMENT_FIELDS = Set.of("name", "max-values", "values");
    private static final Set<String> PREDICTION_FIELDS = Set.of("labels", "score-range", "value-range");

    private final List<String> problems = new ArrayList<>();

    /** Records a problem; {@code at} names the model and field, e.g. {@code models[0] (fraud).service.error-rate}. */
    void problem(String at, String message) {
        problems.add(at + ": " + message);
    }

    private MonitorSpecLoader() {}

    public static MonitorSpec load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new SpecException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
    }

    /** Loads a spec packaged on the classpath, e.g. {@code /demo/monitor-spec.yaml}. */
    public static MonitorSpec loadResource(String resource) {
        try (InputStream in = MonitorSpecLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SpecException(resource, List.of("no such resource on the classpath"));
            }
            return parse(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MonitorSpec parse(String yaml) {
        return parse(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "(text)");
    }

    static MonitorSpec parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new SpecException(source, List.of("not valid YAML: " + e.getMessage()));
        }
        MonitorSpecLoader loader = new MonitorSpecLoader();
        List<ModelSpec> models = loader.readSpec(root);
        if (!loader.problems.isEmpty()) {
            throw new SpecException(source, loader.problems);
        }
        return new MonitorSpec(models);
    }

    private List<ModelSpec> readSpec(JsonNode root) {
        List<ModelSpec> models = new ArrayList<>();
        if (root == null || !root.isObject()) {
            problems.add("the spec must be a YAML mapping with a 'models' list");
            return models;
        }
        unknownFields(root, TOP_FIELDS, "spec");
        JsonNode version = root.get("version");
        if (version != null && (!version.isInt() || version.intValue() != 1)) {
            problems.add("version: only version 1 is supported");
        }
        JsonNode defaults = root.path("defaults");
        unknownFields(defaults, DEFAULTS_FIELDS, "defaults");
        Duration window = duration(defaults, "window", "defaults.window", DEFAULT_WINDOW);
        Duration lateness = duration(defaults, "allowed-lateness", "defaults.allowed-lateness", DEFAULT_LATENESS);
        JsonNode list = root.get("models");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add("models: at least one model is required");
            return models;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String name = m.path("name").asText("");
            String where = "models[" + i + "]" + (name.isEmpty() ? "" : " (" + name + ")");
            ModelSpec model = readModel(m, where, window, lateness);
            if (model != null) {
                if (!names.add(model.name())) {
                    problems.add(where + ".name: model '" + model.name() + "' is declared twice");
                }
                models.add(model);
            }
        }
        return models;
    }

    private ModelSpec readModel(JsonNode m, String where, Duration defaultWindow, Duration defaultLateness) {
        if (!m.isObject()) {
            problems.add(where + ": must be a mapping");
            return null;
        }
        unknownFields(m, MODEL_FIELDS, where);
        String name = requiredText(m, "name", where);
        ModelTask task = null;
        String taskText = requiredText(m, "task", where);
        if (taskText != null) {
            task = ModelTask.fromSpecName(taskText).orElse(null);
            if (task == null) {
                problems.add(where + ".task: '" + taskText + "' is not one of binary-classification, "
                        + "multiclass-classification, regression, ranking");
            }
        }
        Duration window = duration(m, "window", where + ".window", defaultWindow);
        Duration lateness = duration(m, "allowed-lateness", where + ".allowed-lateness", defaultLateness);
        if (window.isZero() || window.isNegative() || Duration.ofDays(1).toMillis() % window.toMillis() != 0) {
            problems.add(where + ".window: must be positive and divide a day evenly (e.g. 1m, 5m, 1h)");
        }
        List<SegmentDimension> segments = readSegments(m.path("segments"), where);
        List<FeatureSpec> features = readFeatures(m.path("features"), where);
        PredictionSpec prediction = readPrediction(m.path("prediction"), where);
        DriftSpec drift = readDrift(m.path("drift"), where, window, features);
        Monitors monitors = new Monitors(
                ServiceSpec.read(m.path("service"), where + ".service", this),
                ChecksSpec.read(m.path("checks"), where + ".checks", features, prediction, this),
                TrafficSpec.read(m.path("traffic"), where + ".traffic", window, segments, this),
                SilenceSpec.read(m.path("silence"), where + ".silence", this),
                FeedbackSpec.read(m.path("feedback"), where + ".feedback", this),
                AdoptionSpec.read(m.path("adoption"), where + ".adoption", window, this),
                PerformanceSpec.read(m.path("performance"), where + ".performance", task, prediction, window, this));
        if (name == null || task == null) {
            return null;
        }
        return new ModelSpec(name, task, window, lateness, segments, features, prediction, drift, monitors);
    }

    private List<SegmentDimension> readSegments(JsonNode list, String where) {
        List<SegmentDimension> out = new ArrayList<>();
        if (list.isMissingNode()) return out;
        if (!list.isArray()) {
            problems.add(where + ".segments: must be a list");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String at = where + ".segments[" + i + "]";
            unknownFields(s, SEGMENT_FIELDS, at);
            String name = requiredText(s, "name", at);
            if (name == null) continue;
            if (name.equals("all") || !seen.add(name)) {
                problems.add(at + ".name: '" + name + "' is reserved or declared twice");
            }
            List<String> values = textList(s.get("values"), at + ".values");
            int max = DEFAULT_MAX_SEGMENT_VALUES;
            JsonNode maxNode = s.get("max-values");
            if (maxNode != null) {
                if (!maxNode.isInt() || maxNode.intValue() < 1 || maxNode.intValue() > MAX_SEGMENT_VALUES_LIMIT) {
                    problems.add(at + ".max-values: must be an integer from 1 to " + MAX_SEGMENT_VALUES_LIMIT);
                } else {
                    max = maxNode.intValue();
                }
            }
            if (!values.isEmpty()) {
                max = values.size();
            }
            out.add(new SegmentDimension(name, max, values));
        }
        return out;
    }

    private List<FeatureSpec> readFeatures(JsonNode list, String where) {
        List<FeatureSpec> out = new ArrayList<>();
        if (list.isMissingNode()) return out;
        if (!list.isArray()) {
            problems.add(where + ".features: must be a list");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            String fname = f.path("name").asText("");
            String at = where + ".features[" + i + "]" + (fname.isEmpty() ? "" : " (" + fname + ")");
            unknownFields(f, FEATURE_FIELDS, at);
            String name = requiredText(f, "name", at);
            String typeText = requiredText(f, "type", at);
            if (name == null || typeText == null) continue;
            if (!seen.add(name)) {
                problems.add(at + ".name: feature '" + name + "' is declared twice");
            }
            FeatureType type;
            if (typeText.equals("numeric")) {
                type = FeatureType.NUMERIC;
            } else if (typeText.equals("categorical")) {
                type = FeatureType.CATEGORICAL;
            } else {
                problems.add(at + ".type: '" + typeText + "' is not numeric or categorical");
                continue;
            }
            double[] range = range(f.get("range"), at + ".range");
            List<String> categories = textList(f.get("categories"), at + ".categories");
            if (type == FeatureType.NUMERIC && !categories.isEmpty()) {
                problems.add(at + ".categories: only categorical features have categories");
            }
            if (type == FeatureType.CATEGORICAL && range != null) {
                problems.add(at + ".range: only numeric features have a range");
            }
            out.add(new FeatureSpec(name, type, range == null ? null : range[0], range == null ? null : range[1], categories));
        }
        return out;
    }

    private PredictionSpec readPrediction(JsonNode p, String where) {
        if (p.isMissingNode()) return PredictionSpec.NONE;
        String at = where + ".prediction";
        if (!p.isObject()) {
            problems.add(at + ": must be a mapping");
            return PredictionSpec.NONE;
        }
        unknownFields(p, PREDICTION_FIELDS, at);
        List<String> labels = textList(p.get("labels"), at + ".labels");
        double[] score = range(p.get("score-range"), at + ".score-range");
        double[] value = range(p.get("value-range"), at + ".value-range");
        return new PredictionSpec(
                labels,
                score == null ? null : score[0],
                score == null ? null : score[1],
                value == null ? null : value[0],
                value == null ? null : value[1]);
    }

    private DriftSpec readDrift(JsonNode d, String where, Duration modelWindow, List<FeatureSpec> features) {
        if (d.isMissingNode()) return null;
        String at = where + ".drift";
        if (!d.isObject()) {
            problems.add(at + ": must be a mapping");
            return null;
        }
        unknownFields(d, DRIFT_FIELDS, at);
        DriftSpec.Reference reference = null;
        JsonNode ref = d.get("reference");
        if (ref == null || !ref.isObject() || ref.size() != 1) {
            problems.add(at + ".reference: required, either {baseline: <name>} or {trailing: <duration>}");
        } else {
            unknownFields(ref, REFERENCE_FIELDS, at + ".reference");
            if (ref.has("baseline")) {
                String name = ref.get("baseline").asText("");
                if (name.isBlank()) problems.add(at + ".reference.baseline: must name a baseline (vigil baseline --name)");
                reference = new DriftSpec.Reference(name, null);
            } else if (ref.has("trailing")) {
                Duration trailing = duration(ref, "trailing", at + ".reference.trailing", Duration.ofDays(1));
                reference = new DriftSpec.Reference(null, trailing);
            }
        }
        Duration window = duration(d, "window", at + ".window", DriftSpec.DEFAULT_WINDOW);
        Duration every = duration(d, "every", at + ".every", DriftSpec.DEFAULT_EVERY);
        long modelMillis = modelWindow.toMillis();
        if (modelMillis <= 0 || every.toMillis() % modelMillis != 0 || every.isZero()) {
            problems.add(at + ".every: must be a positive multiple of the model window (" + DurationText.format(modelWindow) + ")");
        } else if (window.toMillis() % every.toMillis() != 0 || window.isZero()) {
            problems.add(at + ".window: must be a positive multiple of drift.every (" + DurationText.format(every) + ")");
        }
        if (reference != null && !reference.isBaseline() && reference.trailing().compareTo(window) < 0) {
            problems.add(at + ".reference.trailing: must be at least drift.window, so the reference does not overlap it");
        }
        long minSamples = positiveInt(d, "min-samples", at, DriftSpec.DEFAULT_MIN_SAMPLES);
        int fireAfter = (int) positiveInt(d, "fire-after", at, DriftSpec.DEFAULT_FIRE_AFTER);
        int resolveAfter = (int) positiveInt(d, "resolve-after", at, DriftSpec.DEFAULT_RESOLVE_AFTER);
        java.util.Map<String, DriftSpec.Threshold> thresholds = new java.util.HashMap<>(DriftSpec.DEFAULT_THRESHOLDS);
        thresholds.putAll(thresholds(d.path("thresholds"), at + ".thresholds"));
        java.util.Map<String, java.util.Map<String, DriftSpec.Threshold>> perFeature = new java.util.HashMap<>();
        JsonNode overrides = d.path("features");
        if (!overrides.isMissingNode()) {
            Set<String> known = new HashSet<>();
            features.forEach(f -> known.add(f.name()));
            known.add("prediction");
            for (Iterator<String> it = overrides.fieldNames(); it.hasNext(); ) {
                String feature = it.next();
                if (!known.contains(feature)) {
                    problems.add(at + ".features." + feature + ": not a feature of this model (or 'prediction')");
                }
                perFeature.put(feature, thresholds(overrides.get(feature), at + ".features." + feature));
            }
        }
        Double fdr = null;
        JsonNode fdrNode = d.get("fdr");
        if (fdrNode != null) {
            if (!fdrNode.isNumber() || fdrNode.doubleValue() <= 0 || fdrNode.doubleValue() >= 1) {
                problems.add(at + ".fdr: must be a number between 0 and 1 (e.g. 0.05)");
            } else {
                fdr = fdrNode.doubleValue();
            }
        }
        return new DriftSpec(reference, window, every, minSamples, fireAfter, resolveAfter,
                java.util.Map.copyOf(thresholds), java.util.Map.copyOf(perFeature), fdr);
    }

    private java.util.Map<String, DriftSpec.Threshold> thresholds(JsonNode node, String at) {
        java.util.Map<String, DriftSpec.Threshold> out = new java.util.HashMap<>();
        if (node.isMissingNode()) return out;
        if (!node.isObject()) {
            problems.add(at + ": must be a mapping of metric to [warning, critical]");
            return out;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String metric = it.next();
            if (!DriftSpec.METRICS.contains(metric)) {
                problems.add(at + "." + metric + ": unknown metric (expected one of " + String.join(", ", DriftSpec.METRICS) + ")");
                continue;
            }
            JsonNode levels = node.get(metric);
            boolean pValue = metric.equals("chi-square-p");
            if (!levels.isArray() || levels.size() != 2 || !levels.get(0).isNumber() || !levels.get(1).isNumber()
                    || (pValue ? levels.get(0).doubleValue() < levels.get(1).doubleValue()
                               : levels.get(0).doubleValue() > levels.get(1).doubleValue())) {
                problems.add(at + "." + metric + ": must be [warning, critical] with the critical level "
                        + (pValue ? "at or below" : "at or above") + " the warning level");
                continue;
            }
            out.put(metric, new DriftSpec.Threshold(levels.get(0).doubleValue(), levels.get(1).doubleValue()));
        }
        return out;
    }

    long positiveInt(JsonNode parent, String field, String at, long fallback) {
        JsonNode node = parent.get(field);
        if (node == null) return fallback;
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 1) {
            problems.add(at + "." + field + ": must be a whole number of at least 1");
            return fallback;
        }
        return node.longValue();
    }

    double[] range(JsonNode node, String at) {
        if (node == null) return null;
        if (!node.isArray() || node.size() != 2 || !node.get(0).isNumber() || !node.get(1).isNumber()
                || node.get(0).doubleValue() > node.get(1).doubleValue()) {
            problems.add(at + ": must be [min, max] with numbers and min <= max");
            return null;
        }
        return new double[] {node.get(0).doubleValue(), node.get(1).doubleValue()};
    }

    List<String> textList(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        if (!node.isArray()) {
            problems.add(at + ": must be a list");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode v : node) {
            if (!v.isValueNode() || v.isNull()) {
                problems.add(at + ": every entry must be a plain value");
                continue;
            }
            if (!seen.add(v.asText())) {
                problems.add(at + ": '" + v.asText() + "' is listed twice");
            }
            out.add(v.asText());
        }
        return out;
    }

    /** A duration field that must be a positive multiple of the model window (windows of windows). */
    Duration windowMultiple(JsonNode parent, String field, String at, Duration fallback, Duration modelWindow) {
        Duration d = duration(parent, field, at, fallback);
        long modelMillis = modelWindow.toMillis();
        if (d.isZero() || d.isNegative() || modelMillis <= 0 || d.toMillis() % modelMillis != 0) {
            problems.add(at + ": must be a positive multiple of the model window (" + DurationText.format(modelWindow) + ")");
        }
        return d;
    }

    Duration duration(JsonNode parent, String field, String at, Duration fallback) {
        JsonNode node = parent.get(field);
        if (node == null) return fallback;
        try {
            return DurationText.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return fallback;
        }
    }

    String requiredText(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            problems.add(where + "." + field + ": is required and must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    void unknownFields(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) return;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                problems.add(where + "." + f + ": unknown field (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }
}
