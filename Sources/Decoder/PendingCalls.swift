/// The calls in progress, per thread. Most of the time one call is in flight and returns before
/// any other starts (a single-threaded program): that one lives in a slot, without the hashing
/// a dictionary costs on every entry and exit; the others live in a dictionary.
public struct PendingCalls<Value> {
    @usableFromInline var slotKey: UInt32?
    @usableFromInline var slotValue: Value?
    @usableFromInline var others: [UInt32: Value] = [:]

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { slotKey == nil && others.isEmpty }

    @inlinable public subscript(key: UInt32) -> Value? {
        get {
            if key == slotKey { return slotValue }
            return others.isEmpty ? nil : others[key]
        }
        set {
            if key == slotKey {
                if newValue == nil { slotKey = nil }
                slotValue = newValue
            } else if newValue != nil && slotKey == nil && others.isEmpty {
                slotKey = key
                slotValue = newValue
            } else {
                others[key] = newValue
            }
        }
    }

    /// Store `value` as `key`'s call, moved in (the subscript's setter copies its new value,
    /// and a call's arrays are retained and released for it).
    @inlinable public mutating func insert(_ value: consuming Value, forKey key: UInt32) {
        if key == slotKey || (slotKey == nil && others.isEmpty) {
            slotKey = key
            slotValue = value
        } else {
            others[key] = value
        }
    }

    @inlinable public mutating func removeValue(forKey key: UInt32) -> Value? {
        if key == slotKey {
            slotKey = nil
            return slotValue.take()  // moved out: no copy of the call's arrays
        }
        return others.isEmpty ? nil : others.removeValue(forKey: key)
    }

    /// The threads with a call in progress, in no particular order.
    @inlinable public var keys: [UInt32] { (slotKey.map { [$0] } ?? []) + others.keys }

    /// Whether every call in progress passes `test`.
    @inlinable public func allSatisfy(_ test: (Value) -> Bool) -> Bool {
        if slotKey != nil, let v = slotValue, !test(v) { return false }
        return others.isEmpty || others.values.allSatisfy(test)
    }

    /// Visit every call in progress, changing it in place (no copy of the storage, no array of
    /// keys: this runs whenever another thread's record arrives).
    @inlinable public mutating func updateEach(_ body: (UInt32, inout Value) -> Void) {
        if let key = slotKey, slotValue != nil { body(key, &slotValue!) }
        var i = others.startIndex
        while i != others.endIndex {
            body(others.keys[i], &others.values[i])
            others.formIndex(after: &i)
        }
    }
}
