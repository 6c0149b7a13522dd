package dev.vigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.demo.DemoRun;
import dev.vigil.demo.DemoSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays an incident scenario through the whole demo (embedded Kafka and PostgreSQL, the Vigil
 * job on a local Flink cluster) once per seed and aggregates, per incident kind, how many injected
 * incidents were detected and how late, plus the alerts that matched no incident (false alarms)
 * per model and simulated day (the clean history counts: an alert there is a false alarm too).
 */
public final class DetectionBench {

    /**
     * What to replay: one demo run per seed, each with {@code history} of clean traffic before the
     * scenario's {@code duration}. {@code scenario} null means the demo scenario.
     */
    public record Options(List<Long> seeds, Duration duration, Duration wallTime, Path scenario, Path workRoot,
                          Duration history) {}

    /** One incident kind's figures over all runs. */
    public record KindResult(String kind, int runs, int injected, int detected, Double medianDelaySeconds,
                             List<Long> delaysSeconds) {
        public double detectionRate() {
            return injected == 0 ? 0 : (double) detected / injected;
        }
    }

    /** One run's raw outcome. */
    public record RunResult(long seed, long wallMillis, int models, List<Map<String, Object>> incidents,
                            List<Map<String, Object>> unmatchedAlerts) {}

    /** The aggregate. */
    public record Report(MachineInfo machine, Options options, List<RunResult> runs, List<KindResult> kinds,
                         int unmatchedAlerts, double modelDays) {
        public double falseAlarmsPerModelDay() {
            return modelDays == 0 ? 0 : unmatchedAlerts / modelDays;
        }
    }

    private final Options options;

    public DetectionBench(Options options) {
        if (options.seeds().isEmpty()) throw new IllegalArgumentException("no seeds");
        this.options = options;
    }

    /** Runs every seed in turn, printing a line per run to {@code progress}. */
    public Report run(PrintStream progress) throws Exception {
        List<RunResult> runs = new ArrayList<>();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (long seed : options.seeds()) {
            Path work = Files.createDirectories(options.workRoot().resolve("seed-" + seed));
            progress.printf(Locale.ROOT, "run seed %d (%s of history, then %s simulated in about %s, work %s) ...%n",
                    seed, human(options.history()), human(options.duration()), human(options.wallTime()), work);
            long t0 = System.nanoTime();
            DemoRun.Result result = new DemoRun(new DemoRun.Options(options.duration(), options.wallTime(), seed,
                    options.scenario(), 0.0005, false, null, 0, 2, work, options.history()), quiet).run();
            long wall = (System.nanoTime() - t0) / 1_000_000;
            DemoSummary s = result.summary();
            RunResult r = new RunResult(seed, wall, result.generated().eventsByModel().size(), s.incidents(), s.unmatchedAlerts());
            long detected = r.incidents().stream().filter(i -> i.get("detected_at") != null).count();
            progress.printf(Locale.ROOT, "  seed %d done in %.0f s: %d/%d incidents detected, %d unmatched alerts%n",
                    seed, wall / 1000.0, detected, r.incidents().size(), r.unmatchedAlerts().size());
            runs.add(r);
        }
        return aggregate(runs);
    }

    Report aggregate(List<RunResult> runs) {
        Map<String, List<Map<String, Object>>> byKind = new TreeMap<>();
        Map<String, java.util.Set<Long>> runsByKind = new TreeMap<>();
        int unmatched = 0;
        double modelDays = 0;
        double days = options.duration().plus(options.history()).toMillis() / (double) Duration.ofDays(1).toMillis();
        for (RunResult r : runs) {
            for (Map<String, Object> i : r.incidents()) {
                String kind = (String) i.get("kind");
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(i);
                runsByKind.computeIfAbsent(kind, k -> new java.util.HashSet<>()).add(r.seed());
            }
            unmatched += r.unmatchedAlerts().size();
            modelDays += r.models() * days;
        }
        List<KindResult> kinds = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : byKind.entrySet()) {
            List<Long> delays = new ArrayList<>();
            for (Map<String, Object> i : e.getValue()) {
                Object d = i.get("delay_seconds");
                if (i.get("detected_at") != null && d instanceof Number n) delays.add(n.longValue());
            }
            delays.sort(null);
            kinds.add(new KindResult(e.getKey(), runsByKind.get(e.getKey()).size(), e.getValue().size(), delays.size(),
                    median(delays), delays));
        }
        return new Report(MachineInfo.current(), options, runs, kinds, unmatched, modelDays);
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    static Double median(List<Long> sorted) {
        if (sorted.isEmpty()) return null;
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** The per-kind table, the false-alarm line and the machine. */
    public static String table(Report report) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-20s %5s %10s %15s %18s%n", "incident kind", "runs", "detected", "detection rate", "median delay (s)"));
        for (KindResult k : report.kinds()) {
            b.append(String.format(Locale.ROOT, "%-20s %5d %10s %14.0f%% %18s%n", k.kind(), k.runs(),
                    k.detected() + "/" + k.injected(), 100 * k.detectionRate(),
                    k.medianDelaySeconds() == null ? "-" : String.format(Locale.ROOT, "%.0f", k.medianDelaySeconds())));
        }
        b.append(String.format(Locale.ROOT, "false alarms: %d unmatched alerts over %.2f model-days = %.2f per model-day%n",
                report.unmatchedAlerts(), report.modelDays(), report.falseAlarmsPerModelDay()));
        Map<String, Integer> sources = falseAlarmSources(report);
        for (Map.Entry<String, Integer> e : sources.entrySet()) {
            b.append(String.format(Locale.ROOT, "  %3d x %s%n", e.getValue(), e.getKey()));
        }
        b.append("machine: ").append(report.machine().describe()).append(System.lineSeparator());
        return b.toString();
    }

    /** Unmatched alerts counted by model, segment, feature and alert kind. */
    static Map<String, Integer> falseAlarmSources(Report report) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RunResult r : report.runs()) {
            for (Map<String, Object> a : r.unmatchedAlerts()) {
                counts.merge(a.get("model") + " " + a.get("segment") + " " + a.get("feature") + " " + a.get("kind"), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Writes the same figures as JSON, with every run's incidents and unmatched alerts. */
    public static void writeJson(Report report, Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", report.machine().cores());
        machine.put("cpu", report.machine().cpuModel());
        machine.put("jvm", report.machine().jvm());
        machine.put("max_heap_bytes", report.machine().maxHeapBytes());
        machine.put("flink", report.machine().flink());
        machine.put("os", report.machine().os());
        json.put("machine", machine);
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("seeds", report.options().seeds());
        opts.put("duration_seconds", report.options().duration().toSeconds());
        opts.put("wall_time_seconds", report.options().wallTime().toSeconds());
        opts.put("history_seconds", report.options().history().toSeconds());
        opts.put("scenario", report.options().scenario() == null ? "demo" : report.options().scenario().toString());
        json.put("options", opts);
        List<Map<String, Object>> kinds = new ArrayList<>();
        for (KindResult k : report.kinds()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", k.kind());
            row.put("runs", k.runs());
            row.put("injected", k.injected());
            row.put("detected", k.detected());
            row.put("detection_rate", k.detectionRate());
            row.put("median_delay_seconds", k.medianDelaySeconds());
            row.put("delays_seconds", k.delaysSeconds());
            kinds.add(row);
        }
        json.put("kinds", kinds);
        Map<String, Object> fa = new LinkedHashMap<>();
        fa.put("unmatched_alerts", report.unmatchedAlerts());
        fa.put("model_days", report.modelDays());
        fa.put("per_model_day", report.falseAlarmsPerModelDay());
        fa.put("by_source", falseAlarmSources(report));
        json.put("false_alarms", fa);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunResult r : report.runs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seed", r.seed());
            row.put("wall_seconds", r.wallMillis() / 1000.0);
            row.put("models", r.models());
            row.put("incidents", r.incidents());
            row.put("unmatched_alerts", r.unmatchedAlerts());
            runs.add(row);
        }
        json.put("runs", runs);
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
