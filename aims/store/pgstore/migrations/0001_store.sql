-- The document store: the current revision of every document and the
-- history of every change (ISO/IEC 42001 clause 7.5.3).
--
-- The migration runner sets search_path to the store's schema, so names
-- here are unqualified.

-- documents holds the current revision of each document. data is the
-- JSON object exactly as written (bytea, not jsonb, which would reorder
-- members). kind and id use the "C" collation so that the primary key
-- index gives the byte-wise order that List returns.
CREATE TABLE documents (
    kind       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    revision   bigint NOT NULL CHECK (revision > 0),
    data       bytea NOT NULL,
    updated    timestamptz NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (kind, id)
);

-- history holds one row per revision of each document, including
-- deletes, which have no data and no digest. It outlives the document, so
-- that a document created again continues the revision numbering.
CREATE TABLE history (
    kind     text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    revision bigint NOT NULL CHECK (revision > 0),
    op       text NOT NULL CHECK (op IN ('put', 'delete')),
    "time"   timestamptz NOT NULL,
    actor    text NOT NULL,
    reason   text NOT NULL DEFAULT '',
    digest   text NOT NULL DEFAULT '',
    data     bytea,
    PRIMARY KEY (kind, id, revision),
    CHECK ((op = 'put') = (data IS NOT NULL))
);
