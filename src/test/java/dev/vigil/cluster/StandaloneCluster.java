package dev.vigil.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real standalone Flink session cluster, run by the scripts in {@code deploy/standalone}: a
 * JobManager and TaskManagers as separate JVMs on Flink's jars in {@code target/flink-lib}, and the
 * Flink CLI as a separate process for every command. Everything lives in one folder ({@code
 * VIGIL_CLUSTER_DIR}); {@link #close()} stops the cluster and kills every process whose command
 * line names that folder, also when the test JVM exits early (shutdown hook).
 */
final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMETHEUS_PORTS = 20;
    private static final Pattern TASK_MANAGER_STARTED = Pattern.compile("TaskManager (taskmanager-\\d+) started");

    /** Output and exit code of a script or CLI call. */
    record Result(int exitCode, String output) {
        Result requireSuccess(String what) {
            if (exitCode != 0) throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + output);
            return this;
        }

        String find(Pattern pattern, String what) {
            Matcher m = pattern.matcher(output);
            if (!m.find()) throw new AssertionError("no " + what + " in:\n" + output);
            return m.group(1);
        }
    }

    private final Path home;
    private final Path dir;
    private final Path lib;
    private final int restPort;
    private final int prometheusPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger commands = new AtomicInteger();
    private final Thread killer = new Thread(this::killAll, "standalone-cluster-killer");

    /**
     * @param home the project folder (scripts, flink-conf/)
     * @param dir the cluster's folder, empty
     * @param lib Flink's jars
     * @param restPort the REST port the cluster is configured with
     */
    private StandaloneCluster(Path home, Path dir, Path lib, int restPort, int prometheusPort) {
        this.home = home;
        this.dir = dir;
        this.lib = lib;
        this.restPort = restPort;
        this.prometheusPort = prometheusPort;
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers with {@code start-cluster.sh} on
     * free ports, flink-conf/config.yaml with {@code overrides}, and waits until all registered.
     */
    static StandaloneCluster start(Path home, Path dir, Path lib, int taskManagers, Map<String, String> overrides) {
        int restPort = freePort();
        int prometheusPort = freePort();
        StandaloneCluster cluster = new StandaloneCluster(home, dir, lib, restPort, prometheusPort);
        List<String> args = new ArrayList<>(List.of("--taskmanagers", String.valueOf(taskManagers)));
        overrides = new java.util.LinkedHashMap<>(overrides);
        overrides.put("rest.port", String.valueOf(restPort));
        overrides.put("jobmanager.rpc.port", String.valueOf(freePort()));
        // Each process takes the first free port of the range.
        overrides.put("metrics.reporter.prom.port", prometheusPort + "-" + (prometheusPort + PROMETHEUS_PORTS - 1));
        overrides.forEach((key, value) -> {
            args.add("-D");
            args.add(key + "=" + value);
        });
        try {
            cluster.script(Duration.ofMinutes(3), "start-cluster.sh", args.toArray(String[]::new)).requireSuccess("start-cluster.sh");
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    Path dir() {
        return dir;
    }

    /** Runs {@code deploy/standalone/<script> args} for this cluster. */
    Result script(Duration timeout, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("deploy/standalone").resolve(script).toString()));
        command.addAll(List.of(args));
        return run(timeout, script, command);
    }

    /** The Flink CLI ({@code flink.sh}), a new JVM per call. */
    Result flink(Duration timeout, String... args) {
        return script(timeout, "flink.sh", args);
    }

    /** Starts one more TaskManager; returns its name ({@code taskmanager-<n>}). */
    String startTaskManager() {
        return script(Duration.ofMinutes(1), "taskmanager.sh", "start").requireSuccess("taskmanager.sh start")
                .find(TASK_MANAGER_STARTED, "TaskManager name");
    }

    /** The process of a cluster member ({@code jobmanager}, {@code taskmanager-<n>}) from its pid file. */
    ProcessHandle process(String name) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("pids").resolve(name + ".pid")).trim());
            return ProcessHandle.of(pid).filter(this::ours)
                    .orElseThrow(() -> new AssertionError(name + " (pid " + pid + ") is not running"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a crashed machine would: no shutdown, no goodbye to the JobManager. */
    void kill(String name) throws InterruptedException {
        ProcessHandle p = process(name);
        p.destroyForcibly();
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + " did not die", e);
        }
    }

    /** GET on the JobManager's REST API. */
    JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** What the Prometheus endpoints of the cluster's processes serve, concatenated. */
    String prometheusMetrics() throws InterruptedException {
        StringBuilder all = new StringBuilder();
        for (int port = prometheusPort; port < prometheusPort + PROMETHEUS_PORTS; port++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) all.append(response.body());
            } catch (IOException nothingThere) {
                // a port of the range no process took
            }
        }
        return all.toString();
    }

    /** The last lines of every log of the cluster, for a failure message. */
    String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> logs = Files.list(dir.resolve("log"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("==== ").append(log).append(" (last ").append(Math.min(lines, all.size())).append(" lines)\n");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException e) {
            out.append("(cannot read logs: ").append(e).append(")\n");
        }
        return out.toString();
    }

    /** Stops the cluster with stop-cluster.sh, then kills whatever of it is left. */
    @Override
    public void close() {
        try {
            script(Duration.ofSeconds(60), "stop-cluster.sh");
        } catch (RuntimeException | AssertionError e) {
            System.err.println("[StandaloneCluster] stop-cluster.sh failed: " + e);
        } finally {
            killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Kills, with their descendants, all processes whose command line names this cluster's folder. */
    private void killAll() {
        List<ProcessHandle> left = ProcessHandle.allProcesses().filter(this::ours).toList();
        for (ProcessHandle p : left) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("[StandaloneCluster] process " + p.pid() + " did not exit: " + e);
            }
        }
    }

    private boolean ours(ProcessHandle p) {
        return p.pid() != ProcessHandle.current().pid()
                && p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false);
    }

    private Result run(Duration timeout, String name, List<String> command) {
        Path output = dir.resolve("commands").resolve(commands.incrementAndGet() + "-" + name + ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("VIGIL_CLUSTER_DIR", dir.toString());
        env.put("FLINK_LIB_DIR", lib.toString());
        env.put("VIGIL_STOP_TIMEOUT", "15");
        env.remove("JVM_ARGS");
        env.remove("FLINK_CONF_DIR");
        Process process = null;
        try {
            Files.createDirectories(output.getParent());
            process = pb.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
