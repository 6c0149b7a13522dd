package dev.vigil.traffic;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The traffic and silence types that flow between operators or sit in state are Flink POJOs: no Kryo. */
class TrafficTypesTest {
    @ParameterizedTest
    @ValueSource(classes = {ModelActivity.class, SilenceTrack.class, TrafficExpectationRow.class})
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
