-- Salmon Run lineage model (DESIGN.md, "Lineage model"). Released migrations are never
-- edited: change the schema with a new V<n>__*.sql file.

-- Principle sets are immutable versions keyed by the hash of their canonical content.
CREATE TABLE principle_set (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL,
    content_hash  CHAR(64)    NOT NULL UNIQUE,
    parent_id     BIGINT      REFERENCES principle_set (id),
    document      JSONB       NOT NULL,            -- the canonical set as imported
    created_by    TEXT        NOT NULL,
    note          TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX principle_set_name_idx ON principle_set (name, created_at);

CREATE TABLE principle (
    id                   BIGSERIAL PRIMARY KEY,
    principle_set_id     BIGINT  NOT NULL REFERENCES principle_set (id),
    position             INT     NOT NULL,
    role                 TEXT    NOT NULL CHECK (role IN ('self_align', 'labelling', 'rl', 'intervention')),
    name                 TEXT    NOT NULL,
    definition           TEXT    NOT NULL CHECK (length(btrim(definition)) > 0),
    negative_definition  TEXT,
    weight               DOUBLE PRECISION NOT NULL CHECK (weight >= 0),
    UNIQUE (principle_set_id, role, name),
    UNIQUE (principle_set_id, position)
);

CREATE TABLE exemplar_set (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL,
    content_hash  CHAR(64)    NOT NULL UNIQUE,
    document      JSONB       NOT NULL,
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE exemplar (
    id                 BIGSERIAL PRIMARY KEY,
    exemplar_set_id    BIGINT NOT NULL REFERENCES exemplar_set (id),
    position           INT    NOT NULL,
    instruction        TEXT   NOT NULL,
    internal_thoughts  TEXT   NOT NULL,
    response           TEXT   NOT NULL,
    UNIQUE (exemplar_set_id, position)
);

-- One row per SALMON run (the SalmonRun workflow id), whatever phases it ran.
CREATE TABLE run (
    id           BIGSERIAL PRIMARY KEY,
    workflow_id  TEXT        NOT NULL UNIQUE,
    spec         JSONB       NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    started_by   TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);

-- One row per phase execution. idempotency_key is what a retried attempt repeats
-- (workflow id + activity id), so a retry finds its row instead of adding one;
-- execution_key hashes the inputs (phase, code version, config, input hashes,
-- principle-set hash) and is what memoization looks up.
CREATE TABLE phase_execution (
    id                BIGSERIAL PRIMARY KEY,
    run_id            BIGINT      REFERENCES run (id),
    phase             TEXT        NOT NULL,
    idempotency_key   TEXT        NOT NULL UNIQUE,
    execution_key     CHAR(64)    NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    attempt           INT         NOT NULL DEFAULT 1,
    worker_identity   TEXT,
    principle_set_id  BIGINT      REFERENCES principle_set (id),
    exemplar_set_id   BIGINT      REFERENCES exemplar_set (id),
    config            JSONB       NOT NULL DEFAULT '{}',
    metrics           JSONB       NOT NULL DEFAULT '{}',
    outputs           JSONB       NOT NULL DEFAULT '{}',   -- named output artifact ids
    error             TEXT,
    started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at       TIMESTAMPTZ
);
CREATE INDEX phase_execution_run_idx ON phase_execution (run_id);
CREATE INDEX phase_execution_memo_idx ON phase_execution (execution_key, status);

-- Per-step training figures (loss, reward, KL ...); upserted, so retries never duplicate.
CREATE TABLE training_metric (
    phase_execution_id  BIGINT      NOT NULL REFERENCES phase_execution (id),
    step                INT         NOT NULL,
    metrics             JSONB       NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (phase_execution_id, step)
);

-- Artifacts are content-addressed files in the artifact store. The same bytes registered
-- twice by the same producer are one row.
CREATE TABLE artifact (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT        NOT NULL,
    sha256       CHAR(64)    NOT NULL,
    uri          TEXT        NOT NULL,
    bytes        BIGINT      NOT NULL CHECK (bytes >= 0),
    metadata     JSONB       NOT NULL DEFAULT '{}',
    produced_by  BIGINT      REFERENCES phase_execution (id),
    run_id       BIGINT      REFERENCES run (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kind, sha256, produced_by)
);
CREATE INDEX artifact_run_idx ON artifact (run_id);
CREATE INDEX artifact_producer_idx ON artifact (produced_by);
CREATE INDEX artifact_sha_idx ON artifact (sha256);

-- Lineage edges: artifact_id was made from input_artifact_id.
CREATE TABLE artifact_input (
    artifact_id        BIGINT NOT NULL REFERENCES artifact (id),
    input_artifact_id  BIGINT NOT NULL REFERENCES artifact (id),
    role               TEXT   NOT NULL DEFAULT 'input',
    PRIMARY KEY (artifact_id, input_artifact_id, role),
    CHECK (artifact_id <> input_artifact_id)
);
CREATE INDEX artifact_input_reverse_idx ON artifact_input (input_artifact_id);

-- Append-only, hash-chained audit log: hash = sha256(prev_hash || canonical row).
CREATE TABLE audit_event (
    id          BIGSERIAL PRIMARY KEY,
    run_id      BIGINT      REFERENCES run (id),
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    reason      TEXT,
    payload     JSONB       NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    prev_hash   CHAR(64)    NOT NULL,
    hash        CHAR(64)    NOT NULL UNIQUE
);
CREATE INDEX audit_event_run_idx ON audit_event (run_id, id);

CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
