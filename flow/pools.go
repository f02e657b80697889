package flow

import "sync"

// The flow's pools: buffers for values that are copied out before the
// buffer is put back. They serve the per-request path that the benchmarks
// measure (BenchmarkStep); nothing else is pooled.

// scratchBuffers holds buffers for a state's plaintext and sealed bytes, a
// decoded token, an action URL, a saved answer's plaintext. A stack array
// would escape through the cipher interfaces and cost an allocation a
// request.
var scratchBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// renderBuffers holds buffers that answers are rendered into. Nothing
// keeps an answer once it is written (what is saved is a sealed copy), so
// its buffer is then reused.
var renderBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 16 << 10

// getScratch returns an empty buffer with room for n bytes.
func getScratch(n int) *[]byte {
	bp := scratchBuffers.Get().(*[]byte)
	if cap(*bp) < n {
		*bp = make([]byte, 0, n)
	}
	return bp
}

// putScratch wipes the used bytes of b, which may have held plaintext,
// and keeps it for reuse unless it grew past maxPooled.
func putScratch(bp *[]byte, used []byte) {
	clear(used)
	if cap(*bp) <= maxPooled {
		*bp = (*bp)[:0]
		scratchBuffers.Put(bp)
	}
}

// getRenderBuffer returns an empty buffer to render an answer into.
func getRenderBuffer() *[]byte { return renderBuffers.Get().(*[]byte) }

// putRenderBuffer returns a buffer to renderBuffers unless it grew past
// maxPooled; nil (a retry's saved answer took no buffer) is let be.
// An answer holds no plaintext: nothing to wipe.
func putRenderBuffer(b *[]byte) {
	if b != nil && cap(*b) <= maxPooled {
		*b = (*b)[:0]
		renderBuffers.Put(b)
	}
}
