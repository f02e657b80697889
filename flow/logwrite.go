package flow

import (
	"context"
	"log/slog"
	"time"
)

// writeLog hands one record to logger's handler. Its caller builds attrs
// only once logger.Enabled has said yes, on a slice of its stack. Unlike
// Logger.LogAttrs it records no caller PC: that costs a stack walk per
// line, and the source would always be the same line of this package, so
// a handler set to AddSource shows none.
func writeLog(ctx context.Context, logger *slog.Logger, level slog.Level, msg string, attrs []slog.Attr) {
	r := slog.NewRecord(time.Now(), level, msg, 0)
	r.AddAttrs(attrs...)
	_ = logger.Handler().Handle(ctx, r) // a log line that cannot be written has nowhere to go
}
