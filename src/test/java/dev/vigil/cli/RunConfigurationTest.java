package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Vigil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration fails at start with one message naming every bad field, before any job is built. */
class RunConfigurationTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureErr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr() {
        System.setErr(originalErr);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void namesEveryInvalidFlag(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "models: [{name: m, task: regression}]");
        int exit = Vigil.execute("run", "--spec", spec.toString(), "--bootstrap-servers", "",
                "--jdbc-url", "jdbc:mysql://db/vigil", "--max-out-of-orderness", "0s", "--max-payload-bytes", "10",
                "--sink-batch-size", "0", "--parallelism", "0");
        assertThat(exit).isEqualTo(2);
        assertThat(errors())
                .contains("--bootstrap-servers")
                .contains("--jdbc-url")
                .contains("--max-payload-bytes")
                .contains("--sink-batch-size")
                .contains("--parallelism")
                .doesNotContain("at dev.vigil"); // a message, not a stack trace
    }

    @Test
    void reportsAMissingSpecFile() {
        int exit = Vigil.execute("run", "--spec", "/no/such/spec.yaml", "--bootstrap-servers", "k:9092",
                "--jdbc-url", "jdbc:postgresql://db:5432/vigil");
        assertThat(exit).isEqualTo(2);
        assertThat(errors()).contains("--spec: no such file: /no/such/spec.yaml");
    }

    @Test
    void reportsAnInvalidSpecWithTheModelAndField(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "models: [{name: fraud, task: guessing}]");
        int exit = Vigil.execute("run", "--spec", spec.toString(), "--bootstrap-servers", "k:9092",
                "--jdbc-url", "jdbc:postgresql://db:5432/vigil");
        assertThat(exit).isEqualTo(2);
        assertThat(errors()).contains("models[0] (fraud).task: 'guessing' is not one of");
    }

    @Test
    void rejectsAnUnreadableDuration() {
        int exit = Vigil.execute("run", "--spec", "x.yaml", "--idle-timeout", "soon");
        assertThat(exit).isEqualTo(2);
        assertThat(errors()).contains("--idle-timeout").contains("'soon' is not a duration");
    }
}
