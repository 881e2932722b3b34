/// A FIFO queue over an array: appends at the back, pops at the front in O(1), compacting the
/// consumed prefix once it dominates.
struct RingBuffer<Element> {
    private var storage: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }
    var first: Element? { isEmpty ? nil : storage[head] }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    mutating func popFirst() -> Element? {
        guard !isEmpty else { return nil }
        let element = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 1024)
            head = 0
        } else if head >= 64 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes and returns every element, oldest first.
    mutating func removeAll() -> [Element] {
        let elements = storage[head...].compactMap { $0 }
        storage.removeAll()
        head = 0
        return elements
    }

    /// Removes the elements `shouldRemove` picks, keeping the order of the rest; returns them.
    mutating func remove(where shouldRemove: (Element) -> Bool) -> [Element] {
        var kept: [Element?] = []
        var removed: [Element] = []
        for element in storage[head...] {
            guard let element else { continue }
            if shouldRemove(element) { removed.append(element) } else { kept.append(element) }
        }
        storage = kept
        head = 0
        return removed
    }

    func contains(where predicate: (Element) -> Bool) -> Bool {
        storage[head...].contains { $0.map(predicate) ?? false }
    }

    func reduce<Result>(_ initial: Result, _ next: (Result, Element) -> Result) -> Result {
        storage[head...].reduce(initial) { result, element in element.map { next(result, $0) } ?? result }
    }
}
