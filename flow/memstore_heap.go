package flow

// The expiry heap of a MemoryStore: slot positions ordered by expiry, so
// that expired claims are found without scanning. It is written out rather
// than built on container/heap, whose any-typed Push and Pop allocate.

// push adds slot position i to the heap.
func (m *MemoryStore) push(i int32) {
	m.byExpiry = append(m.byExpiry, i)
	h := m.byExpiry
	for c := len(h) - 1; c > 0; {
		p := (c - 1) / 2
		if !m.before(h[c], h[p]) {
			break
		}
		h[c], h[p] = h[p], h[c]
		c = p
	}
}

// pop removes the heap's first position, the one expiring soonest.
func (m *MemoryStore) pop() {
	h := m.byExpiry
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	m.byExpiry = h
	for p := 0; ; {
		c := 2*p + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && m.before(h[r], h[c]) {
			c = r
		}
		if !m.before(h[c], h[p]) {
			return
		}
		h[p], h[c] = h[c], h[p]
		p = c
	}
}

// before reports whether slot position a expires before b.
func (m *MemoryStore) before(a, b int32) bool {
	return m.slots[a].expires.Before(m.slots[b].expires)
}
