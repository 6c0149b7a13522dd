package dev.vigil.generator;

import java.util.List;

/** A scenario that cannot be used; {@link #problems()} names each entry index and field. */
public final class ScenarioException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ScenarioException(String source, List<String> problems) {
        super("invalid scenario" + (source == null ? "" : " " + source) + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One message per problem, each starting with its location, e.g. {@code incidents[2].duration: ...}. */
    public List<String> problems() {
        return problems;
    }
}
