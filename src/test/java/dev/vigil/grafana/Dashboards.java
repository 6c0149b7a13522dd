package dev.vigil.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboard JSON files, read into what the query test needs: panels, targets, variables. */
final class Dashboards {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A query of a panel. A target without its own datasource inherits the panel's (null here). */
    record Target(String refId, String format, String rawSql, JsonNode datasource) {}

    /** A panel that is not a row; rows only group panels. */
    record Panel(String title, String type, JsonNode datasource, List<Target> targets) {}

    /**
     * A template variable.
     *
     * @param query the SQL of a query variable, or the comma-separated values of a custom one
     * @param current the saved selection: empty (none), ["$__all"] or the values
     */
    record Variable(String name, String type, String query, boolean multi, boolean includeAll, List<String> current,
                    int sort, JsonNode datasource) {
        boolean allSelected() {
            return current.equals(List.of("$__all"));
        }
    }

    record Dashboard(Path file, JsonNode json, String uid, String title, List<Panel> panels, List<Variable> variables) {
        List<Target> targets() {
            return panels.stream().flatMap(p -> p.targets().stream()).toList();
        }
    }

    private Dashboards() {}

    /** Every {@code *.json} in the directory, by file name. */
    static List<Dashboard> load(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Dashboard> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(read(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dashboard read(Path file) throws IOException {
        JsonNode json = JSON.readTree(file.toFile());
        List<Panel> panels = new ArrayList<>();
        collectPanels(json.path("panels"), panels);
        List<Variable> variables = new ArrayList<>();
        for (JsonNode v : json.path("templating").path("list")) {
            List<String> current = new ArrayList<>();
            JsonNode value = v.path("current").path("value");
            if (value.isArray()) {
                value.forEach(x -> current.add(x.asText()));
            } else if (value.isTextual()) {
                current.add(value.asText());
            }
            JsonNode query = v.path("query");
            String queryText = query.isObject() ? query.path("rawSql").asText(query.path("query").asText()) : query.asText();
            variables.add(new Variable(v.path("name").asText(), v.path("type").asText(), queryText,
                    v.path("multi").asBoolean(), v.path("includeAll").asBoolean(), List.copyOf(current),
                    v.path("sort").asInt(0), v.get("datasource")));
        }
        return new Dashboard(file, json, json.path("uid").asText(), json.path("title").asText(), panels, variables);
    }

    /** Walks panels, descending into rows (a collapsed row keeps its panels in its own "panels"). */
    private static void collectPanels(JsonNode list, List<Panel> out) {
        for (JsonNode p : list) {
            if (p.path("type").asText().equals("row")) {
                collectPanels(p.path("panels"), out);
                continue;
            }
            List<Target> targets = new ArrayList<>();
            for (JsonNode t : p.path("targets")) {
                targets.add(new Target(t.path("refId").asText(), t.path("format").asText(), t.path("rawSql").asText(),
                        t.get("datasource")));
            }
            out.add(new Panel(p.path("title").asText(), p.path("type").asText(), p.get("datasource"), List.copyOf(targets)));
            if (p.has("panels")) {
                collectPanels(p.path("panels"), out);
            }
        }
    }
}
