//go:build linux

package module

import "syscall"

// fdWait blocks until fd is ready for mask and returns what it is ready
// for; ok is false once stop is closed or fd cannot be watched.
func fdWait(fd, mask int, stop <-chan struct{}) (ready int, ok bool) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return 0, false
	}
	defer syscall.Close(ep)
	var ev syscall.EpollEvent
	if mask&EventLoopReadable != 0 {
		ev.Events |= syscall.EPOLLIN
	}
	if mask&EventLoopWritable != 0 {
		ev.Events |= syscall.EPOLLOUT
	}
	ev.Fd = int32(fd)
	if syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, fd, &ev) != nil {
		return 0, false
	}
	events := make([]syscall.EpollEvent, 1)
	for {
		select {
		case <-stop:
			return 0, false
		default:
		}
		n, err := syscall.EpollWait(ep, events, 50)
		if err != nil && err != syscall.EINTR {
			return 0, false
		}
		if n > 0 {
			got := events[0].Events
			if got&(syscall.EPOLLIN|syscall.EPOLLHUP|syscall.EPOLLERR) != 0 && mask&EventLoopReadable != 0 {
				ready |= EventLoopReadable
			}
			if got&(syscall.EPOLLOUT|syscall.EPOLLERR) != 0 && mask&EventLoopWritable != 0 {
				ready |= EventLoopWritable
			}
			if ready != 0 {
				return ready, true
			}
		}
	}
}
