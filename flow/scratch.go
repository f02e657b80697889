package flow

import "sync"

// scratchBuffers holds buffers for building values that are copied out
// before the buffer is put back: a state's plaintext and sealed bytes, a
// decoded token, an action URL. A stack array would escape through the
// cipher interfaces and cost an allocation a request.
var scratchBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxScratch is the largest buffer kept for reuse.
const maxScratch = 16 << 10

// getScratch returns an empty buffer with room for n bytes.
func getScratch(n int) *[]byte {
	bp := scratchBuffers.Get().(*[]byte)
	if cap(*bp) < n {
		*bp = make([]byte, 0, n)
	}
	return bp
}

// putScratch wipes the used bytes of b, which may have held plaintext,
// and keeps it for reuse unless it grew past maxScratch.
func putScratch(bp *[]byte, used []byte) {
	clear(used)
	if cap(*bp) <= maxScratch {
		*bp = (*bp)[:0]
		scratchBuffers.Put(bp)
	}
}
