//go:build !linux

package server

// The epoll event loop (netloop_linux.go) exists only on Linux; elsewhere
// every connection is served by its own goroutine.
type eventLoop struct{}

type loopState struct{}

func (s *Server) adopt(c *Client) bool { return false }

func (s *Server) moveToLoop(c *Client) bool { return false }

func (l *eventLoop) processWhileBlocked(except *Client) {}
