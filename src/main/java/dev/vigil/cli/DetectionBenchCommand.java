package dev.vigil.cli;

import dev.vigil.bench.DetectionBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Replays the demo scenario (or another) with several seeds through the whole demo and reports
 * per incident kind the detection rate and median delay, and false alarms per model-day.
 * See docs/benchmarks.md.
 */
@Command(name = "detection-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replays incident scenarios and reports detection rate, delay and false alarms.")
public final class DetectionBenchCommand implements Callable<Integer> {

    @Spec CommandSpec commandSpec;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Runs, with seeds 1..N (default ${DEFAULT-VALUE}); ignored when --seeds is given.")
    int runs;

    @Option(names = "--seeds", paramLabel = "SEED", split = ",",
            description = "Seeds to run, comma-separated (overrides --runs).")
    List<Long> seeds;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "6h", converter = DurationConverter.class,
            description = "Simulated traffic per run (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--history", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "Clean traffic before each run's scenario, as in the demo (default ${DEFAULT-VALUE}).")
    Duration history;

    @Option(names = "--wall-time", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Wall time to stream each run's traffic in (default ${DEFAULT-VALUE}).")
    Duration wallTime;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario YAML to replay (default: the demo scenario).")
    Path scenario;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path output;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the runs keep their data (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        List<Long> chosen = seeds != null && !seeds.isEmpty() ? new ArrayList<>(seeds)
                : LongStream.rangeClosed(1, runs).boxed().toList();
        if (chosen.isEmpty()) throw new ParameterException(commandSpec.commandLine(), "--runs must be at least 1");
        if (history.isNegative()) throw new ParameterException(commandSpec.commandLine(), "--history must not be negative");
        if (duration.isNegative() || duration.isZero() || wallTime.isNegative() || wallTime.isZero()) {
            throw new ParameterException(commandSpec.commandLine(), "--duration and --wall-time must be positive");
        }
        if (scenario != null && !Files.isReadable(scenario)) {
            throw new ParameterException(commandSpec.commandLine(), "cannot read scenario " + scenario);
        }
        Path root = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("vigil-detection-bench");
        DetectionBench bench = new DetectionBench(new DetectionBench.Options(chosen, duration, wallTime, scenario, root, history));
        DetectionBench.Report report = bench.run(System.out);
        System.out.println();
        System.out.print(DetectionBench.table(report));
        if (output != null) {
            DetectionBench.writeJson(report, output);
            System.out.println("JSON written to " + output);
        }
        return 0;
    }
}
