// Package server is the network and execution layer: listeners, the client
// lifecycle, the dispatcher that runs commands from the command table under
// the execution lock, the event loop (cron, active expiry) and the command
// procedures themselves, one file per command family.
package server

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modis/modis/internal/command"
	"github.com/modis/modis/internal/config"
	"github.com/modis/modis/internal/keyspace"
	"github.com/modis/modis/internal/module"
)

// Version is the Redis version Modis reports (redis_version in INFO, HELLO).
const Version = "7.0.15"

// Server is one Modis instance. Everything reachable from it is guarded by
// mu, the execution lock, unless a field says otherwise.
type Server struct {
	mu sync.Mutex // the execution lock ("GIL")

	cfg    *config.Config
	ks     *keyspace.Keyspace
	cmds   *command.Table
	procs  map[*command.Spec]*cmdProc
	logger *Logger

	listeners []net.Listener
	tls       tlsState // TLS contexts and listeners (tls.go)
	clients   map[uint64]*Client
	nextID    atomic.Uint64

	startTime time.Time
	clock     clock // cached per batch; see beforeCommand
	loop      *eventLoop
	loopOnce  sync.Once
	stats     stats
	dirty     int64 // changes since the last save (rdb_changes_since_last_save)

	pubsub   *pubsubServer   // channel subscriptions (pubsub.go)
	current  *Client         // client whose command is running, nil in cron
	pause    pauseState      // CLIENT PAUSE (limits.go)
	monitors []*Client       // MONITOR clients in registration order
	intro    introspectState // slowlog, latency monitor, INFO sampling (introspect.go)

	touchHook  func(o *keyspace.Object)                          // eviction bookkeeping
	notifyHook func(class int, event string, key []byte, db int) // keyspace events

	life  lifecycle // process lifecycle (shutdown.go)
	forks forkStats // module fork children (module_fork.go)

	activeExpireEnabled bool              // DEBUG SET-ACTIVE-EXPIRE; default true
	expireStats         activeExpireStats // active expiry state and INFO counters (expire.go)
	watched             watchTable        // WATCHed keys by database (watch.go)
	notifyCache         notifyState       // parsed notify-keyspace-events (notify.go)
	evict               evictState        // eviction pool and policy state (evict.go)

	modules *module.Engine // the module system (module.go)
	migrate migrateCache   // MIGRATE's cached connections (cmd_migrate.go)
	modTemp []*Client      // pooled temporary clients for RedisModule_Call
	// modParked holds clients blocked by a module command; the channel
	// closes when they may go on.
	modParked  map[*Client]chan struct{}
	modHandoff map[*Client]bool // being handed from the event loop to a goroutine
	blocking   blockingState    // clients blocked on keys (blocking.go)

	prop          propState  // command propagation to AOF and replicas (propagate.go)
	preCommandOOM bool       // out of memory before the current command (Redis's pre_command_oom_state)
	yield         yieldState // a module command yielding (yield.go)
	acl           aclState   // users, permissions, ACL LOG (cmd_acl.go)

	persist persistState // RDB saving and loading (persist.go)
	aof     aofState     // the append-only file (aof.go)
	repl    replState    // replication, both roles (repl*.go)
	load    loadState    // a replica's yielding full-sync load (repl_loading.go)

	scripting *scriptingState // EVAL scripts and functions (cmd_script.go), created lazily

	shutdownOnce sync.Once
	done         chan struct{} // closed when the server stops
	wg           sync.WaitGroup
}

// New creates a server from a configuration without starting it.
func New(cfg *config.Config) *Server {
	s := &Server{
		cfg:       cfg,
		ks:        keyspace.New(cfg.Databases),
		cmds:      command.NewTable(),
		clients:   make(map[uint64]*Client),
		startTime: time.Now(),
		done:      make(chan struct{}),

		activeExpireEnabled: true,
	}
	s.initIntrospect()
	s.logger = newLogger(cfg)
	s.initACL()
	s.bindProcs()
	s.applyRenameCommands()
	s.initModules()
	s.ks.Hooks.Expired = s.onExpired
	s.ks.ExpirePaused = s.clientsPaused
	s.syncEvictionPolicy()
	s.notifyHook = s.notifyKeyspaceEvent
	s.replInit()
	s.ks.Hooks.Added = s.onKeyAdded
	s.initEviction()
	return s
}

// Keyspace returns the databases (tests and modules).
func (s *Server) Keyspace() *keyspace.Keyspace { return s.ks }

// Lock and Unlock take the execution lock (module thread-safe contexts).
func (s *Server) Lock()   { s.mu.Lock() }
func (s *Server) Unlock() { s.mu.Unlock() }

// Listen opens the configured listeners. Port 0 picks a free port; Addr
// reports it.
func (s *Server) Listen() error {
	binds := s.cfg.Bind
	if len(binds) == 0 {
		binds = []string{"*"}
	}
	if s.cfg.Port != 0 || len(s.listeners) == 0 && s.cfg.TLSPort == 0 {
		port := s.cfg.Port
		for _, b := range binds {
			optional := strings.HasPrefix(b, "-")
			host := strings.TrimPrefix(b, "-")
			network := "tcp"
			switch host {
			case "*":
				host, network = "0.0.0.0", "tcp4"
			case "::*":
				host, network = "::", "tcp6"
			}
			ln, err := net.Listen(network, net.JoinHostPort(host, strconv.Itoa(port)))
			if err != nil {
				if optional {
					continue
				}
				s.closeListeners()
				return fmt.Errorf("Could not create server TCP listening socket %s:%d: %s", strings.TrimPrefix(b, "-"), port, listenErrorText(err))
			}
			if port == 0 {
				port = ln.Addr().(*net.TCPAddr).Port
			}
			s.listeners = append(s.listeners, ln)
		}
	}
	if s.cfg.Unixsocket != "" {
		os.Remove(s.cfg.Unixsocket)
		ln, err := net.Listen("unix", s.cfg.Unixsocket)
		if err != nil {
			s.closeListeners()
			return fmt.Errorf("Failed opening Unix socket: %w", err)
		}
		if s.cfg.Unixsocketperm != 0 {
			os.Chmod(s.cfg.Unixsocket, os.FileMode(s.cfg.Unixsocketperm))
		}
		s.listeners = append(s.listeners, ln)
	}
	if err := s.tlsStartup(); err != nil {
		s.closeListeners()
		return err
	}
	if len(s.listeners) == 0 && len(s.tls.listeners) == 0 {
		return errors.New("Failed listening on port: no listening sockets")
	}
	s.life.startKey = tcpListenKey(s.cfg) // CONFIG SET port/bind compare with it
	return nil
}

func (s *Server) closeListeners() {
	for _, ln := range s.listeners {
		ln.Close()
	}
	for _, ln := range s.tls.listeners {
		ln.Close()
	}
}

// Addr returns the first TCP listener's address. CONFIG SET port/bind
// replace the listeners under the execution lock, so Addr takes it; code
// already holding the lock calls addrLocked.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addrLocked()
}

func (s *Server) addrLocked() net.Addr {
	for _, ln := range s.listeners {
		if _, ok := ln.Addr().(*net.TCPAddr); ok {
			return ln.Addr()
		}
	}
	if len(s.listeners) > 0 {
		return s.listeners[0].Addr()
	}
	return nil
}

// Serve accepts connections until Shutdown. It starts the cron.
func (s *Server) Serve() error {
	s.wg.Add(1)
	go s.cronLoop()
	errc := make(chan error, len(s.listeners))
	for _, ln := range s.listeners {
		go func(ln net.Listener) { errc <- s.acceptLoop(ln) }(ln)
	}
	s.serveTLSAtStart()
	<-s.done
	return nil
}

// Start is Listen plus Serve in the background (tests).
func (s *Server) Start() error {
	if err := s.Listen(); err != nil {
		return err
	}
	go s.Serve()
	return nil
}

func (s *Server) acceptLoop(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if strings.Contains(err.Error(), "use of closed") {
				return nil
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		s.handleConn(conn)
	}
}

// Close stops the server without saving (tests).
func (s *Server) Close() {
	s.shutdownOnce.Do(func() {
		close(s.done)
		s.closeListeners()
		s.mu.Lock()
		for _, c := range s.clients {
			c.conn.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// Done is closed when the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

func (s *Server) onExpired(db *keyspace.DB, key string) {
	s.stats.expiredKeys++
	kb := []byte(key)
	s.propagateDeletion(db.ID, kb, s.cfg.LazyfreeLazyExpire)
	s.notify(notifyExpired, "expired", kb, db.ID)
	s.keyModified(db, kb)
}
