package dev.vigil.feedback;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.ParsedFeedback;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type of the feedback join that flows between operators or sits in state is a Flink POJO: no silent Kryo fallback. */
class FeedbackTypesTest {
    @ParameterizedTest
    @ValueSource(classes = {ParsedFeedback.class, FeedbackEvent.class, Outcome.class, RequestState.class, RequestState.WaitingFeedback.class})
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
