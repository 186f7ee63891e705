package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// startTimeout bounds how long redis-server may take to answer PING.
const startTimeout = 10 * time.Second

// process is a running redis-server.
type process struct {
	addr   string
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has ended
	log    string
}

// serverPath finds redis-server (or Valkey's, which speaks the same);
// $REDIS_SERVER names another binary.
func serverPath() (string, error) {
	if p := os.Getenv("REDIS_SERVER"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"redis-server", "valkey-server"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("redistest: redis-server is not installed: run `make deps` " +
		"(packaging/dev/install-deps.sh installs the Debian package redis-server)")
}

// startProcess starts redis-server on a free loopback port, with no
// persistence, and waits until it answers.
func startProcess(path, dir string) (*process, error) {
	return run(path, dir, func(port int, work, log string) []string {
		return []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
			"--dir", work, "--logfile", log, "--daemonize", "no",
			"--save", "", "--appendonly", "no"}
	})
}

// startSentinel starts a sentinel that watches the master at addr. A
// sentinel rewrites its configuration file: it gets one of its own.
func startSentinel(path, dir, masterAddr, name string) (*process, error) {
	host, port, err := net.SplitHostPort(masterAddr)
	if err != nil {
		return nil, err
	}
	return run(path, dir, func(p int, work, log string) []string {
		conf := filepath.Join(work, "sentinel.conf")
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile %s\n"+
			"sentinel monitor %s %s %s 1\nsentinel down-after-milliseconds %s 1000\n",
			p, work, log, name, host, port, name)
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			return nil
		}
		return []string{conf, "--sentinel"}
	})
}

// run starts path with the arguments args gives for a free port, a work
// directory of its own and a log file, and waits until it answers PING.
func run(path, dir string, args func(port int, work, log string) []string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(dir, "redis-")
	if err != nil {
		return nil, err
	}
	p := &process{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), exited: make(chan struct{}),
		log: filepath.Join(work, "redis.log")}
	a := args(port, work, p.log)
	if a == nil {
		return nil, errors.New("cannot write the server's configuration")
	}
	p.cmd = exec.Command(path, a...)
	p.cmd.SysProcAttr = sysProcAttr()
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return nil, fmt.Errorf("redis-server on port %d exited at start: %s", port, p.logTail())
		default:
		}
		if ping(p.addr) == nil {
			return p, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = p.stop()
	return nil, fmt.Errorf("redis-server on port %d did not answer within %s: %s", port, startTimeout, p.logTail())
}

// stop kills the process and waits for it.
func (p *process) stop() error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("kill redis-server: %w", err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("redis-server did not end after SIGKILL")
	}
}

// logTail is the end of the server's log, to say why it failed.
func (p *process) logTail() string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return "no log"
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 500 {
		s = "…" + s[len(s)-500:]
	}
	return s
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ping sends PING as a RESP array (miniredis reads no inline commands) and
// expects +PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
}
