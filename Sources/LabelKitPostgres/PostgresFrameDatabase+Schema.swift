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
        ),
        (
            // One label operation in one call: the version moves (only from the
            // expected one, when given), then the log rows and the row writes
            // (arrays, one element per row; plans cached per connection). When
            // the version had moved on, the writes since the expected version come
            // back instead: each statement of a volatile function sees what was
            // committed before it ran, so the rows of a writer this call waited
            // for are there too.
            "v2",
            [
                #"""
                CREATE OR REPLACE FUNCTION labelkit_label_write(
                    p_task TEXT, p_expected BIGINT, p_version BIGINT, p_log TEXT[], p_prune_through BIGINT,
                    p_kinds TEXT[], p_users TEXT[], p_units BIGINT[], p_reals DOUBLE PRECISION[],
                    p_marks TEXT[], p_numbers BIGINT[], p_texts TEXT[], p_has_text BOOLEAN[])
                RETURNS TABLE (o_stored BOOLEAN, o_version BIGINT, o_log_version BIGINT, o_log_write TEXT)
                LANGUAGE plpgsql VOLATILE AS $$
                DECLARE
                    v_current BIGINT;
                    i INT;
                BEGIN
                    IF p_expected IS NULL THEN
                        UPDATE task SET version = p_version WHERE id = p_task;
                    ELSE
                        -- Moved on already: answer without queueing for the row's lock.
                        SELECT t.version INTO v_current FROM task t WHERE t.id = p_task;
                        IF v_current = p_expected THEN
                            UPDATE task SET version = p_version WHERE id = p_task AND version = p_expected;
                        END IF;
                    END IF;
                    IF v_current IS DISTINCT FROM p_expected OR NOT FOUND THEN
                        SELECT t.version INTO v_current FROM task t WHERE t.id = p_task;
                        IF v_current IS NULL THEN RETURN; END IF;
                        RETURN QUERY SELECT false, v_current, NULL::BIGINT, NULL::TEXT;
                        RETURN QUERY SELECT false, v_current, l.version, l.write FROM label_log l
                            WHERE l.task_id = p_task AND l.version > p_expected AND l.version <= v_current
                            ORDER BY l.version, l.idx;
                        RETURN;
                    END IF;
                    INSERT INTO label_log (task_id, version, idx, write)
                        SELECT p_task, p_version, (u.o - 1)::INT, u.w FROM unnest(p_log) WITH ORDINALITY AS u(w, o);
                    FOR i IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
                        IF p_kinds[i] = 'lock' THEN
                            INSERT INTO label_lock AS r (task_id, "user", unit, expires_at)
                                VALUES (p_task, p_users[i], p_units[i], p_reals[i])
                                ON CONFLICT (task_id, "user") DO UPDATE
                                SET unit = excluded.unit, expires_at = excluded.expires_at;
                        ELSIF p_kinds[i] = 'unlock' THEN
                            DELETE FROM label_lock r WHERE r.task_id = p_task AND r."user" = p_users[i];
                        ELSIF p_kinds[i] = 'mark' THEN
                            INSERT INTO label_mark AS r (task_id, unit, "user", kind, seq, at, result)
                                VALUES (p_task, p_units[i], p_users[i], p_marks[i], p_numbers[i], p_reals[i],
                                    CASE WHEN p_has_text[i] THEN p_texts[i] END)
                                ON CONFLICT (task_id, unit, "user") DO UPDATE
                                SET kind = excluded.kind, seq = excluded.seq, at = excluded.at, result = excluded.result;
                        ELSE
                            INSERT INTO annotator AS r (task_id, "user", position, deferred)
                                VALUES (p_task, p_users[i], p_numbers[i], p_texts[i])
                                ON CONFLICT (task_id, "user") DO UPDATE
                                SET position = excluded.position, deferred = excluded.deferred;
                        END IF;
                    END LOOP;
                    IF p_prune_through IS NOT NULL THEN
                        DELETE FROM label_log l WHERE l.task_id = p_task AND l.version <= p_prune_through;
                    END IF;
                    RETURN QUERY SELECT true, p_version, NULL::BIGINT, NULL::TEXT;
                END
                $$
                """#
            ]
        ),
    ]
}
