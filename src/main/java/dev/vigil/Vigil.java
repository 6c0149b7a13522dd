package dev.vigil;

import dev.vigil.cli.BaselineCommand;
import dev.vigil.cli.BenchCommand;
import dev.vigil.cli.DemoCommand;
import dev.vigil.cli.DetectionBenchCommand;
import dev.vigil.cli.GenerateCommand;
import dev.vigil.cli.InitDbCommand;
import dev.vigil.cli.RunCommand;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line. {@code run} is also the entry point when the jar is submitted
 * to a Flink cluster with {@code flink run}; the other subcommands run locally.
 */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        version = "vigil 0.1.0",
        description = "Model monitoring on Apache Flink: profiles, drift, data quality and usage of ML models.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            BaselineCommand.class,
            InitDbCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            DetectionBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Vigil implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int exitCode = execute(args);
        // Under `flink run` or in application mode, main runs inside Flink's client or JobManager:
        // a successful job submission must return, not end that JVM.
        boolean submittedJob = args.length > 0 && args[0].equals("run");
        if (exitCode != 0 || !submittedJob) {
            System.exit(exitCode);
        }
    }

    /** Runs the command line without exiting, so tests and the demo can call it. */
    public static int execute(String... args) {
        return new CommandLine(new Vigil()).setExecutionExceptionHandler(Vigil::reportUsageProblem).execute(args);
    }

    /** Configuration mistakes are reported as one clear message, not a stack trace. */
    private static int reportUsageProblem(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof JobConfig.ConfigException || e instanceof SpecException || e instanceof IllegalArgumentException) {
            cmd.getErr().println(cmd.getColorScheme().errorText(e.getMessage()));
            return 2;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
