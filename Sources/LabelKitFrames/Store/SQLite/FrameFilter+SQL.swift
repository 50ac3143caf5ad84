import GRDB

extension FrameFilter {
    /// The filter as an SQL condition over the `frame` table, evaluated by SQLite
    /// so that a million-frame selection never decodes a frame in Swift.
    /// Metadata fields go through `lk_compare` (see ``FrameStore``), which applies
    /// ``MetadataComparison/holds(_:_:)`` exactly.
    var sql: SQL {
        switch self {
        case .all:
            return "1"
        case .empty:
            return "frame.roi_count = 0"
        case .label(let label, let present):
            let exists: SQL = "EXISTS (SELECT 1 FROM json_each(frame.labels) WHERE json_each.value = \(label))"
            return present ? exists : "NOT \(exists)"
        case .metadata(let key, let comparison, let value):
            let field: SQL = "(SELECT json_each.value FROM json_each(frame.metadata) WHERE json_each.key = \(key))"
            return "lk_compare(\(field), \(comparison.rawValue), \(value))"
        case .context(let context):
            return "frame.context_id = \(context)"
        case .sourcePrefix(let prefix):
            return "substr(CAST(frame.source_uri AS BLOB), 1, \(prefix.utf8.count)) = CAST(\(prefix) AS BLOB)"
        case .allOf(let filters):
            return filters.isEmpty ? "1" : "(\(filters.map(\.sql).joined(separator: " AND ")))"
        case .anyOf(let filters):
            return filters.isEmpty ? "0" : "(\(filters.map(\.sql).joined(separator: " OR ")))"
        case .not(let filter):
            return "NOT (\(filter.sql))"
        }
    }
}
