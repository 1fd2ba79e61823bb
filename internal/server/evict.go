package server

// rejectOOM is replaced by the eviction code.
func (s *Server) rejectOOM(c *Client, cp *cmdProc) bool { return false }
