-- Vigil metrics store: profiles per model version, segment and event-time window.
-- Every table has a natural primary key, so the job's at-least-once sinks upsert and a replay
-- after a failure overwrites rows instead of counting twice.

CREATE TABLE window_stats (
    model               text             NOT NULL,
    model_version       text             NOT NULL,
    segment             text             NOT NULL,  -- 'all', or '<dimension>=<value>', '<dimension>=other'
    window_start        timestamptz      NOT NULL,
    window_end          timestamptz      NOT NULL,
    events              bigint           NOT NULL,
    errors              bigint           NOT NULL,
    error_rate          double precision,
    fallbacks           bigint           NOT NULL,
    late_events_dropped bigint           NOT NULL DEFAULT 0, -- arrived after the allowed lateness (segment 'all' only)
    folded_values       integer          NOT NULL DEFAULT 0, -- distinct values folded into '<dimension>=other'
    latency_count       bigint           NOT NULL,
    latency_mean_ms     double precision,
    latency_p50_ms      double precision,
    latency_p90_ms      double precision,
    latency_p95_ms      double precision,
    latency_p99_ms      double precision,
    latency_max_ms      double precision,
    score_count         bigint           NOT NULL,       -- classifiers: the score; regression: the predicted value
    score_mean          double precision,
    score_p05           double precision,
    score_p25           double precision,
    score_p50           double precision,
    score_p75           double precision,
    score_p95           double precision,
    label_counts        jsonb            NOT NULL DEFAULT '{}'::jsonb,  -- predicted label -> count
    latency_sketch      bytea,                           -- KLL sketch (DataSketches) of the latencies
    score_sketch        bytea,                           -- KLL sketch of the scores / values
    updated_at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model, model_version, segment, window_start)
);

-- "This model, this time range", across versions and segments (Grafana panels, the demo summary).
CREATE INDEX window_stats_model_time ON window_stats (model, window_start);

CREATE TABLE feature_stats (
    model              text             NOT NULL,
    model_version      text             NOT NULL,
    segment            text             NOT NULL,
    window_start       timestamptz      NOT NULL,
    window_end         timestamptz      NOT NULL,
    feature            text             NOT NULL,
    feature_type       text             NOT NULL CHECK (feature_type IN ('numeric', 'categorical')),
    count              bigint           NOT NULL,  -- values profiled: finite numbers / present categories
    missing            bigint           NOT NULL,  -- null or absent
    type_mismatch      bigint           NOT NULL,  -- value of the wrong JSON type
    nan_or_infinite    bigint           NOT NULL DEFAULT 0,
    out_of_range       bigint           NOT NULL DEFAULT 0,  -- outside the spec's range (still profiled)
    unexpected         bigint           NOT NULL DEFAULT 0,  -- not in the spec's categories
    unexpected_share   double precision,
    min                double precision,
    max                double precision,
    mean               double precision,
    p01                double precision,
    p05                double precision,
    p25                double precision,
    p50                double precision,
    p75                double precision,
    p95                double precision,
    p99                double precision,
    distinct_estimate  double precision,
    top_values         jsonb,          -- [{"value": ..., "count": ...}], most frequent first
    updated_at         timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model, model_version, segment, window_start, feature)
);

CREATE INDEX feature_stats_model_feature_time ON feature_stats (model, feature, window_start);

CREATE TABLE dead_letters (
    id                 bigserial        PRIMARY KEY,
    topic              text             NOT NULL,
    kafka_partition    integer          NOT NULL,
    kafka_offset       bigint           NOT NULL,
    received_at        timestamptz      NOT NULL,
    reason             text             NOT NULL,
    detail             text             NOT NULL,
    model              text,
    payload            text             NOT NULL,  -- UTF-8, cut to the job's --dead-letter-payload-bytes
    payload_bytes      integer          NOT NULL,  -- size of the original record
    payload_truncated  boolean          NOT NULL,
    UNIQUE (topic, kafka_partition, kafka_offset)   -- a replayed record is stored once
);

CREATE INDEX dead_letters_received ON dead_letters (received_at);
CREATE INDEX dead_letters_model_received ON dead_letters (model, received_at);

-- Read-only access for dashboards and analysts. The role cannot log in until an operator gives
-- it a password (vigil init-db does when VIGIL_READER_PASSWORD is set).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil_reader') THEN
        CREATE ROLE vigil_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO vigil_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO vigil_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO vigil_reader;
