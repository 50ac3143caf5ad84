import PostgresNIO

extension PostgresFrameDatabase {
    /// The schema's steps by id (recorded as `frames/<id>` in `labelkit_migrations`).
    /// The columns are the SQLite schema's; `"user"` is quoted (a reserved word
    /// here), strings sort with the `C` collation (UTF-8 byte order, the spec's).
    static let migrations: [(id: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE TABLE frame (
                    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id TEXT COLLATE "C" NOT NULL UNIQUE,
                    context_id TEXT COLLATE "C" NOT NULL,
                    timestamp_ms BIGINT NOT NULL,
                    source_frame BIGINT,
                    source_uri TEXT COLLATE "C" NOT NULL,
                    width BIGINT,
                    height BIGINT,
                    labels TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    roi_count BIGINT NOT NULL
                )
                """,
                "CREATE INDEX frame_order ON frame (context_id, timestamp_ms, id)",
                "CREATE TABLE task (id TEXT PRIMARY KEY, json TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 0)",
                """
                CREATE TABLE task_snapshot (
                    task_id TEXT PRIMARY KEY REFERENCES task(id), frames BYTEA NOT NULL, units BYTEA NOT NULL)
                """,
                """
                CREATE TABLE stream (
                    task_id TEXT NOT NULL REFERENCES task(id), name TEXT NOT NULL, state TEXT NOT NULL,
                    PRIMARY KEY (task_id, name))
                """,
                """
                CREATE TABLE label_lock (
                    task_id TEXT NOT NULL REFERENCES task(id), "user" TEXT NOT NULL, unit BIGINT NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (task_id, "user"))
                """,
                """
                CREATE TABLE label_mark (
                    task_id TEXT NOT NULL REFERENCES task(id), unit BIGINT NOT NULL, "user" TEXT NOT NULL,
                    kind TEXT NOT NULL, seq BIGINT NOT NULL, at DOUBLE PRECISION NOT NULL, result TEXT,
                    PRIMARY KEY (task_id, unit, "user"))
                """,
                """
                CREATE TABLE annotator (
                    task_id TEXT NOT NULL REFERENCES task(id), "user" TEXT NOT NULL, position BIGINT NOT NULL,
                    deferred TEXT NOT NULL, PRIMARY KEY (task_id, "user"))
                """,
                // The writes of each version, so a replica's cached board catches up
                // by replaying a few rows instead of reading the task whole.
                """
                CREATE TABLE label_log (
                    task_id TEXT NOT NULL REFERENCES task(id), version BIGINT NOT NULL, idx INT NOT NULL,
                    write TEXT NOT NULL, PRIMARY KEY (task_id, version, idx))
                """,
            ]
        )
    ]
}
