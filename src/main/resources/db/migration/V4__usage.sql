-- Usage and adoption: how each model version's predictions of a prediction-time window were
-- served (errors, fallbacks) and what people did with them (accepted, overridden, ignored,
-- escalated). Counts are of the predictions sampled for the feedback join. Late feedback
-- rewrites the row of the window its prediction belongs to (upsert on the natural key).

CREATE TABLE usage_stats (
    model            text             NOT NULL,
    model_version    text             NOT NULL,
    segment          text             NOT NULL,  -- 'all' or '<dimension>=<value>'
    window_start     timestamptz      NOT NULL,  -- prediction time (adoption.window)
    window_end       timestamptz      NOT NULL,
    predictions      bigint           NOT NULL,  -- sampled predictions
    errors           bigint           NOT NULL,
    fallbacks        bigint           NOT NULL,
    feedback         bigint           NOT NULL,  -- predictions with a user action
    accepted         bigint           NOT NULL,
    overridden       bigint           NOT NULL,
    ignored          bigint           NOT NULL,
    escalated        bigint           NOT NULL,
    acceptance_rate  double precision,           -- accepted / feedback
    override_rate    double precision,           -- overridden / feedback
    ignore_rate      double precision,           -- ignored / feedback
    escalation_rate  double precision,           -- escalated / feedback
    fallback_rate    double precision,           -- fallbacks / predictions
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model, model_version, segment, window_start)
);

-- "This model, this time range" (Grafana adoption panels).
CREATE INDEX usage_stats_model_time ON usage_stats (model, window_start);

GRANT SELECT ON usage_stats TO vigil_reader;
