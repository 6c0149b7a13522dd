package dev.vigil.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Grafana does to a PostgreSQL panel query before the database sees it: the frontend
 * replaces template variables (with the SQL data sources' quoting rules and the
 * {@code ${var:format}} formats), then the data source expands its {@code $__macros} for the
 * dashboard's time range. Only what the Vigil dashboards may use is supported; anything else
 * fails loudly, so a dashboard cannot use a macro or format this test does not understand.
 */
final class GrafanaSql {
    /** The dashboard's time range. */
    record TimeRange(Instant from, Instant to) {}

    /**
     * A template variable's selected values.
     *
     * @param values the selected values (all of them when "All" is selected)
     * @param multiOrAll whether the variable is multi-value or has an "All" option: then Grafana's SQL
     *     data sources quote its values even without a format
     */
    record Selection(List<String> values, boolean multiOrAll) {
        static Selection single(String value) {
            return new Selection(List.of(value), false);
        }
    }

    // $name | ${name} | ${name:format} | [[name]] | [[name:format]]
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(\\w+)|\\$\\{(\\w+)(?::([^}]+))?}|\\[\\[(\\w+)(?::(\\w+))?]]");
    private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)\\(");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private GrafanaSql() {}

    /** Variables, then macros. */
    static String render(String sql, Map<String, Selection> variables, TimeRange range, Duration interval) {
        return expandMacros(interpolate(sql, variables, interval), range);
    }

    /**
     * Replaces template variables and the built-in {@code $__interval} / {@code $__interval_ms}.
     * Names starting with {@code __} followed by '(' are macros and are left for {@link #expandMacros}.
     *
     * @throws IllegalArgumentException on an unknown variable or format
     */
    static String interpolate(String sql, Map<String, Selection> variables, Duration interval) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(4);
            String format = m.group(3) != null ? m.group(3) : m.group(5);
            String replacement;
            if (name.equals("__interval")) {
                replacement = formatInterval(interval);
            } else if (name.equals("__interval_ms")) {
                replacement = Long.toString(interval.toMillis());
            } else if (name.startsWith("__") && m.group(1) != null && sql.startsWith("(", m.end())) {
                replacement = m.group(); // a macro
            } else {
                Selection s = variables.get(name);
                if (s == null) {
                    throw new IllegalArgumentException("unknown template variable " + m.group() + " (known: " + variables.keySet() + ")");
                }
                replacement = format(s, format);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String format(Selection s, String format) {
        if (format == null) {
            // Grafana's SqlDatasource.interpolateVariable
            if (s.multiOrAll()) {
                return s.values().stream().map(GrafanaSql::quoteLiteral).collect(Collectors.joining(","));
            }
            return s.values().get(0).replace("'", "''");
        }
        return switch (format) {
            case "sqlstring" -> s.values().stream().map(GrafanaSql::quoteLiteral).collect(Collectors.joining(","));
            case "singlequote" -> s.values().stream().map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(","));
            case "doublequote" -> s.values().stream().map(v -> "\"" + v.replace("\"", "\\\"") + "\"").collect(Collectors.joining(","));
            case "csv", "raw" -> String.join(",", s.values());
            default -> throw new IllegalArgumentException("variable format '" + format + "' is not supported by this test");
        };
    }

    private static String quoteLiteral(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    /**
     * Expands the PostgreSQL data source's macros, as Grafana documents them.
     *
     * @throws IllegalArgumentException on an unknown macro or wrong arguments
     */
    static String expandMacros(String sql, TimeRange range) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        Matcher m = MACRO.matcher(sql);
        while (m.find(pos)) {
            out.append(sql, pos, m.start());
            int close = closingParen(sql, m.end() - 1);
            List<String> args = splitArgs(sql.substring(m.end(), close));
            out.append(macro(m.group(1), args, range));
            pos = close + 1;
        }
        out.append(sql.substring(pos));
        String result = out.toString();
        if (result.contains("$__")) {
            throw new IllegalArgumentException("unexpanded macro left in: " + result);
        }
        return result;
    }

    private static String macro(String name, List<String> args, TimeRange range) {
        String from = "'" + range.from() + "'";
        String to = "'" + range.to() + "'";
        long fromEpoch = range.from().getEpochSecond();
        long toEpoch = range.to().getEpochSecond();
        return switch (name) {
            case "time" -> arg(name, args, 1, 0) + " AS \"time\"";
            case "timeEpoch" -> "extract(epoch from " + arg(name, args, 1, 0) + ") AS \"time\"";
            case "timeFilter" -> arg(name, args, 1, 0) + " BETWEEN " + from + " AND " + to;
            case "timeFrom" -> noArgs(name, args, from);
            case "timeTo" -> noArgs(name, args, to);
            case "timeGroup" -> timeGroup(name, args);
            case "timeGroupAlias" -> timeGroup(name, args) + " AS \"time\"";
            case "unixEpochFilter" -> {
                String col = arg(name, args, 1, 0);
                yield col + " >= " + fromEpoch + " AND " + col + " <= " + toEpoch;
            }
            case "unixEpochFrom" -> noArgs(name, args, Long.toString(fromEpoch));
            case "unixEpochTo" -> noArgs(name, args, Long.toString(toEpoch));
            case "unixEpochGroup" -> unixEpochGroup(name, args);
            case "unixEpochGroupAlias" -> unixEpochGroup(name, args) + " AS \"time\"";
            default -> throw new IllegalArgumentException("macro $__" + name + " is not supported by this test");
        };
    }

    private static String timeGroup(String name, List<String> args) {
        if (args.size() < 2 || args.size() > 3) {
            throw new IllegalArgumentException("$__" + name + " takes (column, interval[, fill]), got " + args);
        }
        String seconds = seconds(parseInterval(unquote(args.get(1))));
        return "floor(extract(epoch from " + args.get(0) + ")/" + seconds + ")*" + seconds;
    }

    private static String unixEpochGroup(String name, List<String> args) {
        if (args.size() < 2 || args.size() > 3) {
            throw new IllegalArgumentException("$__" + name + " takes (column, interval[, fill]), got " + args);
        }
        String seconds = seconds(parseInterval(unquote(args.get(1))));
        return "floor((" + args.get(0) + ")/" + seconds + ")*" + seconds;
    }

    private static String arg(String name, List<String> args, int expected, int index) {
        if (args.size() != expected || args.get(index).isEmpty()) {
            throw new IllegalArgumentException("$__" + name + " takes " + expected + " argument(s), got " + args);
        }
        return args.get(index);
    }

    private static String noArgs(String name, List<String> args, String value) {
        if (!(args.isEmpty() || args.size() == 1 && args.get(0).isEmpty())) {
            throw new IllegalArgumentException("$__" + name + "() takes no arguments, got " + args);
        }
        return value;
    }

    private static int closingParen(String s, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses after position " + open + " in: " + s);
    }

    private static List<String> splitArgs(String s) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                args.add(current.toString().trim());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        args.add(current.toString().trim());
        return args;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))
                ? s.substring(1, s.length() - 1) : s;
    }

    /** Grafana's interval syntax: {@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h}, {@code 1d}, {@code 1w}. */
    static Duration parseInterval(String s) {
        Matcher m = INTERVAL.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Grafana interval: '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** How Grafana renders {@code $__interval}: the largest whole unit, e.g. {@code 1m}, {@code 30s}, {@code 2h}. */
    static String formatInterval(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + d);
        }
        if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }
}
