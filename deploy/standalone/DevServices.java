import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import java.util.concurrent.CountDownLatch;

/**
 * Kafka and PostgreSQL to try the standalone cluster with: the project's embedded broker and server
 * (dev.vigil.embedded), on fixed ports, until Ctrl-C. Run by dev-services.sh; data is thrown away.
 */
public class DevServices {
    public static void main(String[] args) throws Exception {
        int kafkaPort = Integer.parseInt(args[0]);
        int postgresPort = Integer.parseInt(args[1]);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(postgresPort, null);
             EmbeddedKafka kafka = EmbeddedKafka.start(null, kafkaPort)) {
            kafka.createTopic("inference-logs", 2);
            kafka.createTopic("vigil-dead-letters", 1);
            kafka.createTopic("vigil-alerts", 1);
            kafka.createTopic("feedback", 2);
            System.out.println("Kafka bootstrap servers: " + kafka.bootstrapServers()
                    + " (topics inference-logs with 2 partitions, vigil-dead-letters, vigil-alerts, feedback)");
            System.out.println("PostgreSQL JDBC URL:     " + postgres.jdbcUrl() + " (user " + postgres.user() + ", no password)");
            System.out.println("                         " + postgres.psqlCommand());
            System.out.println("Running until Ctrl-C.");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
    }
}
