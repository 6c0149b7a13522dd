-- Model performance per prediction-time window, segment and metric, from the ground truth joined
-- so far. Late labels rewrite the rows of the window their prediction belongs to (upsert on the
-- natural key) for as long as the feedback join keeps the prediction (feedback.ttl).

CREATE TABLE performance_metrics (
    model            text             NOT NULL,
    model_version    text             NOT NULL,
    segment          text             NOT NULL,  -- 'all' or '<dimension>=<value>'
    window_start     timestamptz      NOT NULL,  -- prediction time (performance.window)
    window_end       timestamptz      NOT NULL,
    metric           text             NOT NULL,  -- e.g. accuracy, roc_auc, mae, label_coverage, label_delay_p50_ms
    value            double precision NOT NULL,
    labels           bigint           NOT NULL,  -- labels behind the value
    predictions      bigint           NOT NULL,  -- sampled predictions of the window and segment
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model, model_version, segment, window_start, metric)
);

-- One metric of a model over time (Grafana performance panels).
CREATE INDEX performance_metrics_model_metric_time ON performance_metrics (model, metric, window_start);

GRANT SELECT ON performance_metrics TO vigil_reader;
