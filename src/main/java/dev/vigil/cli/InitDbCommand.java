package dev.vigil.cli;

import dev.vigil.store.MetricsStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Creates or upgrades the metrics store schema. */
@Command(name = "init-db", mixinStandardHelpOptions = true,
        description = {"Create or upgrade the PostgreSQL schema (Flyway migrations); safe to run repeatedly.",
                "If VIGIL_READER_PASSWORD is set, the read-only role vigil_reader may log in with it."})
public final class InitDbCommand implements Callable<Integer> {
    @Mixin DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        var settings = database.settings();
        if (settings.url() == null) {
            System.err.println("--jdbc-url (or VIGIL_JDBC_URL) is required");
            return 2;
        }
        int applied = MetricsStore.migrate(settings);
        System.out.println("Schema up to date (" + applied + " migration(s) applied) at " + settings.url());
        String readerPassword = System.getenv("VIGIL_READER_PASSWORD");
        if (readerPassword != null && !readerPassword.isEmpty()) {
            MetricsStore.enableReaderLogin(settings, readerPassword);
            System.out.println("Role " + MetricsStore.READER_ROLE + " may now log in (password from VIGIL_READER_PASSWORD).");
        }
        return 0;
    }
}
