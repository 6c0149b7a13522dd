package dev.vigil.baseline;

import dev.vigil.events.DeadLetter;
import dev.vigil.events.DeadLetterRouter;
import dev.vigil.events.InferenceEvent;
import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.ParsedRecord;
import dev.vigil.profile.ProfileAccumulator;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.ProfileMerger;
import dev.vigil.profile.ProfileUpdate;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.SegmentDimension;
import dev.vigil.store.JdbcSettings;
import dev.vigil.store.PostgresSink;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.sink.PrintSink;

/**
 * Builds reference profiles from training or validation data with a bounded job in batch mode,
 * using the same parser, fold and merge as the monitoring job, so a baseline and a live window
 * are profiled exactly alike and compare slot by slot. Writes one {@code reference_profiles} row
 * per model, version and segment under the baseline's name.
 */
public final class BaselineJob {
    /** Everything one baseline run needs. */
    public record Settings(String name, String model, String modelVersion, List<String> inputs,
                           ReferenceDataFormat.Kind format, JdbcSettings database) {}

    private BaselineJob() {}

    public static void define(StreamExecutionEnvironment env, MonitorSpec spec, Settings settings) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        InferenceEventParser parser = InferenceEventParser.forReference(spec, settings.model(), settings.modelVersion());
        java.util.Set<String> dimensions = spec.models().stream()
                .flatMap(m -> m.segments().stream().map(SegmentDimension::name)).collect(Collectors.toSet());
        FileSource<ParsedRecord> files = FileSource.forRecordStreamFormat(
                        new ReferenceDataFormat(settings.format(), parser, dimensions),
                        settings.inputs().stream().map(Path::new).toArray(Path[]::new))
                .build();

        SingleOutputStreamOperator<InferenceEvent> rows = env
                .fromSource(files, WatermarkStrategy.noWatermarks(), "reference data (files)")
                .uid("source-reference-data")
                .process(new DeadLetterRouter())
                .name("route rejected rows")
                .uid("route-rejected-rows");
        rows.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .map(BaselineJob::describe, Types.STRING)
                .name("describe rejected rows")
                .uid("describe-rejected-rows")
                .sinkTo(new PrintSink<>("rejected row", true))
                .name("rejected rows (stderr)")
                .uid("sink-rejected-rows");

        DataStream<ProfileUpdate> partials = rows
                .transform("fold partial profiles", Types.POJO(ProfileUpdate.class), new ProfileAccumulator(spec))
                .uid("fold-partial-profiles");
        SingleOutputStreamOperator<dev.vigil.profile.WindowStatsRow> merged = partials
                .keyBy(update -> update.key.asKey(), Types.STRING)
                .process(new ProfileMerger(spec, true))
                .name("merge reference profiles")
                .uid("merge-reference-profiles");
        merged.sinkTo(new DiscardingSink<>()).name("window stats (unused)").uid("discard-window-stats");

        String name = settings.name();
        String source = String.join(", ", settings.inputs());
        merged.getSideOutput(ProfileMerger.WINDOW_PROFILES)
                .map(p -> row(name, source, p), Types.POJO(ReferenceProfileRow.class))
                .name("reference profile rows")
                .uid("reference-profile-rows")
                .sinkTo(sink(settings.database()))
                .name("reference_profiles (PostgreSQL)")
                .uid("sink-reference-profiles");
    }

    private static String describe(DeadLetter d) {
        return "line " + d.offset + ": " + d.reason + ": " + d.detail;
    }

    private static ReferenceProfileRow row(String name, String source, WindowProfile p) {
        ReferenceProfileRow r = new ReferenceProfileRow();
        r.name = name;
        r.model = p.model;
        r.modelVersion = p.modelVersion;
        r.segment = p.segment;
        r.rowsProfiled = ProfileCodec.decode(p.profile).events();
        r.profile = p.profile;
        r.source = source.length() > 2000 ? source.substring(0, 2000) : source;
        return r;
    }

    private static JdbcSink<ReferenceProfileRow> sink(JdbcSettings db) {
        return PostgresSink.upserting("INSERT INTO reference_profiles (name, model, model_version, segment, rows_profiled, profile, source) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name, model, model_version, segment) DO UPDATE SET "
                        + "rows_profiled = EXCLUDED.rows_profiled, profile = EXCLUDED.profile, source = EXCLUDED.source, created_at = now()",
                (ps, r) -> {
                    ps.setString(1, r.name);
                    ps.setString(2, r.model);
                    ps.setString(3, r.modelVersion);
                    ps.setString(4, r.segment);
                    ps.setLong(5, r.rowsProfiled);
                    ps.setBytes(6, r.profile);
                    ps.setString(7, r.source);
                }, db);
    }
}
