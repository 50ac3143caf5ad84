import GRDB
import LabelKitStore

extension FrameStore {
    /// The schema. Frames keep their fields as columns (filters run in SQL); a
    /// task's snapshot is two little-endian Int64 blobs (frame row ids in sort
    /// order, unit bounds), so snapshotting a million frames is one row write.
    /// Namespace `frames` in the shared database (its first step was recorded as
    /// `v1` before namespacing). Metadata filters call `lk_compare`.
    public static let schema = Schema("frames") { schema in
        schema.function(compareFunction)
        schema.migration("v1", legacyID: "v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE frame (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        context_id TEXT NOT NULL,
                        timestamp_ms INTEGER NOT NULL,
                        source_frame INTEGER,
                        source_uri TEXT NOT NULL,
                        width INTEGER,
                        height INTEGER,
                        labels TEXT NOT NULL,
                        metadata TEXT NOT NULL,
                        roi_count INTEGER NOT NULL
                    );
                    CREATE INDEX frame_order ON frame (context_id, timestamp_ms, id);
                    CREATE TABLE task (
                        id TEXT PRIMARY KEY NOT NULL,
                        json TEXT NOT NULL,
                        version INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE task_snapshot (
                        task_id TEXT PRIMARY KEY NOT NULL REFERENCES task(id),
                        frames BLOB NOT NULL,
                        units BLOB NOT NULL
                    );
                    CREATE TABLE stream (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        name TEXT NOT NULL,
                        state TEXT NOT NULL,
                        PRIMARY KEY (task_id, name)
                    );
                    CREATE TABLE label_lock (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        user TEXT NOT NULL,
                        unit INTEGER NOT NULL,
                        expires_at REAL NOT NULL,
                        PRIMARY KEY (task_id, user)
                    );
                    CREATE TABLE label_mark (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        unit INTEGER NOT NULL,
                        user TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        at REAL NOT NULL,
                        result TEXT,
                        PRIMARY KEY (task_id, unit, user)
                    );
                    CREATE TABLE annotator (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        user TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        deferred TEXT NOT NULL,
                        PRIMARY KEY (task_id, user)
                    );
                    """)
        }
        // The label stream's write log (``LabelLog``).
        schema.migration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE label_log (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        version INTEGER NOT NULL,
                        idx INTEGER NOT NULL,
                        write TEXT NOT NULL,
                        PRIMARY KEY (task_id, version, idx)
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// `lk_compare(field, op, value)`: ``MetadataComparison/holds(_:_:)`` for SQL filters.
    static let compareFunction = DatabaseFunction("lk_compare", argumentCount: 3, pure: true) { values in
        let field = String.fromDatabaseValue(values[0])
        guard let op = String.fromDatabaseValue(values[1]).flatMap(MetadataComparison.init(rawValue:)),
            let value = String.fromDatabaseValue(values[2])
        else { return false }
        return op.holds(field, value)
    }
}
