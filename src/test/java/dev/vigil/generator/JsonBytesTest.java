package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

    @Test
    void writesObjectsNumbersAndStrings() {
        JsonBytes j = new JsonBytes();
        j.beginObject()
                .name("a").number(125.4, 2)
                .name("b").number(-3.14159, 3)
                .name("c").number(0.0004, 3)
                .name("d").number(-0.0004, 2)
                .name("e").number(1234567L)
                .name("f").number(7.0, 0)
                .name("g").string("quote \" backslash \\ newline \n tab \t ctrl \u0001 umlaut \u00fc")
                .name("h").nul()
                .name("i").bool(true)
                .name("j").beginObject().endObject()
                .name("k").beginArray().element().number(1).element().number(2).endArray()
                .endObject();
        assertThat(j.asString()).isEqualTo("{\"a\":125.40,\"b\":-3.142,\"c\":0.000,\"d\":0.00,\"e\":1234567,\"f\":7,"
                + "\"g\":\"quote \\\" backslash \\\\ newline \\n tab \\t ctrl \\u0001 umlaut \u00fc\","
                + "\"h\":null,\"i\":true,\"j\":{},\"k\":[1,2]}");
    }

    @Test
    void writesIsoTimestampsWithMilliseconds() {
        JsonBytes j = new JsonBytes();
        long t = Instant.parse("2026-11-27T08:00:00.125Z").toEpochMilli();
        assertThat(j.reset().isoTimestamp(t).asString()).isEqualTo("\"2026-11-27T08:00:00.125Z\"");
        assertThat(j.reset().isoTimestamp(t + 86_399_875L).asString()).isEqualTo("\"2026-11-28T08:00:00.000Z\"");
        long y1999 = Instant.parse("1999-02-28T23:59:59.009Z").toEpochMilli();
        assertThat(j.reset().isoTimestamp(y1999).asString()).isEqualTo("\"1999-02-28T23:59:59.009Z\"");
    }
}
