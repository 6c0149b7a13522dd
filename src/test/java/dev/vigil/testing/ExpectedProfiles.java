package dev.vigil.testing;

import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile rows the job must write for a list of events, grouped by the straightforward
 * rules of the spec (window by event time, "all" plus each dimension, the cap applied per window
 * by event count then value), without any of the job's code paths.
 */
public final class ExpectedProfiles {
    /** A stored row's natural key. */
    public record RowKey(String model, String version, String segment, long windowStart) {}

    private ExpectedProfiles() {}

    public static Map<RowKey, List<TestTraffic.Event>> of(List<TestTraffic.Event> events, MonitorSpec spec) {
        Map<RowKey, List<TestTraffic.Event>> rows = new TreeMap<>(Comparator.comparing(RowKey::toString));
        // (model, version, dimension, window) -> value -> events
        Map<List<Object>, Map<String, List<TestTraffic.Event>>> byDimension = new HashMap<>();
        for (TestTraffic.Event e : events) {
            ModelSpec m = spec.model(e.model());
            long window = m.window().toMillis();
            long start = Math.floorDiv(e.timestamp(), window) * window;
            rows.computeIfAbsent(new RowKey(e.model(), e.version(), "all", start), k -> new ArrayList<>()).add(e);
            for (SegmentDimension d : m.segments()) {
                String value = switch (d.name()) {
                    case "country" -> e.country();
                    case "channel" -> e.channel();
                    case "region" -> e.region();
                    default -> throw new IllegalArgumentException(d.name());
                };
                if (d.hasFixedValues() && !d.values().contains(value)) value = "other";
                byDimension.computeIfAbsent(List.of(e.model(), e.version(), d.name(), start), k -> new HashMap<>())
                        .computeIfAbsent(value, v -> new ArrayList<>()).add(e);
            }
        }
        byDimension.forEach((key, values) -> {
            String model = (String) key.get(0);
            String dimension = (String) key.get(2);
            SegmentDimension d = spec.model(model).segments().stream().filter(s -> s.name().equals(dimension)).findFirst().orElseThrow();
            List<Map.Entry<String, List<TestTraffic.Event>>> ranked = new ArrayList<>(values.entrySet());
            ranked.sort(Comparator.<Map.Entry<String, List<TestTraffic.Event>>>comparingInt(v -> -v.getValue().size())
                    .thenComparing(Map.Entry::getKey));
            int kept = 0;
            for (Map.Entry<String, List<TestTraffic.Event>> v : ranked) {
                boolean fold = v.getKey().equals("other") || (!d.hasFixedValues() && kept >= d.maxValues());
                String segment = dimension + "=" + (fold ? "other" : v.getKey());
                if (!fold) kept++;
                rows.computeIfAbsent(new RowKey(model, (String) key.get(1), segment, (Long) key.get(3)), k -> new ArrayList<>())
                        .addAll(v.getValue());
            }
        });
        return rows;
    }
}
