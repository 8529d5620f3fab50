-- TRUNCATE does not fire the row-level append-only trigger of V1, so an empty audit log would
-- still verify as an intact chain. Refuse TRUNCATE too.
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
