package flow

import (
	"fmt"
	"slices"
)

// statusError is the error for a backend's answer outside 2xx: a decline
// when the status is one of b.Declines, else a failure.
func (b *Backend) statusError(status int) error {
	if slices.Contains(b.Declines, status) {
		return fmt.Errorf("%w: %w: status %d", ErrDeclined, ErrBackend, status)
	}
	return fmt.Errorf("%w: status %d", ErrBackend, status)
}
