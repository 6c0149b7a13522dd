-- Traffic: observed and expected events per bucket, for the expected band in Grafana.

-- One row per bucket of a model (all versions summed) and segment. Rewritten when late events
-- change the bucket's count.
CREATE TABLE traffic_expectations (
    model            text             NOT NULL,
    segment          text             NOT NULL,  -- 'all' or '<dimension>=<value>'
    bucket_start     timestamptz      NOT NULL,
    bucket_end       timestamptz      NOT NULL,
    observed         bigint           NOT NULL,  -- events in the bucket
    expected         double precision,           -- median of the same slot in past seasons; null before min-history
    spread           double precision,           -- robust spread of the expected count
    deviations       double precision,           -- (observed - expected) / spread; negative for a drop
    season           text,                       -- 'day' or 'week': which past slots the baseline uses
    history_seasons  integer          NOT NULL,  -- how many past seasons (0 without a baseline)
    breached         text,                       -- null, 'warning' or 'critical'
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model, segment, bucket_start)
);

CREATE INDEX traffic_expectations_model_time ON traffic_expectations (model, bucket_start);

GRANT SELECT ON traffic_expectations TO vigil_reader;
