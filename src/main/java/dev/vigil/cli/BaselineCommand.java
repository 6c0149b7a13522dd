package dev.vigil.cli;

import dev.vigil.baseline.BaselineJob;
import dev.vigil.baseline.ReferenceDataFormat;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Builds a named reference profile from training or validation data. */
@Command(name = "baseline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a reference profile (baseline) for drift detection from training or validation data:",
                "JSON lines (inference events; model, version, timestamp, request id and status optional) or CSV",
                "(a header naming features, segment dimensions and score/label/value), files or directories.",
                "Runs a bounded Flink job in batch mode and stores the profiles in reference_profiles."})
public final class BaselineCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, description = "Monitor spec (YAML): which features and segments to profile.")
    Path spec;

    @Option(names = "--name", required = true, description = "The baseline's name, as the spec's drift.reference.baseline names it.")
    String name;

    @Option(names = "--model", description = "The model of rows that do not name one.")
    String model;

    @Option(names = "--model-version", defaultValue = "reference", description = "The version of rows that do not name one (default ${DEFAULT-VALUE}).")
    String modelVersion;

    @Option(names = "--format", description = "jsonl or csv; default: from the first input's file name.")
    String format;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files or directories of training data.")
    List<String> inputs;

    @Mixin DatabaseOptions database;

    @Option(names = "--parallelism", description = "Job parallelism; default: Flink's.")
    Integer parallelism;

    @Override
    public Integer call() throws Exception {
        MonitorSpec monitorSpec = MonitorSpecLoader.load(spec);
        if (model != null && monitorSpec.model(model) == null) {
            throw new IllegalArgumentException("--model: '" + model + "' is not in the monitor spec " + spec);
        }
        JdbcSettings db = database.settings();
        if (db.url() == null) throw new IllegalArgumentException("--jdbc-url (or VIGIL_JDBC_URL) is required");
        ReferenceDataFormat.Kind kind = format(format, inputs.get(0));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (parallelism != null) env.setParallelism(parallelism);
        BaselineJob.define(env, monitorSpec, new BaselineJob.Settings(name, model, modelVersion, inputs, kind, db));
        env.execute("vigil baseline " + name);
        report(db);
        return 0;
    }

    static ReferenceDataFormat.Kind format(String flag, String firstInput) throws Exception {
        String text = flag;
        if (text == null) {
            Path p = Path.of(firstInput);
            if (Files.isDirectory(p)) {
                try (var files = Files.list(p)) {
                    p = files.filter(Files::isRegularFile).sorted().findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("INPUT: " + firstInput + " has no files"));
                }
            }
            String file = p.getFileName().toString().toLowerCase(Locale.ROOT);
            text = file.endsWith(".csv") ? "csv" : file.endsWith(".jsonl") || file.endsWith(".json") || file.endsWith(".ndjson") ? "jsonl" : null;
            if (text == null) throw new IllegalArgumentException("--format: cannot tell the format of " + p + "; say jsonl or csv");
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "jsonl" -> ReferenceDataFormat.Kind.JSONL;
            case "csv" -> ReferenceDataFormat.Kind.CSV;
            default -> throw new IllegalArgumentException("--format: '" + text + "' is not jsonl or csv");
        };
    }

    private void report(JdbcSettings db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement ps = c.prepareStatement("SELECT model, model_version, count(*), "
                     + "sum(rows_profiled) FILTER (WHERE segment = 'all') FROM reference_profiles WHERE name = ? GROUP BY 1, 2 ORDER BY 1, 2")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                System.out.println("Baseline '" + name + "':");
                while (rs.next()) {
                    System.out.printf("  %s %s: %,d rows profiled, %d segments%n", rs.getString(1), rs.getString(2), rs.getLong(4), rs.getLong(3));
                }
            }
        }
    }
}
