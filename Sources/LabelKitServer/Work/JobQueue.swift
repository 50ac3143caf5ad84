/// A first-in, first-out ring of jobs with a fixed capacity. A slot is cleared
/// the moment its job is taken, so nothing a finished job captured (a request
/// body, a decoded image) outlives it in the queue.
///
///     var queue = JobQueue(capacity: 2)
///     queue.append { print("a") }    // true
///     queue.append { print("b") }    // true
///     queue.append { print("c") }    // false: full
///     queue.popFirst()?()            // prints "a"; its slot is empty again
///
/// - Complexity: O(1) per operation; memory is `capacity` slots, allocated once.
struct JobQueue {
    /// A job: runs once, on a pool thread.
    typealias Job = @Sendable () -> Void

    private var slots: [Job?]
    private var head = 0
    /// Jobs waiting.
    private(set) var count = 0

    /// An empty queue for at most `capacity` jobs.
    init(capacity: Int) {
        slots = Array(repeating: nil, count: max(1, capacity))
    }

    /// The most jobs the queue holds.
    var capacity: Int { slots.count }

    /// True when no job waits.
    var isEmpty: Bool { count == 0 }

    /// Adds a job at the end; false (and nothing kept) when the queue is full.
    mutating func append(_ job: @escaping Job) -> Bool {
        guard count < slots.count else { return false }
        var tail = head + count
        if tail >= slots.count { tail -= slots.count }
        slots[tail] = job
        count += 1
        return true
    }

    /// Takes the oldest job out, clearing its slot.
    mutating func popFirst() -> Job? {
        guard count > 0 else { return nil }
        let job = slots[head]
        slots[head] = nil
        head += 1
        if head == slots.count { head = 0 }
        count -= 1
        return job
    }
}
