-- Drift: reference profiles, drift scores per evaluation, and alerts with a lifecycle.

-- A reference profile: what a model version's inputs and outputs looked like in training or
-- validation data, as serialized sketch profiles per segment (ProfileCodec format).
CREATE TABLE reference_profiles (
    name           text         NOT NULL,  -- e.g. fraud-scorer-train-2026-11
    model          text         NOT NULL,
    model_version  text         NOT NULL,
    segment        text         NOT NULL,  -- 'all' or '<dimension>=<value>'
    rows_profiled  bigint       NOT NULL,
    profile        bytea        NOT NULL,  -- SegmentProfile in ProfileCodec format
    source         text         NOT NULL,  -- the files it was built from
    created_at     timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (name, model, model_version, segment)
);

-- One row per drift evaluation of a feature (or the prediction) in a segment.
CREATE TABLE drift_scores (
    model             text             NOT NULL,
    model_version     text             NOT NULL,
    segment           text             NOT NULL,
    feature           text             NOT NULL,  -- a feature name, or 'prediction'
    evaluated_at      timestamptz      NOT NULL,  -- end of the drift window (event time)
    window_start      timestamptz      NOT NULL,
    reference         text             NOT NULL,  -- baseline name or 'trailing:<offset>'
    samples           bigint           NOT NULL,
    reference_samples bigint           NOT NULL,
    psi               double precision,
    js_distance       double precision,
    ks_distance       double precision,
    wasserstein       double precision,  -- normalized by the reference's spread
    linf              double precision,
    chi_square        double precision,
    chi_square_p      double precision,
    unseen_share      double precision,  -- share of current values never seen in the reference
    missing_rate      double precision,
    reference_missing_rate double precision,
    out_of_range_rate double precision,
    reference_out_of_range_rate double precision,
    breached          text,              -- null, 'warning' or 'critical'
    explanation       text,
    updated_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model, model_version, segment, feature, evaluated_at)
);

CREATE INDEX drift_scores_model_time ON drift_scores (model, evaluated_at);

-- Alerts from every detector (drift, data quality, service health, usage, performance).
CREATE TABLE alerts (
    alert_id       text         PRIMARY KEY,  -- stable: key + opened time, so replays upsert
    model          text         NOT NULL,
    model_version  text         NOT NULL,
    segment        text         NOT NULL,
    feature        text         NOT NULL,     -- feature name, 'prediction', or '' when not about a feature
    kind           text         NOT NULL,     -- e.g. drift_psi, missing_rate, error_rate, latency_p99
    severity       text         NOT NULL CHECK (severity IN ('warning', 'critical')),
    status         text         NOT NULL CHECK (status IN ('open', 'resolved')),
    opened_at      timestamptz  NOT NULL,     -- event time of the first breaching evaluation
    fired_at       timestamptz  NOT NULL,     -- event time of the evaluation that opened the alert
    updated_at     timestamptz  NOT NULL,     -- event time of the latest change
    resolved_at    timestamptz,
    score          double precision,
    threshold      double precision,
    explanation    text         NOT NULL
);

CREATE INDEX alerts_model_opened ON alerts (model, opened_at);
CREATE INDEX alerts_open ON alerts (status) WHERE status = 'open';

GRANT SELECT ON reference_profiles, drift_scores, alerts TO vigil_reader;
