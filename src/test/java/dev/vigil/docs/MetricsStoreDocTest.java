package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics-store.md describes every table, column and index the migration creates. */
class MetricsStoreDocTest {
    static final Path DOC = Path.of("docs", "metrics-store.md");
    private static final Pattern TABLE = Pattern.compile("(?s)CREATE TABLE (\\w+) \\((.*?)\\n\\);");
    private static final Pattern INDEX = Pattern.compile("CREATE INDEX (\\w+) ON");
    private static final Set<String> CONSTRAINTS = Set.of("PRIMARY", "UNIQUE", "CHECK", "CONSTRAINT", "FOREIGN");

    /** All migrations, in version order. */
    static String migration() throws IOException {
        StringBuilder sql = new StringBuilder();
        try (var files = java.nio.file.Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList()) {
                sql.append(java.nio.file.Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return sql.toString();
    }

    static Map<String, List<String>> tables(String sql) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher t = TABLE.matcher(sql);
        while (t.find()) {
            List<String> columns = new ArrayList<>();
            for (String line : t.group(2).split("\n")) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("--")) continue;
                String first = s.split("\\s+")[0];
                if (!CONSTRAINTS.contains(first)) columns.add(first);
            }
            out.put(t.group(1), columns);
        }
        return out;
    }

    @Test
    void everyTableAndColumnIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        Map<String, List<String>> tables = tables(migration());
        assertThat(tables).containsOnlyKeys("window_stats", "feature_stats", "dead_letters", "reference_profiles", "drift_scores", "alerts",
                "traffic_expectations", "usage_stats", "performance_metrics");
        for (Map.Entry<String, List<String>> t : tables.entrySet()) {
            int section = doc.indexOf("## `" + t.getKey() + "`");
            assertThat(section).as("a section for %s", t.getKey()).isPositive();
            int end = doc.indexOf("\n## ", section + 1);
            String text = doc.substring(section, end < 0 ? doc.length() : end);
            assertThat(t.getValue()).isNotEmpty();
            for (String column : t.getValue()) {
                assertThat(text).as("%s.%s is described in its section", t.getKey(), column).contains("`" + column + "`");
            }
        }
    }

    @Test
    void everyIndexIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        Matcher m = INDEX.matcher(migration());
        int n = 0;
        while (m.find()) {
            assertThat(doc).contains("`" + m.group(1) + "`");
            n++;
        }
        assertThat(n).isEqualTo(10);
        for (String key : List.of("window_stats_pkey", "feature_stats_pkey", "dead_letters_pkey",
                "dead_letters_topic_kafka_partition_kafka_offset_key")) {
            assertThat(doc).contains("`" + key + "`");
        }
    }

    @Test
    void theReaderRoleAndHowToEnableItAreDocumented() throws IOException {
        String doc = Files.readString(DOC);
        assertThat(migration()).contains("CREATE ROLE vigil_reader NOLOGIN");
        assertThat(doc).contains("`vigil_reader`", "VIGIL_READER_PASSWORD=", "vigil init-db");
    }
}
