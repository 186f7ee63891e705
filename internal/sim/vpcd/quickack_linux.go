package vpcd

import (
	"net"
	"syscall"
)

// quickAck asks Linux to acknowledge received data at once. vpcd writes a
// frame's length and body in two segments; with Nagle on its side and a
// delayed ACK on ours, each APDU would wait ~40 ms for that ACK. The option
// does not stick, so it is set again before every read.
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
