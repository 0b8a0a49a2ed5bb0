-- The evidence log: one hash-linked chain of records and a Merkle tree
-- over them, shared by every instance that appends.

-- evidence holds the log's lines, the exact bytes of a JSON Lines log
-- without newlines, by index from 0.
CREATE TABLE evidence (
    idx         bigint      PRIMARY KEY CHECK (idx >= 0),
    record_id   uuid        NOT NULL UNIQUE,
    line        bytea       NOT NULL,
    appended_at timestamptz NOT NULL DEFAULT now()
);

-- evidence_checkpoints holds the signed checkpoints (C2SP signed notes)
-- by tree size.
CREATE TABLE evidence_checkpoints (
    size       bigint      PRIMARY KEY CHECK (size > 0),
    note       bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- evidence_head is where the next append starts: the number of records,
-- the chain state (link hash of the last line and the roots of the
-- Merkle tree's perfect subtrees) and the size of the latest checkpoint.
-- Appends lock it; Verify checks it against the lines.
CREATE TABLE evidence_head (
    only_row        boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    size            bigint  NOT NULL CHECK (size >= 0),
    chain           bytea   NOT NULL,
    checkpoint_size bigint  NOT NULL DEFAULT 0
);

-- Records and checkpoints are never changed or removed.
CREATE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'aimskit: the evidence log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'raise_exception', HINT = 'evidence records and checkpoints are never changed or removed';
END
$$;

CREATE TRIGGER evidence_append_only
    BEFORE UPDATE OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_no_truncate
    BEFORE TRUNCATE ON evidence
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON evidence_checkpoints
    FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_checkpoints_no_truncate
    BEFORE TRUNCATE ON evidence_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();
