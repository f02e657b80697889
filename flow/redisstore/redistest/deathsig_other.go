//go:build !linux

package redistest

import "os/exec"

// setParentDeathSignal does nothing where the kernel offers no such signal.
func setParentDeathSignal(*exec.Cmd) {}
