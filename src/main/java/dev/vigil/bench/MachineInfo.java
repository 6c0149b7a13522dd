package dev.vigil.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.runtime.util.EnvironmentInformation;

/** The machine a bench ran on: cores, CPU model, JVM, heap, garbage collector, Flink version. */
public record MachineInfo(int cores, String cpuModel, String jvm, long maxHeapBytes, String gc, String flink, String os) {

    public static MachineInfo current() {
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                readCpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                Runtime.getRuntime().maxMemory(),
                gc,
                EnvironmentInformation.getVersion(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /** "model name" from /proc/cpuinfo (with the CPU MHz when given), else the architecture. */
    static String readCpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                List<String> lines = Files.readAllLines(cpuinfo);
                String model = field(lines, "model name");
                if (model == null) model = field(lines, "Model");          // some ARM kernels
                if (model == null) model = field(lines, "cpu model");
                String mhz = field(lines, "cpu MHz");
                String family = field(lines, "cpu family");
                String number = field(lines, "model");
                if (model != null) {
                    return model
                            + (family == null || number == null ? "" : " (family " + family + ", model " + number + ")")
                            + (mhz == null ? "" : String.format(Locale.ROOT, " @ %.0f MHz", Double.parseDouble(mhz)));
                }
            } catch (IOException | NumberFormatException e) {
                // fall through
            }
        }
        return "unknown (" + System.getProperty("os.arch") + ")";
    }

    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or null where there is none. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d cores, %s; %s, max heap %.1f GB, GC %s; Flink %s; %s",
                cores, cpuModel, jvm, maxHeapBytes / (1024.0 * 1024 * 1024), gc, flink, os);
    }
}
