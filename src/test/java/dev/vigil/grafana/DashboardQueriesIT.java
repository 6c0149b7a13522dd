package dev.vigil.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.baseline.BaselineJob;
import dev.vigil.baseline.ReferenceDataFormat;
import dev.vigil.demo.DemoRun;
import dev.vigil.events.DeadLetterReason;
import dev.vigil.generator.GenerationStats;
import dev.vigil.generator.GeneratorConfig;
import dev.vigil.generator.KafkaTrafficWriter;
import dev.vigil.generator.Scenario;
import dev.vigil.generator.TrafficGenerator;
import dev.vigil.grafana.Dashboards.Dashboard;
import dev.vigil.grafana.Dashboards.Panel;
import dev.vigil.grafana.Dashboards.Target;
import dev.vigil.grafana.Dashboards.Variable;
import dev.vigil.grafana.GrafanaSql.Selection;
import dev.vigil.grafana.GrafanaSql.TimeRange;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.VigilJob;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps the Grafana dashboards in deploy/grafana honest: every panel query and every template
 * variable query, with Grafana's macros and variables expanded as Grafana would, runs as the
 * read-only role on a database the real job filled from generated traffic, and returns rows.
 */
class DashboardQueriesIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path GRAFANA = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("deploy/grafana");
    private static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
    private static final String DATASOURCE_UID = "vigil-pg";
    private static final String DATASOURCE_TYPE = "grafana-postgresql-datasource";
    private static final String READER = "vigil_reader";
    /** Grafana's $__interval at short and at longer time ranges (the panels' minimum is 1m). */
    private static final List<Duration> INTERVALS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5));
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "table", "heatmap");
    private static final Set<String> TABLES = Set.of("window_stats", "feature_stats", "dead_letters", "drift_scores", "alerts",
            "traffic_expectations", "usage_stats", "performance_metrics");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{?(\\w+)");

    /** The filled database, made once by the first test that needs it (within a test, where the MiniCluster is the context environment). */
    private record Fixture(TestDatabase db, GenerationStats generated, TimeRange range) {}

    /** A panel query, rendered for concrete variable values. */
    private record Rendered(Dashboard dashboard, Panel panel, Target target, Duration interval, String sql) {
        String where() {
            return "dashboard '" + dashboard.title() + "' (" + dashboard.file().getFileName() + "), panel '" + panel.title()
                    + "', query " + target.refId() + ", $__interval " + GrafanaSql.formatInterval(interval) + ":\n" + sql + "\n";
        }
    }

    private static Fixture fixture;

    /**
     * Incidents inside the generated hour (the demo scenario's start after it), so the drift and
     * alerts dashboards have drift scores that breach and alerts that open, as in the demo.
     */
    private static final Scenario INCIDENTS = Scenario.parse("""
            name: dashboards
            incidents:
              - {id: amount-shift, kind: numeric_shift, model: fraud-scorer, segment: all, feature: amount,
                 start: 15m, duration: 45m, magnitude: 1.5}
              - {id: chat-new-language, kind: new_category, model: ticket-router, segment: channel=chat, feature: language,
                 value: it, start: 10m, duration: 30m, magnitude: 0.3}
            """, "dashboard test scenario");

    /**
     * The demo's drift reference, built as the demo builds it: the same hour of clean traffic one
     * day earlier (another seed, no incidents), profiled by the baseline batch job.
     */
    private static void buildDemoBaseline(MonitorSpec spec, GeneratorConfig clean, JdbcSettings store) throws Exception {
        Path data = Files.createTempFile("vigil-dashboards-reference", ".jsonl");
        data.toFile().deleteOnExit();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(data))) {
            new TrafficGenerator(clean, Scenario.empty()).writeJsonLines(file);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        BaselineJob.define(env, spec, new BaselineJob.Settings(DemoRun.BASELINE, null, "reference", List.of(data.toString()),
                ReferenceDataFormat.Kind.JSONL, store));
        env.execute("grafana dashboard queries IT: baseline");
    }

    /** The same hour one day earlier, clean and without feedback: the drift reference and the traffic history. */
    private static GeneratorConfig dayBefore(GeneratorConfig live) {
        return live.toBuilder().seed(live.seed() + 1).start(live.start().minus(Duration.ofDays(1)))
                .badRecordRate(0).feedback(false).build();
    }

    private static synchronized Fixture fixture() throws Exception {
        if (fixture != null) {
            return fixture;
        }
        Path spec = Files.createTempFile("vigil-demo-monitor-spec", ".yaml");
        spec.toFile().deleteOnExit();
        try (InputStream in = DashboardQueriesIT.class.getResourceAsStream("/demo/monitor-spec.yaml")) {
            Files.copy(in, spec, StandardCopyOption.REPLACE_EXISTING);
        }
        String topic = SharedServices.newTopic("grafana-inference", 2);
        String feedbackTopic = SharedServices.newTopic("grafana-feedback", 2);
        TestDatabase db = SharedServices.newDatabase("grafana");
        JdbcSettings store = TestJobs.migrated(db);

        // One simulated hour of the demo models with feedback, ending an hour ago, with a few bad records and two
        // drift incidents. Its 10-minute traffic buckets are compared with the same buckets of the clean hour a day
        // earlier, which goes to the topic first (the demo spec's traffic min-history is one day). The hour starts
        // on a bucket boundary, so its last bucket is complete and evaluated at the end of the input.
        long bucketSeconds = Duration.ofMinutes(10).toSeconds();
        long twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
        Instant start = Instant.ofEpochSecond(twoHoursAgo - twoHoursAgo % bucketSeconds);
        GeneratorConfig config = GeneratorConfig.builder()
                .seed(11).start(start).duration(Duration.ofHours(1)).badRecordRate(0.002).feedback(true).build();
        GeneratorConfig dayBefore = dayBefore(config);
        MonitorSpec monitorSpec = MonitorSpecLoader.load(spec);
        buildDemoBaseline(monitorSpec, dayBefore, store);
        GenerationStats generated;
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(SharedServices.kafka().bootstrapServers(), topic,
                KafkaTrafficWriter.Options.defaults().feedbackTopic(feedbackTopic))) {
            writer.write(new TrafficGenerator(dayBefore, Scenario.empty()), null);
            generated = writer.write(new TrafficGenerator(config, INCIDENTS), null);
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfig bounded = TestJobs.boundedJob(topic, null, store, spec);
        VigilJob.define(env, new JobConfig(bounded.specFile(), bounded.bootstrapServers(), bounded.inferenceTopic(), feedbackTopic,
                bounded.deadLetterTopic(), bounded.alertsTopic(), bounded.groupId(), bounded.startingOffsets(), bounded.bounded(),
                bounded.watermarks(), bounded.parserLimits(), bounded.database(), bounded.checkpointInterval(), bounded.parallelism())
                .validate(), monitorSpec);
        env.execute("grafana dashboard queries IT");

        // Like a dashboard opened now with a range from half an hour before the generated hour to now (rounded up
        // to the second: the job stamps dead letters with received_at up to the moment it ends). The hour a day
        // earlier is outside it.
        Instant now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        TimeRange range = new TimeRange(start.minus(Duration.ofMinutes(30)), now);
        System.out.printf("[DashboardQueriesIT] %,d events and %,d bad records from %s to %s profiled%n",
                generated.events(), generated.badRecords(), config.start(), config.end());
        try (Connection c = db.dataSource().getConnection()) {
            String since = " >= '" + range.from() + "'";
            System.out.printf("[DashboardQueriesIT] %,d feedback events; in the range: %d traffic buckets (%d compared), "
                            + "%d usage windows, %d performance rows%n", generated.feedbackEvents(),
                    count(c, "SELECT count(*) FROM traffic_expectations WHERE bucket_start" + since),
                    count(c, "SELECT count(expected) FROM traffic_expectations WHERE bucket_start" + since),
                    count(c, "SELECT count(*) FROM usage_stats WHERE window_start" + since),
                    count(c, "SELECT count(*) FROM performance_metrics WHERE window_start" + since));
        }
        fixture = new Fixture(db, generated, range);
        return fixture;
    }

    @Test
    void provisioningFilesParseAndReferToTheDashboardsAndTheReadOnlyRole() throws Exception {
        Path datasourceFile = GRAFANA.resolve("provisioning/datasources/vigil.yaml");
        JsonNode datasources = YAML.readTree(datasourceFile.toFile());
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(datasources.path("datasources")).hasSize(1);
        JsonNode ds = datasources.path("datasources").get(0);
        assertThat(ds.path("uid").asText()).isEqualTo(DATASOURCE_UID);
        assertThat(ds.path("type").asText()).isEqualTo(DATASOURCE_TYPE);
        assertThat(ds.path("user").asText()).isEqualTo(READER);
        assertThat(ds.path("url").asText()).isEqualTo("$VIGIL_PG_HOST");
        assertThat(ds.path("jsonData").path("database").asText()).isEqualTo("$VIGIL_PG_DB");
        assertThat(ds.path("secureJsonData").path("password").asText()).isEqualTo("$VIGIL_READER_PASSWORD");
        assertThat(ds.has("password") || ds.has("basicAuthPassword") || ds.path("jsonData").has("password"))
                .as("no password outside secureJsonData").isFalse();
        // Every value Grafana interpolates ($NAME or ${NAME}) is one of the three documented variables.
        Set<String> used = new TreeSet<>();
        collectEnvReferences(datasources, used);
        assertThat(used).containsExactlyInAnyOrder("VIGIL_PG_HOST", "VIGIL_PG_DB", "VIGIL_READER_PASSWORD");

        JsonNode providers = YAML.readTree(GRAFANA.resolve("provisioning/dashboards/vigil.yaml").toFile());
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(providers.path("providers")).hasSize(1);
        JsonNode provider = providers.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("folder").asText()).isEqualTo("Vigil");
        String path = provider.path("options").path("path").asText();
        assertThat(path).startsWith("/");
        Path docs = GRAFANA.getParent().getParent().resolve("docs/grafana.md");
        assertThat(Files.readString(docs, StandardCharsets.UTF_8)).as("docs/grafana.md shows the mount of the dashboards")
                .contains(path);

        List<Dashboard> dashboards = Dashboards.load(DASHBOARDS);
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(4);
        SoftAssertions soft = new SoftAssertions();
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Dashboard d : dashboards) {
            String at = d.file().getFileName().toString();
            soft.assertThat(uids.add(d.uid())).as(at + ": unique uid " + d.uid()).isTrue();
            soft.assertThat(titles.add(d.title())).as(at + ": unique title " + d.title()).isTrue();
            soft.assertThat(d.json().path("schemaVersion").asInt()).as(at + " schemaVersion").isBetween(36, 41);
            soft.assertThat(d.json().has("id") && !d.json().get("id").isNull()).as(at + ": no instance id in a provisioned file").isFalse();
            soft.assertThat(d.panels()).as(at + " panels").isNotEmpty();
            for (Panel p : d.panels()) {
                String pat = at + ", panel '" + p.title() + "'";
                soft.assertThat(p.type()).as(pat + " type").isIn(PANEL_TYPES);
                soft.assertThat(p.datasource()).as(pat + " datasource").isNotNull();
                if (p.datasource() != null) {
                    soft.assertThat(p.datasource().path("uid").asText()).as(pat + " datasource uid").isEqualTo(DATASOURCE_UID);
                    soft.assertThat(p.datasource().path("type").asText()).as(pat + " datasource type").isEqualTo(DATASOURCE_TYPE);
                }
                soft.assertThat(p.targets()).as(pat + " targets").isNotEmpty();
                String expectedFormat = p.type().equals("timeseries") || p.type().equals("heatmap") ? "time_series" : "table";
                for (Target t : p.targets()) {
                    soft.assertThat(t.rawSql()).as(pat + " " + t.refId() + " rawSql").isNotBlank();
                    soft.assertThat(t.format()).as(pat + " " + t.refId() + " format").isEqualTo(expectedFormat);
                    if (t.datasource() != null) {
                        soft.assertThat(t.datasource().path("uid").asText()).as(pat + " " + t.refId() + " datasource uid").isEqualTo(DATASOURCE_UID);
                    }
                }
            }
            for (Variable v : d.variables()) {
                String vat = at + ", variable " + v.name();
                soft.assertThat(v.type()).as(vat + " type").isIn("query", "custom");
                if (v.type().equals("query")) {
                    soft.assertThat(v.datasource()).as(vat + " datasource").isNotNull();
                    if (v.datasource() != null) {
                        soft.assertThat(v.datasource().path("uid").asText()).as(vat + " datasource uid").isEqualTo(DATASOURCE_UID);
                    }
                }
                if (v.name().equals("reason")) {
                    soft.assertThat(Arrays.asList(v.query().split(","))).as(vat + ": the job's dead-letter reasons")
                            .containsExactlyInAnyOrderElementsOf(Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::code).toList());
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void everyVariableQueryReturnsValuesForEveryModel() throws Exception {
        Fixture f = fixture();
        SoftAssertions soft = new SoftAssertions();
        int runs = 0;
        try (Connection reader = readerConnection(f.db())) {
            for (Dashboard d : Dashboards.load(DASHBOARDS)) {
                List<String> models = modelChoices(reader, d, f.range());
                for (String model : models) {
                    try {
                        Map<String, Selection> vars = resolveVariables(reader, d, model, f.range(), INTERVALS.get(0));
                        runs += d.variables().size();
                        if (vars.containsKey("segment")) {
                            soft.assertThat(vars.get("segment").values()).as(d.title() + " segment for " + model).containsExactly("all");
                        }
                    } catch (AssertionError | SQLException e) {
                        soft.fail(d.title() + ", model " + model + ": " + e.getMessage());
                    }
                }
            }
        }
        soft.assertAll();
        System.out.printf("[DashboardQueriesIT] %d variable queries resolved%n", runs);
    }

    @Test
    void everyPanelQueryRunsAsTheReaderAndReturnsRows() throws Exception {
        Fixture f = fixture();
        long t0 = System.nanoTime();
        SoftAssertions soft = new SoftAssertions();
        int dashboards = 0;
        int panels = 0;
        int queries = 0;
        int executions = 0;
        try (Connection reader = readerConnection(f.db())) {
            for (Dashboard d : Dashboards.load(DASHBOARDS)) {
                dashboards++;
                panels += d.panels().size();
                queries += d.targets().size();
                // The dashboard as it opens (default selections): every query must return rows.
                for (Duration interval : INTERVALS) {
                    for (Rendered r : render(reader, d, null, f.range(), interval)) {
                        executions++;
                        check(soft, reader, r, true);
                    }
                }
                // Every other model: every query must run; rows are not required (a regression model has no labels).
                for (String model : modelChoices(reader, d, f.range())) {
                    for (Rendered r : render(reader, d, model, f.range(), INTERVALS.get(0))) {
                        executions++;
                        check(soft, reader, r, false);
                    }
                }
            }
            // The headline numbers match what was generated.
            Dashboard overview = Dashboards.read(DASHBOARDS.resolve("vigil-overview.json"));
            soft.assertThat(singleNumber(reader, overview, "Events", f.range())).as("overview 'Events' (all models, segment all)")
                    .isEqualTo(f.generated().events());
            Dashboard deadLetters = Dashboards.read(DASHBOARDS.resolve("vigil-dead-letters.json"));
            long stored = count(reader, "SELECT count(*) FROM dead_letters");
            soft.assertThat(stored).as("dead letters stored by the job").isEqualTo(f.generated().badRecords());
            soft.assertThat(singleNumber(reader, deadLetters, "Dead letters", f.range())).as("dead letters dashboard 'Dead letters'")
                    .isEqualTo(stored);

            // The injected incidents show on the drift and alerts dashboards. (The hour a day earlier has rows too,
            // outside the time range.)
            String inRange = inRange(f.range());
            Dashboard drift = Dashboards.read(DASHBOARDS.resolve("vigil-drift.json"));
            soft.assertThat(singleNumber(reader, drift, "Evaluations", f.range())).as("drift dashboard 'Evaluations' (fraud-scorer, all)")
                    .isEqualTo(count(reader, "SELECT count(*) FROM drift_scores WHERE model = 'fraud-scorer' AND segment = 'all'"
                            + " AND evaluated_at" + inRange))
                    .isPositive();
            soft.assertThat(singleNumber(reader, drift, "Breaching evaluations", f.range())).as("drift dashboard 'Breaching evaluations'")
                    .isEqualTo(count(reader, "SELECT count(*) FROM drift_scores WHERE model = 'fraud-scorer' AND segment = 'all'"
                            + " AND breached IS NOT NULL AND evaluated_at" + inRange))
                    .isPositive();
            Dashboard alerts = Dashboards.read(DASHBOARDS.resolve("vigil-alerts.json"));
            soft.assertThat(singleNumber(reader, alerts, "Open alerts", f.range())).as("alerts dashboard 'Open alerts'")
                    .isEqualTo(count(reader, "SELECT count(*) FROM alerts WHERE status = 'open'"));
            soft.assertThat(singleNumber(reader, alerts, "Fired in the time range", f.range())).as("alerts dashboard 'Fired'")
                    .isEqualTo(count(reader, "SELECT count(*) FROM alerts WHERE fired_at" + inRange));
            List<String> driftAlerts = new ArrayList<>();
            try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT DISTINCT model || ' ' || segment || ' ' || feature FROM alerts WHERE kind = 'drift' AND status = 'open'")) {
                while (rs.next()) {
                    driftAlerts.add(rs.getString(1));
                }
            }
            soft.assertThat(driftAlerts).as("open drift alerts").contains("fraud-scorer all amount", "ticket-router channel=chat language");

            // Traffic, usage and performance of the default model (fraud-scorer, segment all) match what was generated:
            // every event in a traffic bucket, every prediction joined (sample-rate 1) and every user action counted.
            Dashboard traffic = Dashboards.read(DASHBOARDS.resolve("vigil-traffic.json"));
            soft.assertThat(singleNumber(reader, traffic, "Events", f.range())).as("traffic dashboard 'Events'")
                    .isEqualTo(f.generated().events("fraud-scorer"));
            soft.assertThat(singleNumber(reader, traffic, "Buckets compared", f.range())).as("traffic dashboard 'Buckets compared'")
                    .isEqualTo(count(reader, "SELECT count(*) FROM traffic_expectations WHERE model = 'fraud-scorer'"
                            + " AND segment = 'all' AND expected IS NOT NULL AND bucket_start" + inRange))
                    .isPositive();
            Dashboard usage = Dashboards.read(DASHBOARDS.resolve("vigil-usage.json"));
            soft.assertThat(singleNumber(reader, usage, "Feedback", f.range())).as("usage dashboard 'Feedback'")
                    .isEqualTo(f.generated().actions("fraud-scorer"));
            soft.assertThat(singleNumber(reader, usage, "Predictions", f.range())).as("usage dashboard 'Predictions'")
                    .isEqualTo(count(reader, "SELECT sum(predictions) FROM usage_stats WHERE model = 'fraud-scorer'"
                            + " AND segment = 'all' AND window_start" + inRange));
            Dashboard performance = Dashboards.read(DASHBOARDS.resolve("vigil-performance.json"));
            soft.assertThat(singleNumber(reader, performance, "Labels", f.range())).as("performance dashboard 'Labels'")
                    .isEqualTo(count(reader, "SELECT sum(labels) FROM performance_metrics WHERE model = 'fraud-scorer'"
                            + " AND segment = 'all' AND metric = 'label_coverage' AND window_start" + inRange))
                    .isPositive();
        }
        soft.assertAll();
        System.out.printf("[DashboardQueriesIT] %d dashboards, %d panels, %d queries: %d executions as %s in %d ms%n",
                dashboards, panels, queries, executions, READER, (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void theReaderRoleMaySelectFromEveryTableTheQueriesRead() throws Exception {
        Fixture f = fixture();
        SoftAssertions soft = new SoftAssertions();
        Set<String> read = new TreeSet<>();
        try (Connection reader = readerConnection(f.db()); Connection owner = f.db().dataSource().getConnection()) {
            for (Dashboard d : Dashboards.load(DASHBOARDS)) {
                Map<String, String> sql = new LinkedHashMap<>(); // where -> expanded SQL
                render(reader, d, null, f.range(), INTERVALS.get(0)).forEach(r -> sql.put(r.where(), r.sql()));
                Map<String, Selection> vars = resolveVariables(reader, d, null, f.range(), INTERVALS.get(0));
                for (Variable v : d.variables()) {
                    if (v.type().equals("query")) {
                        String q = GrafanaSql.render(v.query(), vars, f.range(), INTERVALS.get(0));
                        sql.put("dashboard '" + d.title() + "', variable " + v.name() + ":\n" + q + "\n", q);
                    }
                }
                sql.forEach((where, q) -> {
                    try {
                        Set<String> tables = relations(owner, q);
                        soft.assertThat(tables).as("tables read by " + where).isNotEmpty();
                        read.addAll(tables);
                    } catch (SQLException e) {
                        soft.fail("EXPLAIN failed (" + e.getMessage() + ") for " + where);
                    }
                });
            }
            for (String table : read) {
                try (PreparedStatement ps = owner.prepareStatement("SELECT has_table_privilege(?, ?, 'SELECT')")) {
                    ps.setString(1, READER);
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        soft.assertThat(rs.getBoolean(1)).as(READER + " has SELECT on " + table).isTrue();
                    }
                }
            }
        }
        soft.assertThat(read).as("tables the dashboards read").containsExactlyInAnyOrderElementsOf(
                TABLES.stream().map(t -> "public." + t).toList());
        soft.assertAll();
    }

    // ---------------------------------------------------------------------------------------

    private static Connection readerConnection(TestDatabase db) throws SQLException {
        Connection c = db.dataSource().getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET ROLE " + READER);
            s.execute("SET statement_timeout = '60s'");
        }
        c.setReadOnly(true);
        return c;
    }

    /** The values of the dashboard's model variable (empty if it has none). */
    private static List<String> modelChoices(Connection reader, Dashboard d, TimeRange range) throws SQLException {
        for (Variable v : d.variables()) {
            if (v.name().equals("model")) {
                return variableValues(reader, v, Map.of(), range, INTERVALS.get(0));
            }
        }
        return List.of();
    }

    /**
     * Resolves the variables in order, as Grafana does: each query runs with the values chosen
     * before it. A saved selection is used ("All" = every value; a saved value must be among the
     * query's values); without one, the first value. {@code model} (if not null) overrides the
     * model variable's selection.
     */
    private static Map<String, Selection> resolveVariables(Connection reader, Dashboard d, String model, TimeRange range,
                                                           Duration interval) throws SQLException {
        Map<String, Selection> vars = new LinkedHashMap<>();
        for (Variable v : d.variables()) {
            List<String> values = v.type().equals("custom")
                    ? Arrays.stream(v.query().split(",")).map(String::trim).toList()
                    : variableValues(reader, v, vars, range, interval);
            boolean multiOrAll = v.multi() || v.includeAll();
            assertThat(values).as(d.title() + ": variable " + v.name() + " has no values; query:\n"
                    + GrafanaSql.render(v.query(), vars, range, interval)).isNotEmpty();
            List<String> chosen;
            if (v.name().equals("model") && model != null) {
                assertThat(values).as(d.title() + ": model variable values").contains(model);
                chosen = List.of(model);
            } else if (v.allSelected()) {
                assertThat(v.includeAll()).as(d.title() + ": variable " + v.name() + " selects All without includeAll").isTrue();
                chosen = values;
            } else if (!v.current().isEmpty()) {
                assertThat(values).as(d.title() + ": saved selection of variable " + v.name() + " for model " + model)
                        .containsAll(v.current());
                chosen = v.current();
            } else {
                chosen = List.of(values.get(0));
            }
            vars.put(v.name(), new Selection(chosen, multiOrAll));
        }
        return vars;
    }

    private static List<String> variableValues(Connection reader, Variable v, Map<String, Selection> vars, TimeRange range,
                                               Duration interval) throws SQLException {
        String sql = GrafanaSql.render(v.query(), vars, range, interval);
        List<String> values = new ArrayList<>();
        try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (!values.contains(rs.getString(1))) {
                    values.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new SQLException("variable " + v.name() + " failed: " + e.getMessage() + "\n" + sql, e);
        }
        if (v.sort() == 1) {
            values.sort(null);
        }
        return values;
    }

    private static List<Rendered> render(Connection reader, Dashboard d, String model, TimeRange range, Duration interval)
            throws SQLException {
        Map<String, Selection> vars = resolveVariables(reader, d, model, range, interval);
        List<Rendered> out = new ArrayList<>();
        for (Panel p : d.panels()) {
            for (Target t : p.targets()) {
                try {
                    out.add(new Rendered(d, p, t, interval, GrafanaSql.render(t.rawSql(), vars, range, interval)));
                } catch (IllegalArgumentException e) {
                    throw new AssertionError("dashboard '" + d.title() + "', panel '" + p.title() + "', query " + t.refId()
                            + " cannot be expanded: " + e.getMessage() + "\n" + t.rawSql(), e);
                }
            }
        }
        return out;
    }

    private static void check(SoftAssertions soft, Connection reader, Rendered r, boolean rowsRequired) {
        List<Object[]> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery(r.sql())) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
                types.add(md.getColumnType(i));
            }
            while (rs.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            soft.fail("query failed (" + e.getMessage() + ") in " + r.where());
            return;
        }
        if (rowsRequired) {
            soft.assertThat(rows).as("rows of " + r.where()).isNotEmpty();
        }
        if (r.target().format().equals("time_series") && !rows.isEmpty()) {
            int time = columns.indexOf("time");
            soft.assertThat(time).as("a column named time in " + r.where()).isNotNegative();
            boolean numericValue = false;
            for (int i = 0; i < columns.size(); i++) {
                if (i != time && isNumeric(types.get(i))) {
                    numericValue = true;
                }
            }
            soft.assertThat(numericValue).as("a numeric value column in " + r.where()).isTrue();
            if (time >= 0) {
                double previous = Double.NEGATIVE_INFINITY;
                for (Object[] row : rows) {
                    double t = epochSeconds(row[time]);
                    if (t < previous) {
                        soft.fail("time must ascend (Grafana's long-to-wide conversion needs it) in " + r.where());
                        break;
                    }
                    previous = t;
                }
            }
        }
    }

    /** The value of a one-field stat panel at its default selections. */
    private static long singleNumber(Connection reader, Dashboard d, String panelTitle, TimeRange range) throws SQLException {
        for (Rendered r : render(reader, d, null, range, INTERVALS.get(0))) {
            if (r.panel().title().equals(panelTitle)) {
                try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery(r.sql())) {
                    assertThat(rs.next()).as(r.where()).isTrue();
                    return rs.getLong(1);
                }
            }
        }
        throw new AssertionError("no panel '" + panelTitle + "' in " + d.title());
    }

    /** {@code BETWEEN} the range's ends, as {@code $__timeFilter} renders it. */
    private static String inRange(TimeRange range) {
        return " BETWEEN '" + range.from() + "' AND '" + range.to() + "'";
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The tables a query reads, from its plan (schema-qualified). */
    private static Set<String> relations(Connection owner, String sql) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement s = owner.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (VERBOSE, FORMAT JSON) " + sql)) {
            rs.next();
            collectRelations(new ObjectMapper().readTree(rs.getString(1)), out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void collectRelations(JsonNode node, Set<String> out) {
        if (node.isObject() && node.has("Relation Name")) {
            out.add(node.path("Schema").asText("public") + "." + node.get("Relation Name").asText());
        }
        node.forEach(child -> collectRelations(child, out));
    }

    private static void collectEnvReferences(JsonNode node, Set<String> out) {
        if (node.isTextual()) {
            Matcher m = ENV_REFERENCE.matcher(node.asText());
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        node.forEach(child -> collectEnvReferences(child, out));
    }

    private static boolean isNumeric(int type) {
        return switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC,
                 Types.DECIMAL -> true;
            default -> false;
        };
    }

    private static double epochSeconds(Object v) {
        if (v instanceof Number n) {
            return n instanceof BigDecimal b ? b.doubleValue() : n.doubleValue();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toEpochSecond();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.getTime() / 1000.0;
        }
        throw new IllegalArgumentException("not a time: " + v + (v == null ? "" : " (" + v.getClass().getName() + ")"));
    }
}
