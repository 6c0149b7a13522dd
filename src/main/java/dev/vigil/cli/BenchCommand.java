package dev.vigil.cli;

import dev.vigil.bench.BenchReport;
import dev.vigil.bench.MachineInfo;
import dev.vigil.bench.MicroBench;
import dev.vigil.bench.PayloadPool;
import dev.vigil.bench.PipelineBench;
import dev.vigil.bench.TimestampFormat;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures events per second through the job's per-event path: parse, dead-letter routing, the
 * local profile fold and the keyed window merge, on a local Flink cluster in this JVM, at each
 * requested parallelism; plus single-thread figures without Flink that show where the time goes.
 * See docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measure events/s through the job's per-event path (parse + profile + window merge) on a local Flink "
                    + "cluster, at each parallelism, plus single-thread parse and profile figures without Flink.",
            "Payloads are generated before measuring and replayed through the production parser and pipeline; "
                    + "results are discarded. See docs/benchmarks.md."
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec CommandSpec commandSpec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "4000000",
            description = "Events per measured job (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--parallelism", paramLabel = "P", split = ",", defaultValue = "1,2",
            description = "Parallelisms to measure, comma-separated (default ${DEFAULT-VALUE}).")
    List<Integer> parallelism;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Measured jobs per parallelism (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--warmup-events", paramLabel = "N", defaultValue = "1000000",
            description = "Events of an unmeasured job run first, at the highest parallelism, to warm up the JIT; 0 skips it (default ${DEFAULT-VALUE}).")
    long warmupEvents;

    @Option(names = "--micro-events", paramLabel = "N", defaultValue = "200000",
            description = "Events per round of the single-thread figures (1 warm-up + 3 measured rounds each); 0 skips them (default ${DEFAULT-VALUE}).")
    int microEvents;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "200000",
            description = "Distinct payloads generated and replayed in a cycle (default ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--hot-share", paramLabel = "SHARE", defaultValue = "0.9",
            description = "Share of the traffic of the spec's first model; the others share the rest (default ${DEFAULT-VALUE}).")
    double hotShare;

    @Option(names = "--timestamp-format", paramLabel = "FORMAT", defaultValue = "iso",
            description = "Payload timestamps: iso (\"2026-11-27T08:00:00.125Z\") or epoch-millis (default ${DEFAULT-VALUE}).")
    String timestampFormat;

    @Option(names = "--simulated-span", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "Event time each job's events cover, ending before now; windows close and merge as it passes (default ${DEFAULT-VALUE}).")
    Duration simulatedSpan;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Checkpoint interval, as in production (default ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Monitor spec to generate traffic for; default: the bundled bench spec (5 models, 20 numeric + 5 categorical features, 3 segment dimensions).")
    Path specFile;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated payloads (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--show-example", description = "Print one generated payload.")
    boolean showExample;

    @Override
    public Integer call() throws Exception {
        TimestampFormat format = validate();
        PrintStream out = System.out;
        PrintStream progress = System.err;
        MachineInfo machine = MachineInfo.current();
        String loadBefore = MachineInfo.loadAverage();

        MonitorSpec spec = specFile == null ? MonitorSpecLoader.loadResource("/bench/monitor-spec.yaml") : MonitorSpecLoader.load(specFile);
        long now = System.currentTimeMillis();
        long spanMillis = simulatedSpan.toMillis();
        // The simulated span ends ten minutes before now: inside the parser's plausible-timestamp bounds.
        long start = Math.floorDiv(now - spanMillis - Duration.ofMinutes(10).toMillis(), 60_000L) * 60_000L;

        progress.printf(Locale.ROOT, "Generating %,d payloads ...%n", poolSize);
        long t0 = System.nanoTime();
        PayloadPool pool = PayloadPool.generate(spec, poolSize, hotShare, format, start, seed);
        double generationSeconds = (System.nanoTime() - t0) / 1e9;
        PayloadPool otherFormat = null;
        try {
            BenchReport report = new BenchReport(machine, loadBefore, spec, pool, format, events, start, spanMillis,
                    checkpointInterval, generationSeconds);
            if (showExample) out.println("Example payload: " + pool.example());

            // The warm-up job comes first: it compiles the hot code and grows the heap to its working
            // size (first touches of fresh heap pages are costly in a VM), for the micro figures too.
            PipelineBench bench = new PipelineBench(spec, pool, start, spanMillis, checkpointInterval);
            int maxParallelism = parallelism.stream().mapToInt(Integer::intValue).max().orElse(1);
            if (warmupEvents > 0) {
                progress.printf(Locale.ROOT, "Warm-up job: %,d events at parallelism %d ...%n", warmupEvents, maxParallelism);
                report.setWarmup(bench.run(maxParallelism, warmupEvents));
            }

            if (microEvents > 0) {
                progress.printf(Locale.ROOT, "Single-thread figures: %,d events per round ...%n", microEvents);
                otherFormat = PayloadPool.generate(spec, Math.min(poolSize, 20_000), hotShare, format.other(), start, seed + 1);
                // The jobs' pace, so windows (and sketches) have the jobs' size; never past the span's end.
                double millisPerEvent = (double) spanMillis / Math.max(events, microEvents);
                report.addMicro(new MicroBench(spec, pool, start, millisPerEvent, 3).run(microEvents, otherFormat));
            }

            List<PipelineBench.Result> results = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                for (int p : parallelism) {
                    progress.printf(Locale.ROOT, "Job: %,d events at parallelism %d%s ...%n", events, p,
                            repeat > 1 ? " (run " + (r + 1) + " of " + repeat + ")" : "");
                    PipelineBench.Result result = bench.run(p, events);
                    progress.printf(Locale.ROOT, "  %.2f s, %,.0f events/s%n", result.processingSeconds(), result.eventsPerSecond());
                    results.add(result);
                }
            }
            report.setPipeline(results, MachineInfo.loadAverage());
            out.println();
            report.print(out);
            return results.stream().allMatch(PipelineBench.Result::complete) ? 0 : 1;
        } finally {
            pool.unregister();
            if (otherFormat != null) otherFormat.unregister();
        }
    }

    private TimestampFormat validate() {
        List<String> problems = new ArrayList<>();
        if (events < 1) problems.add("--events: must be at least 1");
        if (parallelism.isEmpty() || parallelism.stream().anyMatch(p -> p == null || p < 1)) {
            problems.add("--parallelism: each value must be at least 1");
        } else if (events >= 1 && events < parallelism.stream().mapToInt(Integer::intValue).max().orElse(1)) {
            problems.add("--events: must be at least the highest parallelism");
        }
        if (repeat < 1) problems.add("--repeat: must be at least 1");
        if (warmupEvents < 0) problems.add("--warmup-events: must not be negative");
        if (microEvents < 0) problems.add("--micro-events: must not be negative");
        if (poolSize < 1) problems.add("--pool-size: must be at least 1");
        if (!(hotShare >= 0 && hotShare <= 1)) problems.add("--hot-share: must be between 0 and 1");
        if (simulatedSpan.toMillis() < 60_000 || simulatedSpan.compareTo(Duration.ofDays(6)) > 0) {
            problems.add("--simulated-span: must be from 1m to 6d (timestamps must stay within the parser's 7-day bound)");
        }
        if (checkpointInterval.toMillis() < 100) problems.add("--checkpoint-interval: must be at least 100ms");
        TimestampFormat format = null;
        try {
            format = TimestampFormat.fromCli(timestampFormat);
        } catch (IllegalArgumentException e) {
            problems.add("--timestamp-format: " + e.getMessage());
        }
        if (specFile != null && !specFile.toFile().isFile()) problems.add("--spec: no such file: " + specFile);
        if (!problems.isEmpty()) {
            throw new ParameterException(commandSpec.commandLine(), "Invalid options:\n  - " + String.join("\n  - ", problems));
        }
        return format;
    }
}
