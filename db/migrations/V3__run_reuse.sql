-- A run that reuses a memoized phase execution of an earlier run (same execution key) records
-- the reuse here, so its audit still lists that execution and its outputs although no new
-- phase_execution row was written for the run.
CREATE TABLE run_reuse (
    run_id              BIGINT      NOT NULL REFERENCES run (id),
    phase_execution_id  BIGINT      NOT NULL REFERENCES phase_execution (id),
    reused_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, phase_execution_id)
);
CREATE INDEX run_reuse_execution_idx ON run_reuse (phase_execution_id);
