package dev.vigil.pipeline;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import dev.vigil.events.DeadLetter;
import dev.vigil.events.InferenceEvent;
import dev.vigil.events.ParsedRecord;
import dev.vigil.profile.FeatureStatsRow;
import dev.vigil.profile.ProfileUpdate;
import dev.vigil.profile.WindowKey;
import dev.vigil.profile.WindowStatsRow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type that flows between operators or sits in state is a Flink POJO: no silent Kryo fallback. */
class SerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {
        ParsedRecord.class, InferenceEvent.class, DeadLetter.class, ProfileUpdate.class, WindowKey.class,
        WindowStatsRow.class, FeatureStatsRow.class
    })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
