package dev.vigil.feedback;

import java.nio.charset.StandardCharsets;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * Which requests take part in the feedback join. The decision is a pure function of the request
 * id (64 bits of MurmurHash3 x64 of its UTF-8 bytes, a fixed seed): the prediction and its
 * feedback are both kept or both skipped, in every subtask and every JVM, across restarts.
 */
public final class FeedbackSampling {
    /** Fixed forever: changing it changes which requests are sampled. */
    static final long SEED = 0x5EED_F33D_BAC4L;

    private FeedbackSampling() {}

    /** Whether a request with this id is in a sample of the given rate (0 < rate <= 1). */
    public static boolean sampled(String requestId, double rate) {
        if (rate >= 1.0) return true;
        return unitHash(requestId) < rate;
    }

    /** The request id's hash as a uniform number in [0, 1). */
    static double unitHash(String requestId) {
        byte[] bytes = requestId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) return 0; // the parsers never let an empty id through; the hash does not take one
        long h = MurmurHash3.hash(bytes, SEED)[0];
        return (h >>> 11) * 0x1.0p-53;
    }
}
