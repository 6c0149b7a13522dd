package dev.vigil.baseline;

import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.ParsedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads training or validation data files into parsed records, one file per reader so a CSV
 * file's header applies to its own rows. JSON lines are inference events (most fields optional,
 * see {@link InferenceEventParser#forReference}); CSV has a header naming features, segment
 * dimensions and the prediction columns {@code score}, {@code label}, {@code value}.
 */
public final class ReferenceDataFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;
    private static final Set<String> PREDICTION_COLUMNS = Set.of("score", "label", "value");

    /** The file formats {@code vigil baseline} reads. */
    public enum Kind { JSONL, CSV }

    private final Kind kind;
    private final InferenceEventParser parser;
    private final Set<String> segmentDimensions;

    public ReferenceDataFormat(Kind kind, InferenceEventParser parser, Set<String> segmentDimensions) {
        this.kind = kind;
        this.parser = parser;
        this.segmentDimensions = Set.copyOf(segmentDimensions);
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        return new StreamFormat.Reader<>() {
            private List<String> header;
            private long lineNumber;

            @Override
            public ParsedRecord read() throws IOException {
                String line;
                while ((line = lines.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) continue;
                    if (kind == Kind.CSV && header == null) {
                        header = splitCsv(line);
                        continue;
                    }
                    String json = kind == Kind.CSV ? csvRowAsJson(header, splitCsv(line)) : line;
                    return parser.parse(json.getBytes(StandardCharsets.UTF_8), "reference-data", 0, lineNumber, 0);
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return Types.POJO(ParsedRecord.class);
    }

    /** One CSV row as an inference event object: empty cells are null, numbers stay numbers. */
    String csvRowAsJson(List<String> header, List<String> cells) {
        StringBuilder features = new StringBuilder();
        StringBuilder segments = new StringBuilder();
        StringBuilder prediction = new StringBuilder();
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            String cell = i < cells.size() ? cells.get(i) : "";
            StringBuilder target = column.equals("model") || column.equals("model_version") ? top
                    : segmentDimensions.contains(column) ? segments
                    : PREDICTION_COLUMNS.contains(column) ? prediction : features;
            if (target.length() > 0) target.append(',');
            target.append(quote(column)).append(':').append(value(cell, column.equals("label") || target == segments || target == top));
        }
        StringBuilder json = new StringBuilder("{");
        if (top.length() > 0) json.append(top).append(',');
        return json.append("\"segments\":{").append(segments).append("},\"features\":{").append(features)
                .append("},\"prediction\":{").append(prediction).append("}}").toString();
    }

    private static String value(String cell, boolean text) {
        if (cell.isEmpty()) return "null";
        if (!text) {
            try {
                double d = Double.parseDouble(cell);
                if (Double.isFinite(d)) return cell.trim();
            } catch (NumberFormatException notANumber) {
                // a string value
            }
        }
        return quote(cell);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
