package flow

import (
	"log/slog"
	"net/http"
)

// unusable reports whether f was not built by New: a nil *Flow, or a
// zero Flow{}.
func (f *Flow) unusable() bool { return f == nil || f.validator == nil }

// serveUnusable answers a request to a Flow that New did not build with
// 500 and an error line on slog.Default(): the service's bug, which no
// caller input can cause.
func serveUnusable(w http.ResponseWriter, r *http.Request) {
	slog.Default().LogAttrs(r.Context(), slog.LevelError,
		"flow: ServeHTTP on a nil or zero Flow; build it with flow.New and check its error",
		slog.String("path", r.URL.Path))
	http.Error(w, "internal server error", http.StatusInternalServerError)
}
