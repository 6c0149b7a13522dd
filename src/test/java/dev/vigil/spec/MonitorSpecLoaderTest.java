package dev.vigil.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading and validating the YAML monitor spec. */
class MonitorSpecLoaderTest {

    /** Problems of a spec that must not load; fails the test if it loads or fails differently. */
    static List<String> problemsOf(String yaml) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> MonitorSpecLoader.parse(yaml));
        assertThat(e).as("expected the spec to be rejected:%n%s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith("Invalid monitor spec (text):");
        for (String problem : e.problems()) {
            assertThat(e.getMessage()).contains("\n  - " + problem);
        }
        return e.problems();
    }

    /** The single problem of a spec with exactly one mistake. */
    static String problemOf(String yaml) {
        List<String> problems = problemsOf(yaml);
        assertThat(problems).as("exactly one problem").hasSize(1);
        return problems.get(0);
    }

    /** A valid one-model spec; tests replace one line or append lines to make it invalid. */
    static final String VALID = """
            version: 1
            models:
              - name: churn
                task: binary-classification
                segments:
                  - {name: country, max-values: 8}
                features:
                  - {name: tenure, type: numeric, range: [0, 600]}
                  - {name: plan, type: categorical, categories: [free, pro]}
            """;

    @Test
    void theValidBaseSpecLoads() {
        MonitorSpec spec = MonitorSpecLoader.parse(VALID);

        assertThat(spec.models()).extracting(ModelSpec::name).containsExactly("churn");
    }

    @Nested
    @DisplayName("the demo spec")
    class DemoSpec {
        final MonitorSpec spec = MonitorSpecLoader.loadResource("/demo/monitor-spec.yaml");

        @Test
        void declaresTheThreeDemoModelsInOrder() {
            assertThat(spec.models())
                    .extracting(ModelSpec::name, ModelSpec::task)
                    .containsExactly(
                            tuple("fraud-scorer", ModelTask.BINARY_CLASSIFICATION),
                            tuple("ticket-router", ModelTask.MULTICLASS_CLASSIFICATION),
                            tuple("price-estimator", ModelTask.REGRESSION));
        }

        @Test
        void looksModelsUpByName() {
            assertThat(spec.model("fraud-scorer")).isSameAs(spec.models().get(0));
            assertThat(spec.model("not-monitored")).isNull();
        }

        @Test
        void everyModelUsesOneMinuteWindows() {
            assertThat(spec.models()).allSatisfy(m -> {
                assertThat(m.window()).isEqualTo(Duration.ofMinutes(1));
                assertThat(m.windowMillis()).isEqualTo(60_000L);
            });
        }

        @Test
        void latenessComesFromTheDefaultsUnlessTheModelOverridesIt() {
            assertThat(spec.model("fraud-scorer").allowedLateness()).isEqualTo(Duration.ofMinutes(5));
            assertThat(spec.model("ticket-router").allowedLateness()).isEqualTo(Duration.ofMinutes(5));
            assertThat(spec.model("price-estimator").allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        }

        @Test
        void fraudScorerSegmentsMixTopNAndFixedValues() {
            List<SegmentDimension> segments = spec.model("fraud-scorer").segments();

            assertThat(segments).extracting(SegmentDimension::name, SegmentDimension::maxValues, SegmentDimension::hasFixedValues)
                    .containsExactly(
                            tuple("country", 8, false),
                            tuple("channel", 3, true),
                            tuple("device", 5, false));
            assertThat(segments.get(1).values()).containsExactly("web", "app", "pos");
            assertThat(segments.get(0).values()).isEmpty();
        }

        @Test
        void otherModelsSegments() {
            assertThat(spec.model("ticket-router").segments())
                    .extracting(SegmentDimension::name, SegmentDimension::maxValues, SegmentDimension::values)
                    .containsExactly(
                            tuple("country", 8, List.of()),
                            tuple("channel", 3, List.of("email", "chat", "phone")));
            assertThat(spec.model("price-estimator").segments())
                    .extracting(SegmentDimension::name, SegmentDimension::maxValues, SegmentDimension::values)
                    .containsExactly(
                            tuple("region", 4, List.of("north", "south", "east", "west")),
                            tuple("device", 5, List.of()));
        }

        @Test
        void segmentSlotsFollowDeclarationOrder() {
            ModelSpec m = spec.model("fraud-scorer");

            assertThat(m.segmentSlot("country")).isZero();
            assertThat(m.segmentSlot("channel")).isEqualTo(1);
            assertThat(m.segmentSlot("device")).isEqualTo(2);
            assertThat(m.segmentSlot("region")).isNull();
        }

        @Test
        void fraudScorerFeaturesAreSplitIntoNumericAndCategoricalWithRanges() {
            ModelSpec m = spec.model("fraud-scorer");

            assertThat(m.numericFeatures())
                    .extracting(FeatureSpec::name, FeatureSpec::type, FeatureSpec::min, FeatureSpec::max)
                    .containsExactly(
                            tuple("amount", FeatureType.NUMERIC, 0.0, 20000.0),
                            tuple("account_age_days", FeatureType.NUMERIC, 0.0, 20000.0),
                            tuple("txn_count_24h", FeatureType.NUMERIC, 0.0, 500.0),
                            tuple("distance_from_home_km", FeatureType.NUMERIC, 0.0, 20000.0));
            assertThat(m.numericFeatures()).allSatisfy(f -> assertThat(f.hasRange()).isTrue());
            assertThat(m.categoricalFeatures())
                    .extracting(FeatureSpec::name, FeatureSpec::type, FeatureSpec::hasRange)
                    .containsExactly(
                            tuple("merchant_category", FeatureType.CATEGORICAL, false),
                            tuple("card_type", FeatureType.CATEGORICAL, false),
                            tuple("card_present", FeatureType.CATEGORICAL, false));
            assertThat(m.categoricalFeatures().get(0).categories()).containsExactly(
                    "grocery", "travel", "electronics", "fashion", "restaurants", "fuel", "gaming", "pharmacy");
            assertThat(m.categoricalFeatures().get(1).categories()).containsExactly("debit", "credit", "prepaid");
            assertThat(m.categoricalFeatures().get(2).categories()).containsExactly("true", "false");
        }

        @Test
        void featureSlotsAreNonNegativeForNumericAndNegativeForCategorical() {
            ModelSpec m = spec.model("fraud-scorer");

            assertThat(m.featureSlot("amount")).isZero();
            assertThat(m.featureSlot("distance_from_home_km")).isEqualTo(3);
            assertThat(m.featureSlot("merchant_category")).isEqualTo(-1);
            assertThat(m.featureSlot("card_present")).isEqualTo(-3);
            assertThat(m.featureSlot("square_meters")).as("another model's feature").isNull();
            assertThat(m.expectedCategories(2)).containsExactlyInAnyOrder("true", "false");
        }

        @Test
        void priceEstimatorRanges() {
            ModelSpec m = spec.model("price-estimator");

            assertThat(m.numericFeatures())
                    .extracting(FeatureSpec::name, FeatureSpec::min, FeatureSpec::max)
                    .containsExactly(
                            tuple("square_meters", 10.0, 1000.0),
                            tuple("rooms", 1.0, 20.0),
                            tuple("building_age_years", 0.0, 200.0),
                            tuple("distance_to_center_km", 0.0, 100.0));
            assertThat(m.categoricalFeatures()).extracting(FeatureSpec::name)
                    .containsExactly("property_type", "energy_label");
            assertThat(m.numericFeatures().get(0).outOfRange(5)).isTrue();
            assertThat(m.numericFeatures().get(0).outOfRange(10)).isFalse();
            assertThat(m.numericFeatures().get(0).outOfRange(1000)).isFalse();
            assertThat(m.numericFeatures().get(0).outOfRange(1000.5)).isTrue();
        }

        @Test
        void predictions() {
            assertThat(spec.model("fraud-scorer").prediction())
                    .isEqualTo(new PredictionSpec(List.of("fraud", "legit"), 0.0, 1.0, null, null));
            assertThat(spec.model("ticket-router").prediction().labels())
                    .containsExactly("billing", "technical", "account", "fraud_report", "other");
            assertThat(spec.model("price-estimator").prediction())
                    .isEqualTo(new PredictionSpec(List.of(), null, null, 0.0, 5_000_000.0));
        }
    }

    @Nested
    @DisplayName("defaults")
    class Defaults {

        @Test
        void withoutDefaultsAModelGetsOneMinuteWindowsAndFiveMinutesLateness() {
            ModelSpec m = MonitorSpecLoader.parse("models: [{name: m, task: regression}]").model("m");

            assertThat(m.window()).isEqualTo(Duration.ofMinutes(1));
            assertThat(m.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
            assertThat(m.segments()).isEmpty();
            assertThat(m.numericFeatures()).isEmpty();
            assertThat(m.categoricalFeatures()).isEmpty();
            assertThat(m.prediction()).isEqualTo(PredictionSpec.NONE);
        }

        @Test
        void specDefaultsApplyToEveryModelAndAModelMayOverrideThem() {
            MonitorSpec spec = MonitorSpecLoader.parse("""
                    defaults: {window: 5m, allowed-lateness: 1h}
                    models:
                      - {name: a, task: regression}
                      - {name: b, task: ranking, window: 1h, allowed-lateness: 30s}
                    """);

            assertThat(spec.model("a").window()).isEqualTo(Duration.ofMinutes(5));
            assertThat(spec.model("a").allowedLateness()).isEqualTo(Duration.ofHours(1));
            assertThat(spec.model("b").window()).isEqualTo(Duration.ofHours(1));
            assertThat(spec.model("b").allowedLateness()).isEqualTo(Duration.ofSeconds(30));
            assertThat(spec.model("b").task()).isEqualTo(ModelTask.RANKING);
        }

        @Test
        void aSegmentWithoutMaxValuesOrValuesKeepsTwentyValues() {
            ModelSpec m = MonitorSpecLoader.parse("models: [{name: m, task: regression, segments: [{name: country}]}]")
                    .model("m");

            assertThat(m.segments()).containsExactly(new SegmentDimension("country", 20, List.of()));
        }

        @Test
        void fixedValuesDecideTheCardinalityEvenWhenMaxValuesIsGiven() {
            ModelSpec m = MonitorSpecLoader.parse(
                    "models: [{name: m, task: regression, segments: [{name: tier, max-values: 50, values: [a, b]}]}]")
                    .model("m");

            assertThat(m.segments().get(0).maxValues()).isEqualTo(2);
            assertThat(m.segments().get(0).values()).containsExactly("a", "b");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 1000})
        void maxValuesAcceptsTheBounds(int max) {
            ModelSpec m = MonitorSpecLoader.parse(
                    "models: [{name: m, task: regression, segments: [{name: s, max-values: " + max + "}]}]").model("m");

            assertThat(m.segments().get(0).maxValues()).isEqualTo(max);
        }

        @ParameterizedTest
        @ValueSource(strings = {"500ms", "1s", "1m", "5m", "15m", "1h", "1d"})
        void windowsThatDivideADayAreAccepted(String window) {
            ModelSpec m = MonitorSpecLoader.parse("models: [{name: m, task: regression, window: " + window + "}]").model("m");

            assertThat(m.window()).isEqualTo(DurationText.parse(window));
        }

        @Test
        void aFeatureWithoutRangeOrCategoriesExpectsAnyValue() {
            ModelSpec m = MonitorSpecLoader.parse("""
                    models:
                      - name: m
                        task: regression
                        features: [{name: x, type: numeric}, {name: c, type: categorical}]
                    """).model("m");

            assertThat(m.numericFeatures().get(0).hasRange()).isFalse();
            assertThat(m.numericFeatures().get(0).outOfRange(1e300)).isFalse();
            assertThat(m.categoricalFeatures().get(0).categories()).isEmpty();
            assertThat(m.expectedCategories(0)).isEmpty();
        }
    }

    @Nested
    @DisplayName("an invalid spec fails naming the model and the field")
    class InvalidSpecs {

        @Test
        void aModelWithoutAName() {
            assertThat(problemOf("models: [{task: regression}]"))
                    .isEqualTo("models[0].name: is required and must be a non-empty string");
        }

        @Test
        void aModelWithABlankName() {
            assertThat(problemOf("models: [{name: '  ', task: regression}]"))
                    .startsWith("models[0]").contains(".name: is required and must be a non-empty string");
        }

        @Test
        void aModelWithoutATask() {
            assertThat(problemOf("models: [{name: m}]"))
                    .isEqualTo("models[0] (m).task: is required and must be a non-empty string");
        }

        @Test
        void anUnknownTask() {
            assertThat(problemOf(VALID.replace("task: binary-classification", "task: classification")))
                    .isEqualTo("models[0] (churn).task: 'classification' is not one of binary-classification, "
                            + "multiclass-classification, regression, ranking");
        }

        @Test
        void aDuplicateModel() {
            assertThat(problemOf(VALID + "  - {name: churn, task: regression}\n"))
                    .isEqualTo("models[1] (churn).name: model 'churn' is declared twice");
        }

        @Test
        void aDuplicateFeature() {
            assertThat(problemOf(VALID + "      - {name: tenure, type: categorical}\n"))
                    .isEqualTo("models[0] (churn).features[2] (tenure).name: feature 'tenure' is declared twice");
        }

        @Test
        void aFeatureWithoutANameOrType() {
            List<String> problems = problemsOf(VALID + "      - {type: numeric}\n      - {name: z}\n");

            assertThat(problems).containsExactly(
                    "models[0] (churn).features[2].name: is required and must be a non-empty string",
                    "models[0] (churn).features[3] (z).type: is required and must be a non-empty string");
        }

        @Test
        void aBadFeatureType() {
            assertThat(problemOf(VALID.replace("type: numeric", "type: float")))
                    .isEqualTo("models[0] (churn).features[0] (tenure).type: 'float' is not numeric or categorical");
        }

        @Test
        void aRangeWithMinAboveMax() {
            assertThat(problemOf(VALID.replace("range: [0, 600]", "range: [600, 0]")))
                    .isEqualTo("models[0] (churn).features[0] (tenure).range: must be [min, max] with numbers and min <= max");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[0]", "[0, 1, 2]", "[a, b]", "5", "{min: 0, max: 1}"})
        void aRangeThatIsNotTwoNumbers(String range) {
            assertThat(problemOf(VALID.replace("[0, 600]", range)))
                    .isEqualTo("models[0] (churn).features[0] (tenure).range: must be [min, max] with numbers and min <= max");
        }

        @Test
        void aRangeOfOnePointIsAllowed() {
            ModelSpec m = MonitorSpecLoader.parse(VALID.replace("[0, 600]", "[3, 3]")).model("churn");

            assertThat(m.numericFeatures().get(0).min()).isEqualTo(3.0);
            assertThat(m.numericFeatures().get(0).max()).isEqualTo(3.0);
        }

        @Test
        void categoriesOnANumericFeature() {
            assertThat(problemOf(VALID.replace("range: [0, 600]", "categories: [low, high]")))
                    .isEqualTo("models[0] (churn).features[0] (tenure).categories: only categorical features have categories");
        }

        @Test
        void aRangeOnACategoricalFeature() {
            assertThat(problemOf(VALID.replace("categories: [free, pro]", "range: [0, 1]")))
                    .isEqualTo("models[0] (churn).features[1] (plan).range: only numeric features have a range");
        }

        @Test
        void aCategoryListedTwice() {
            assertThat(problemOf(VALID.replace("[free, pro]", "[free, pro, free]")))
                    .isEqualTo("models[0] (churn).features[1] (plan).categories: 'free' is listed twice");
        }

        @Test
        void badDurationTextInAModel() {
            assertThat(problemOf(VALID + "    window: 5 minutes\n"))
                    .isEqualTo("models[0] (churn).window: '5 minutes' is not a duration; use a number and a unit: "
                            + "ms, s, m, h or d (e.g. 5m)");
            assertThat(problemOf(VALID + "    allowed-lateness: soon\n"))
                    .startsWith("models[0] (churn).allowed-lateness: 'soon' is not a duration");
        }

        @Test
        void badDurationTextInTheDefaults() {
            assertThat(problemOf("defaults: {window: 1 minute}\n" + VALID))
                    .startsWith("defaults.window: '1 minute' is not a duration");
            assertThat(problemOf("defaults: {allowed-lateness: 5min}\n" + VALID))
                    .startsWith("defaults.allowed-lateness: '5min' is not a duration");
        }

        @ParameterizedTest
        @ValueSource(strings = {"7m", "13s", "5h", "2d", "7d", "0m", "0s", "1441m"})
        void aWindowThatDoesNotDivideADay(String window) {
            assertThat(problemOf(VALID + "    window: " + window + "\n"))
                    .isEqualTo("models[0] (churn).window: must be positive and divide a day evenly (e.g. 1m, 5m, 1h)");
        }

        @Test
        void aDefaultWindowThatDoesNotDivideADayIsReportedForEveryModelUsingIt() {
            List<String> problems = problemsOf("""
                    defaults: {window: 7m}
                    models:
                      - {name: a, task: regression}
                      - {name: b, task: regression, window: 5m}
                      - {name: c, task: regression}
                    """);

            assertThat(problems).containsExactly(
                    "models[0] (a).window: must be positive and divide a day evenly (e.g. 1m, 5m, 1h)",
                    "models[2] (c).window: must be positive and divide a day evenly (e.g. 1m, 5m, 1h)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "1001", "many", "2.5", "[8]"})
        void maxValuesOutOfBounds(String max) {
            assertThat(problemOf(VALID.replace("max-values: 8", "max-values: " + max)))
                    .isEqualTo("models[0] (churn).segments[0].max-values: must be an integer from 1 to 1000");
        }

        @Test
        void aReservedOrRepeatedSegmentName() {
            assertThat(problemOf(VALID.replace("name: country", "name: all")))
                    .isEqualTo("models[0] (churn).segments[0].name: 'all' is reserved or declared twice");
            assertThat(problemOf(VALID.replace("      - {name: country, max-values: 8}\n",
                    "      - {name: country, max-values: 8}\n      - {name: country}\n")))
                    .isEqualTo("models[0] (churn).segments[1].name: 'country' is reserved or declared twice");
        }

        @Test
        void anUnknownModelFieldLikeATypo() {
            assertThat(problemOf(VALID.replace("    features:", "    featurs:")))
                    .isEqualTo("models[0] (churn).featurs: unknown field (expected one of adoption, allowed-lateness, checks, drift, "
                            + "features, feedback, name, performance, prediction, segments, service, silence, task, traffic, window)");
        }

        @Test
        void unknownFieldsAtEveryLevel() {
            assertThat(problemOf("modles: []\n" + VALID))
                    .isEqualTo("spec.modles: unknown field (expected one of defaults, models, version)");
            assertThat(problemOf(VALID.replace("type: numeric,", "type: numeric, rnage: [0, 1],")))
                    .isEqualTo("models[0] (churn).features[0] (tenure).rnage: unknown field "
                            + "(expected one of categories, name, range, type)");
            assertThat(problemOf(VALID.replace("max-values: 8", "max-value: 8")))
                    .isEqualTo("models[0] (churn).segments[0].max-value: unknown field (expected one of max-values, name, values)");
            assertThat(problemOf(VALID + "    prediction: {label: [a, b]}\n"))
                    .isEqualTo("models[0] (churn).prediction.label: unknown field "
                            + "(expected one of labels, score-range, value-range)");
        }

        /** A typo in the defaults would silently fall back to the built-in default, like a typo anywhere else. */
        @Test
        void anUnknownFieldInTheDefaults() {
            assertThat(problemOf("defaults: {window: 5m, allowed-latenes: 30m}\n" + VALID))
                    .startsWith("defaults.allowed-latenes: unknown field");
        }

        @Test
        void anEmptyModelsList() {
            assertThat(problemOf("version: 1\nmodels: []\n")).isEqualTo("models: at least one model is required");
        }

        @Test
        void noModelsAtAll() {
            assertThat(problemOf("version: 1\n")).isEqualTo("models: at least one model is required");
            assertThat(problemOf("models: churn\n")).isEqualTo("models: at least one model is required");
        }

        @Test
        void anUnsupportedVersion() {
            assertThat(problemOf(VALID.replace("version: 1", "version: 2")))
                    .isEqualTo("version: only version 1 is supported");
        }

        @Test
        void aModelThatIsNotAMapping() {
            assertThat(problemOf("models: [churn]")).isEqualTo("models[0]: must be a mapping");
        }

        @Test
        void segmentsFeaturesAndPredictionOfTheWrongShape() {
            assertThat(problemOf("models: [{name: m, task: regression, segments: country}]"))
                    .isEqualTo("models[0] (m).segments: must be a list");
            assertThat(problemOf("models: [{name: m, task: regression, features: {x: numeric}}]"))
                    .isEqualTo("models[0] (m).features: must be a list");
            assertThat(problemOf("models: [{name: m, task: regression, prediction: [a]}]"))
                    .isEqualTo("models[0] (m).prediction: must be a mapping");
            assertThat(problemOf("models: [{name: m, task: regression, prediction: {score-range: [1, 0]}}]"))
                    .isEqualTo("models[0] (m).prediction.score-range: must be [min, max] with numbers and min <= max");
        }

        @Test
        void textThatIsNotYaml() {
            String problem = problemOf("models: [unclosed\n  - {name: : :");

            assertThat(problem).startsWith("not valid YAML: ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "just some text", "- a\n- b\n", "42"})
        void yamlThatIsNotAMapping(String yaml) {
            assertThat(problemOf(yaml)).isEqualTo("the spec must be a YAML mapping with a 'models' list");
        }

        /** Durations too large to be windows are still spec problems, not arithmetic crashes. */
        @ParameterizedTest
        @ValueSource(strings = {"100000000000000000s", "999999999999999d"})
        void aWindowTooLargeToRepresent(String window) {
            assertThat(problemOf(VALID + "    window: " + window + "\n")).startsWith("models[0] (churn).window: ");
        }
    }

    @Nested
    @DisplayName("several problems")
    class SeveralProblems {

        @Test
        void areReportedTogetherInOneException() {
            String yaml = """
                    version: 1
                    models:
                      - name: fraud
                        task: clasification
                        window: 7m
                        features:
                          - {name: amount, type: numeric, range: [10, 1]}
                          - {name: amount, type: categorical}
                      - name: price
                        task: regression
                        segments:
                          - {name: region, max-values: 0}
                        featurs: []
                    """;

            List<String> problems = problemsOf(yaml);

            assertThat(problems).containsExactly(
                    "models[0] (fraud).task: 'clasification' is not one of binary-classification, "
                            + "multiclass-classification, regression, ranking",
                    "models[0] (fraud).window: must be positive and divide a day evenly (e.g. 1m, 5m, 1h)",
                    "models[0] (fraud).features[0] (amount).range: must be [min, max] with numbers and min <= max",
                    "models[0] (fraud).features[1] (amount).name: feature 'amount' is declared twice",
                    "models[1] (price).featurs: unknown field (expected one of adoption, allowed-lateness, checks, drift, "
                            + "features, feedback, name, performance, prediction, segments, service, silence, task, traffic, window)",
                    "models[1] (price).segments[0].max-values: must be an integer from 1 to 1000");
        }

        @Test
        void theMessageListsEveryProblemOnItsOwnLine() {
            SpecException e = catchThrowableOfType(SpecException.class, () -> MonitorSpecLoader.parse("""
                    models:
                      - {name: a, task: nope}
                      - {task: regression}
                    """));

            assertThat(e.getMessage()).isEqualTo("""
                    Invalid monitor spec (text):
                      - models[0] (a).task: 'nope' is not one of binary-classification, multiclass-classification, regression, ranking
                      - models[1].name: is required and must be a non-empty string""");
            assertThat(e.problems()).hasSize(2);
        }
    }

    @Nested
    @DisplayName("sources")
    class Sources {

        @Test
        void loadsAFile(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("spec.yaml");
            Files.writeString(file, VALID, StandardCharsets.UTF_8);

            assertThat(MonitorSpecLoader.load(file).model("churn")).isNotNull();
        }

        @Test
        void namesTheFileInTheMessage(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("broken.yaml");
            Files.writeString(file, "models: []", StandardCharsets.UTF_8);

            assertThatThrownBy(() -> MonitorSpecLoader.load(file))
                    .isInstanceOf(SpecException.class)
                    .hasMessageStartingWith("Invalid monitor spec " + file + ":")
                    .hasMessageContaining("models: at least one model is required");
        }

        @Test
        void aMissingFileIsASpecException(@TempDir Path dir) {
            Path file = dir.resolve("nope.yaml");

            SpecException e = catchThrowableOfType(SpecException.class, () -> MonitorSpecLoader.load(file));

            assertThat(e).isNotNull();
            assertThat(e.problems()).singleElement().asString().startsWith("cannot read the file: ");
        }

        @Test
        void aMissingResourceIsASpecException() {
            assertThatThrownBy(() -> MonitorSpecLoader.loadResource("/demo/nope.yaml"))
                    .isInstanceOf(SpecException.class)
                    .hasMessage("Invalid monitor spec /demo/nope.yaml:\n  - no such resource on the classpath");
        }
    }
}
