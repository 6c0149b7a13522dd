package dev.vigil.bench;

import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The bench's printed result: machine, workload, one table of figures, checks and a short breakdown. */
public final class BenchReport {
    private final MachineInfo machine;
    private final String loadBefore;
    private final MonitorSpec spec;
    private final PayloadPool pool;
    private final TimestampFormat format;
    private final long events;
    private final long startMillis;
    private final long spanMillis;
    private final Duration checkpointInterval;
    private final double generationSeconds;
    private final List<MicroBench.Figure> micro = new ArrayList<>();
    private PipelineBench.Result warmup;
    private final List<PipelineBench.Result> pipeline = new ArrayList<>();
    private String loadAfter;

    public BenchReport(MachineInfo machine, String loadBefore, MonitorSpec spec, PayloadPool pool, TimestampFormat format,
                       long events, long startMillis, long spanMillis, Duration checkpointInterval, double generationSeconds) {
        this.machine = machine;
        this.loadBefore = loadBefore;
        this.spec = spec;
        this.pool = pool;
        this.format = format;
        this.events = events;
        this.startMillis = startMillis;
        this.spanMillis = spanMillis;
        this.checkpointInterval = checkpointInterval;
        this.generationSeconds = generationSeconds;
    }

    public void addMicro(List<MicroBench.Figure> figures) {
        micro.addAll(figures);
    }

    public void setWarmup(PipelineBench.Result result) {
        warmup = result;
    }

    public void setPipeline(List<PipelineBench.Result> results, String loadAverageAfter) {
        pipeline.addAll(results);
        loadAfter = loadAverageAfter;
    }

    public void print(PrintStream out) {
        out.println("Vigil bench: events/s through the job's per-event path (parse + profile + window merge)");
        out.println("Machine:   " + machine.describe());
        if (loadBefore != null) {
            out.println("Load:      1/5/15-min load average " + loadBefore + " before" + (loadAfter == null ? "" : ", " + loadAfter + " after")
                    + " (other processes share these cores)");
        }
        out.println("Workload:  " + workload());
        out.printf(Locale.ROOT, "Payloads:  %,d distinct, %.0f bytes on average, %s timestamps; generated in %.1f s before measuring, replayed in a cycle%n",
                pool.size(), pool.averageBytes(), format.cliName(), generationSeconds);
        long windows = spanMillis / 60_000;
        out.printf(Locale.ROOT, "Event time: %,d events per job over %s from %s (%d one-minute windows), 5%% up to %d s out of order;%n"
                        + "           watermarks per split (10 s out-of-orderness), checkpoints every %s (production settings)%n",
                events, format(Duration.ofMillis(spanMillis)), Instant.ofEpochMilli(startMillis), windows,
                PayloadPool.MAX_OUT_OF_ORDER_MS / 1000, format(checkpointInterval));
        out.println("Job:       VigilPipeline as in production, fed by the bench source (pooled bytes -> production");
        out.println("           InferenceRecordDeserializer, one split per subtask): route dead letters -> fold partial profiles");
        out.println("           -> keyBy -> merge window profiles -> drift and alerts; every result goes to a discarding sink");
        out.println();
        printTable(out);
        out.println();
        printNotes(out);
    }

    private String workload() {
        List<ModelSpec> models = spec.models();
        ModelSpec first = models.get(0);
        boolean sameShape = models.stream().allMatch(m -> m.numericFeatures().size() == first.numericFeatures().size()
                && m.categoricalFeatures().size() == first.categoricalFeatures().size()
                && m.segments().size() == first.segments().size());
        String shape = sameShape
                ? String.format(Locale.ROOT, "each %d numeric + %d categorical features, %d segment dimensions",
                        first.numericFeatures().size(), first.categoricalFeatures().size(), first.segments().size())
                : "features and segments as in the spec";
        String segments = pool.segmentValueCounts().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return models.size() + " models (" + pool.modelShares() + "; the hot one 95/5 on two versions), "
                + shape + "; segment values seen: " + segments;
    }

    private void printTable(PrintStream out) {
        String header = String.format(Locale.ROOT, "%-42s %11s %11s %8s %10s %9s %9s %7s",
                "mode", "parallelism", "events", "seconds", "events/s", "ns/event", "CPU ns/ev", "job s");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (MicroBench.Figure f : micro) {
            out.printf(Locale.ROOT, "%-42s %11s %,11d %8.3f %,10.0f %9.0f %9.0f %7s%n",
                    f.mode(), "1 thread", f.events(), f.seconds(), f.events() / f.seconds(), f.nanosPerEvent(),
                    f.cpuNanosPerEvent(), "-");
        }
        if (warmup != null) row(out, "pipeline, warm-up (not counted)", warmup);
        for (PipelineBench.Result r : pipeline) row(out, "pipeline", r);
    }

    private static void row(PrintStream out, String mode, PipelineBench.Result r) {
        out.printf(Locale.ROOT, "%-42s %11d %,11d %8.2f %,10.0f %9.0f %9.0f %7.1f%n",
                mode, r.parallelism(), r.events(), r.processingSeconds(), r.eventsPerSecond(),
                r.processingSeconds() * 1e9 / r.events(), r.cpuNanosPerEvent(), r.jobSeconds());
    }

    private void printNotes(PrintStream out) {
        if (!micro.isEmpty()) {
            out.println("micro rows: one thread, no Flink; seconds are the median of 3 rounds ("
                    + micro.stream().map(f -> String.format(Locale.ROOT, "%.3f-%.3f", f.minSeconds(), f.maxSeconds()))
                            .collect(Collectors.joining(", ")) + " s min-max).");
        }
        if (pipeline.isEmpty()) return;
        out.println("pipeline rows: seconds from the first event a source emits to the last result row a sink takes;");
        out.println("  ns/event is wall time per event (all subtasks together); CPU ns/ev is the CPU time of all the job's");
        out.println("  task threads (source chains, merge, drift and alert chains) per event, less sensitive to other load;");
        out.println("  \"job s\" adds cluster start and job deployment. CPU ns/ev of micro rows: the thread's CPU time.");
        out.println("  Whole-JVM CPU per job (GC, JIT, Flink's own threads included): " + pipeline.stream()
                .map(r -> String.format(Locale.ROOT, "p%d %.1f s (%.0f ns/event)", r.parallelism(), r.processCpuSeconds(),
                        r.processCpuSeconds() * 1e9 / r.events()))
                .collect(Collectors.joining(", ")) + ".");

        long incomplete = pipeline.stream().filter(r -> !r.complete()).count();
        PipelineBench.Result last = pipeline.get(pipeline.size() - 1);
        if (incomplete == 0) {
            out.printf(Locale.ROOT, "Check: in every job the all-traffic window rows count each event exactly once; no late events, no dead letters%n"
                    + "  (%,d window_stats and %,d feature_stats rows in the last job).%n", last.windowRows(), last.featureRows());
        } else {
            for (PipelineBench.Result r : pipeline) {
                if (r.complete()) continue;
                out.printf(Locale.ROOT, "WARNING: parallelism %d: rows count %,d of %,d events, %,d late, %,d dead letters%n",
                        r.parallelism(), r.profiledEvents(), r.events(), r.lateDropped(), r.deadLetters());
            }
        }

        Map<Integer, DoubleSummaryStatistics> byParallelism = new TreeMap<>();
        for (PipelineBench.Result r : pipeline) {
            byParallelism.computeIfAbsent(r.parallelism(), p -> new DoubleSummaryStatistics()).accept(r.eventsPerSecond());
        }
        if (pipeline.size() > byParallelism.size()) {
            out.println("Spread: " + byParallelism.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "parallelism %d %,.0f-%,.0f events/s (mean %,.0f)",
                            e.getKey(), e.getValue().getMin(), e.getValue().getMax(), e.getValue().getAverage()))
                    .collect(Collectors.joining("; ")));
        }
        DoubleSummaryStatistics one = byParallelism.get(1);
        if (one != null) {
            for (Map.Entry<Integer, DoubleSummaryStatistics> e : byParallelism.entrySet()) {
                if (e.getKey() == 1) continue;
                out.printf(Locale.ROOT, "Scaling: parallelism %d runs %.2fx parallelism 1 (on %d cores that also run the sources, merge and GC)%n",
                        e.getKey(), e.getValue().getAverage() / one.getAverage(), machine.cores());
            }
            MicroBench.Figure both = micro.stream().filter(f -> f.mode().startsWith("micro: parse + profile")).findFirst().orElse(null);
            DoubleSummaryStatistics cpu = pipeline.stream().filter(r -> r.parallelism() == 1)
                    .mapToDouble(PipelineBench.Result::cpuNanosPerEvent).summaryStatistics();
            if (cpu.getCount() > 0) {
                double jobNanos = cpu.getAverage();
                out.printf(Locale.ROOT, "Per core: %,.0f events per CPU-second of the task threads at parallelism 1 (%,.0f ns/event);%n"
                                + "  a core that does nothing else would run about this many events/s.%n",
                        1e9 / jobNanos, jobNanos);
                if (both != null) {
                    double flink = jobNanos - both.cpuNanosPerEvent();
                    if (flink > 0) {
                        out.printf(Locale.ROOT, "Breakdown (CPU time): parse + profile fold take %.0f ns/event in one thread without Flink, so about%n"
                                        + "  %.0f ns (%.0f%%) of the job's %.0f ns is Flink around them (records through the chain, watermarks,%n"
                                        + "  partial emission, the keyed merge, checkpoints).%n",
                                both.cpuNanosPerEvent(), flink, 100 * flink / jobNanos, jobNanos);
                    } else {
                        out.printf(Locale.ROOT, "Breakdown (CPU time): parse + profile fold take %.0f ns/event in one thread without Flink, as much as%n"
                                        + "  the job's %.0f ns: Flink's share is within the noise of this run.%n",
                                both.cpuNanosPerEvent(), jobNanos);
                    }
                }
            }
        }
    }

    private static String format(Duration d) {
        return dev.vigil.spec.DurationText.format(d);
    }
}
