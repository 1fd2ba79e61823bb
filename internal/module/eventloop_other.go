//go:build !linux

package module

// fdWait is not available off Linux: watching fails at once.
func fdWait(fd, mask int, stop <-chan struct{}) (int, bool) { return 0, false }
