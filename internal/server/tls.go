package server

// TLS as redis-server built with TLS offers it: a second listener on
// tls-port, client certificate checks (tls-auth-clients), replication over
// TLS (tls-replication), and CONFIG SET of tls-* rebuilding the contexts.
// Everything uses crypto/tls; OpenSSL-only knobs (DH parameters, TLS 1.3
// suite selection, session cache size) are accepted and validated only.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/modis/modis/internal/config"
)

// tlsState is the server's TLS side. Guarded by the execution lock except
// srv/cli, which handshakes read without it.
type tlsState struct {
	srv       atomic.Pointer[tls.Config] // accepted connections
	cli       atomic.Pointer[tls.Config] // outgoing (replication) connections
	listeners []net.Listener
	listenKey string // tls-port and bind the listeners were opened for
}

// errTLSApply is what CONFIG SET answers when the new TLS settings fail;
// the reason is in the log, as with Redis.
var errTLSApply = errors.New("Unable to update TLS configuration. Check server logs.")

// tlsWanted reports whether the configuration needs TLS contexts (Redis
// configures them when any TLS feature is on).
func tlsWanted(cfg *config.Config) bool {
	return cfg.TLSPort != 0 || cfg.TLSReplication || cfg.TLSCluster
}

// tlsConfigure builds the server and client contexts from cfg, logging the
// first problem as Redis does. It installs them only when all succeeded.
func (s *Server) tlsConfigure() error {
	srv, cli, err := buildTLSConfigs(s.cfg)
	if err != nil {
		s.logger.Logf(LogWarning, "%s", err.Error())
		return err
	}
	if s.cfg.TLSDHParamsFile != "" {
		s.logger.Logf(LogWarning, "tls-dh-params-file is set, but DH parameters are not supported by this server's TLS library (Go crypto/tls uses ECDHE only); ignoring %s", s.cfg.TLSDHParamsFile)
	}
	s.tls.srv.Store(srv)
	s.tls.cli.Store(cli)
	return nil
}

// opensslErr renders a file error in OpenSSL 3's "error:XXXXXXXX:lib::reason"
// form that Redis prints (system errors carry the errno in the code).
func opensslErr(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		m := en.Error()
		return fmt.Sprintf("error:%08X:system library::%s", 0x80000000|uint32(en), strings.ToUpper(m[:1])+m[1:])
	}
	return err.Error()
}

// buildTLSConfigs checks the settings in Redis's order and returns the
// server and client configurations.
func buildTLSConfigs(cfg *config.Config) (*tls.Config, *tls.Config, error) {
	if cfg.TLSCertFile == "" {
		return nil, nil, errors.New("No tls-cert-file configured!")
	}
	if cfg.TLSKeyFile == "" {
		return nil, nil, errors.New("No tls-key-file configured!")
	}
	if (cfg.TLSAuthClients != "no" || cfg.TLSCluster || cfg.TLSReplication) && cfg.TLSCACertFile == "" && cfg.TLSCACertDir == "" {
		return nil, nil, errors.New("Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!")
	}
	minV, maxV, err := parseTLSProtocols(cfg.TLSProtocols)
	if err != nil {
		return nil, nil, err
	}
	if cfg.TLSDHParamsFile != "" {
		if _, err := os.ReadFile(cfg.TLSDHParamsFile); err != nil {
			return nil, nil, fmt.Errorf("Failed to load %s: %s", cfg.TLSDHParamsFile, applyErrorText(err))
		}
	}
	cert, err := loadKeyPair(cfg.TLSCertFile, cfg.TLSKeyFile, cfg.TLSKeyFilePass)
	if err != nil {
		return nil, nil, err
	}
	pool, err := loadCAs(cfg.TLSCACertFile, cfg.TLSCACertDir)
	if err != nil {
		return nil, nil, err
	}
	suites, err := parseTLSCiphers(cfg.TLSCiphers)
	if err != nil {
		return nil, nil, err
	}
	if err := checkTLSCiphersuites(cfg.TLSCiphersuites); err != nil {
		return nil, nil, err
	}
	srv := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		MinVersion:             minV,
		MaxVersion:             maxV,
		CipherSuites:           suites,
		ClientCAs:              pool,
		SessionTicketsDisabled: !cfg.TLSSessionCaching,
	}
	// The chain is verified by hand rather than through ClientCAs: with
	// ClientCAs Go advertises the CA names and a client holding a
	// certificate from another CA then sends none, where OpenSSL (which
	// Redis does not give a CA list) receives it and refuses it.
	switch cfg.TLSAuthClients {
	case "no":
		srv.ClientAuth = tls.NoClientCert
	case "optional":
		srv.ClientAuth = tls.RequestClientCert
	default:
		srv.ClientAuth = tls.RequireAnyClientCert
	}
	if srv.ClientAuth != tls.NoClientCert {
		srv.ClientCAs = nil
		srv.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return nil // optional: none given (RequireAny refuses earlier)
			}
			return verifyChainNoHost(raw, pool)
		}
	}
	clientCert := cert
	if cfg.TLSClientCertFile != "" {
		if cfg.TLSClientKeyFile == "" {
			return nil, nil, errors.New("No tls-client-key-file configured!")
		}
		if clientCert, err = loadKeyPair(cfg.TLSClientCertFile, cfg.TLSClientKeyFile, cfg.TLSClientKeyFilePass); err != nil {
			return nil, nil, err
		}
	}
	// Redis checks the peer's chain against the CAs but not its host name.
	cli := &tls.Config{
		Certificates:       []tls.Certificate{clientCert},
		MinVersion:         minV,
		MaxVersion:         maxV,
		CipherSuites:       suites,
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			return verifyChainNoHost(raw, pool)
		},
	}
	return srv, cli, nil
}

// verifyChainNoHost verifies a peer chain against roots, ignoring names.
func verifyChainNoHost(raw [][]byte, roots *x509.CertPool) error {
	if len(raw) == 0 {
		return errors.New("peer did not return a certificate")
	}
	certs := make([]*x509.Certificate, len(raw))
	for i, b := range raw {
		c, err := x509.ParseCertificate(b)
		if err != nil {
			return err
		}
		certs[i] = c
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	return err
}

// parseTLSProtocols maps tls-protocols to a version range; empty means
// TLSv1.2 and TLSv1.3 as in Redis. Go cannot leave holes in the range, so
// the lowest and highest named versions bound it.
func parseTLSProtocols(v string) (uint16, uint16, error) {
	if strings.TrimSpace(v) == "" {
		return tls.VersionTLS12, tls.VersionTLS13, nil
	}
	var minV, maxV uint16
	for _, p := range strings.Fields(v) {
		var ver uint16
		switch strings.ToLower(p) {
		case "tlsv1":
			ver = tls.VersionTLS10
		case "tlsv1.1":
			ver = tls.VersionTLS11
		case "tlsv1.2":
			ver = tls.VersionTLS12
		case "tlsv1.3":
			ver = tls.VersionTLS13
		default:
			return 0, 0, errors.New("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.")
		}
		if minV == 0 || ver < minV {
			minV = ver
		}
		if ver > maxV {
			maxV = ver
		}
	}
	if minV == 0 {
		return 0, 0, errors.New("Failed to configure TLS protocols")
	}
	return minV, maxV, nil
}

// loadKeyPair reads a certificate chain and its private key; an encrypted
// (legacy PEM-encrypted) key is decrypted with pass.
func loadKeyPair(certFile, keyFile, pass string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Failed to load certificate: %s: %s", certFile, opensslErr(err))
	}
	if b, _ := pem.Decode(certPEM); b == nil || b.Type != "CERTIFICATE" {
		return tls.Certificate{}, fmt.Errorf("Failed to load certificate: %s: error:0480006C:PEM routines::no start line", certFile)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Failed to load private key: %s: %s", keyFile, opensslErr(err))
	}
	keyPEM, err = decryptKeyPEM(keyPEM, pass)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Failed to load private key: %s: %s", keyFile, err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		msg := "error:1E08010C:DECODER routines::unsupported"
		if strings.Contains(err.Error(), "does not match") {
			msg = "error:05800074:x509 certificate routines::key values mismatch"
		}
		return tls.Certificate{}, fmt.Errorf("Failed to load private key: %s: %s", keyFile, msg)
	}
	if len(cert.Certificate) > 0 {
		cert.Leaf, _ = x509.ParseCertificate(cert.Certificate[0])
	}
	return cert, nil
}

// decryptKeyPEM returns the key PEM with a legacy encrypted block
// ("Proc-Type: 4,ENCRYPTED") decrypted with pass.
func decryptKeyPEM(keyPEM []byte, pass string) ([]byte, error) {
	var out []byte
	rest := keyPEM
	for {
		b, r := pem.Decode(rest)
		if b == nil {
			break
		}
		rest = r
		// Legacy PEM encryption (deprecated in Go, still what OpenSSL's
		// traditional key format uses) is what tls-key-file-pass unlocks.
		if x509.IsEncryptedPEMBlock(b) { //nolint:staticcheck
			der, err := x509.DecryptPEMBlock(b, []byte(pass)) //nolint:staticcheck
			if err != nil {
				return nil, errors.New("error:1C800064:Provider routines::bad decrypt")
			}
			b = &pem.Block{Type: b.Type, Bytes: der}
		} else if b.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, errors.New("error:1E08010C:DECODER routines::unsupported")
		}
		out = append(out, pem.EncodeToMemory(b)...)
	}
	if out == nil {
		return keyPEM, nil
	}
	return out, nil
}

var hashedCAName = regexp.MustCompile(`^[0-9a-f]{8}\.[0-9]+$`)

// loadCAs builds the CA pool from tls-ca-cert-file and the hash-named PEM
// files of tls-ca-cert-dir (OpenSSL looks certificates up there lazily, so an
// unreadable directory is no start-up error).
func loadCAs(file, dir string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("Failed to configure CA certificate(s) file/directory: %s", opensslErr(err))
		}
		if !pool.AppendCertsFromPEM(b) {
			return nil, errors.New("Failed to configure CA certificate(s) file/directory: error:05880009:x509 certificate routines::PEM lib")
		}
	}
	if dir != "" {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			// OpenSSL finds CAs in a directory by subject-hash file names
			// ("1a2b3c4d.0", as c_rehash makes): other files are not used.
			if e.IsDir() || !hashedCAName.MatchString(e.Name()) {
				continue
			}
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
				pool.AppendCertsFromPEM(b)
			}
		}
	}
	return pool, nil
}

// tlsListenKey identifies the TLS listeners a configuration asks for.
func tlsListenKey(cfg *config.Config) string {
	return strconv.Itoa(cfg.TLSPort) + " " + strings.Join(cfg.Bind, " ")
}

// openTLSListeners opens raw TCP sockets on tls-port for every bind
// address; the handshake happens per connection (serveTLSConn).
func (s *Server) openTLSListeners() ([]net.Listener, error) {
	if s.cfg.TLSPort == 0 {
		return nil, nil
	}
	binds := s.cfg.Bind
	if len(binds) == 0 {
		binds = []string{"*"}
	}
	var out []net.Listener
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
		ln, err := net.Listen(network, net.JoinHostPort(host, strconv.Itoa(s.cfg.TLSPort)))
		if err != nil {
			if optional {
				continue
			}
			for _, l := range out {
				l.Close()
			}
			return nil, tlsListenError{fmt.Errorf("Could not create server TCP listening socket %s:%d: %s", strings.TrimPrefix(b, "-"), s.cfg.TLSPort, listenErrorText(err))}
		}
		out = append(out, ln)
	}
	return out, nil
}

// tlsListenError is a failure to open the TLS port (start-up reports it
// with "(TLS)").
type tlsListenError struct{ error }

// tlsStartup configures TLS and opens the TLS listeners at start-up (from
// Listen). Errors are logged; the caller exits.
func (s *Server) tlsStartup() error {
	if !tlsWanted(s.cfg) {
		return nil
	}
	if err := s.tlsConfigure(); err != nil {
		return errTLSStartup
	}
	lns, err := s.openTLSListeners()
	if err != nil {
		return err
	}
	s.tls.listeners = lns
	s.tls.listenKey = tlsListenKey(s.cfg)
	return nil
}

// errTLSStartup is the start-up failure after a logged TLS problem.
var errTLSStartup = errors.New("Failed to configure TLS. Check logs for more info.")

// serveTLSAtStart starts the accept loops of the listeners Listen opened
// (CONFIG SET may replace them concurrently, under the lock).
func (s *Server) serveTLSAtStart() {
	s.mu.Lock()
	lns := s.tls.listeners
	s.mu.Unlock()
	s.serveTLSListeners(lns)
}

// serveTLSListeners starts the accept loops of the TLS listeners.
func (s *Server) serveTLSListeners(lns []net.Listener) {
	for _, ln := range lns {
		go s.tlsAcceptLoop(ln)
	}
}

func (s *Server) tlsAcceptLoop(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			if strings.Contains(err.Error(), "use of closed") {
				return
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		go s.serveTLSConn(conn)
	}
}

// serveTLSConn runs the handshake, then serves the client as any other.
// A TLS client stays on its own goroutine (never the event loop), reading
// and writing through the tls.Conn with the same batching.
func (s *Server) serveTLSConn(raw net.Conn) {
	cfg := s.tls.srv.Load()
	if cfg == nil {
		raw.Close()
		return
	}
	tc := tls.Server(raw, cfg)
	raw.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		s.logger.Logf(LogWarning, "Error accepting a client connection: %s", tlsErrorText(err, connFD(raw)))
		tc.Close()
		return
	}
	raw.SetDeadline(time.Time{})
	s.handleConn(tc)
}

// tlsErrorText words common handshake failures as OpenSSL does; Redis
// adds the descriptor for failures of the connection itself.
func tlsErrorText(err error, fd int) string {
	m := err.Error()
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		switch string(rh.RecordHeader[:4]) {
		case "GET ", "POST", "HEAD", "PUT ":
			return fmt.Sprintf("error:0A00009C:SSL routines::http request (conn: fd=%d)", fd)
		}
		return fmt.Sprintf("error:0A00010B:SSL routines::wrong version number (conn: fd=%d)", fd)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Sprintf("error:0A000126:SSL routines::unexpected eof while reading (conn: fd=%d)", fd)
	}
	switch {
	case strings.Contains(m, "client didn't provide a certificate"):
		return "error:0A0000C7:SSL routines::peer did not return a certificate"
	case strings.Contains(m, "unknown authority") || strings.Contains(m, "unknown certificate authority"):
		return "error:0A000086:SSL routines::certificate verify failed"
	case strings.Contains(m, "protocol version") || strings.Contains(m, "unsupported versions"):
		return "error:0A000102:SSL routines::unsupported protocol"
	case strings.Contains(m, "EOF") || strings.Contains(m, "connection reset"):
		return "Connection reset by peer"
	}
	return m
}

// applyTLS is the CONFIG SET hook of every tls-* option: rebuild the
// contexts (when TLS is in use) and move the TLS listeners if tls-port or
// bind changed.
func applyTLS(s *Server) error {
	if tlsWanted(s.cfg) {
		if err := s.tlsConfigure(); err != nil {
			return errTLSApply
		}
	}
	key := tlsListenKey(s.cfg)
	if key == s.tls.listenKey {
		return nil
	}
	fresh, err := s.openTLSListeners()
	if err != nil {
		s.logger.Logf(LogWarning, "Warning: %s", err)
		return err
	}
	for _, ln := range s.tls.listeners {
		ln.Close()
	}
	s.tls.listeners = fresh
	s.tls.listenKey = key
	s.serveTLSListeners(fresh)
	return nil
}

// tlsWrapClient runs the client handshake on conn (a replica's link to
// its master with tls-replication yes).
func (s *Server) tlsWrapClient(conn net.Conn, timeout time.Duration) (net.Conn, error) {
	cfg := s.tls.cli.Load()
	if cfg == nil {
		conn.Close()
		return nil, errors.New("TLS is not configured")
	}
	tc := tls.Client(conn, cfg)
	conn.SetDeadline(time.Now().Add(timeout))
	if err := tc.Handshake(); err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return tc, nil
}

// peerCertPEM returns the verified peer certificate of a TLS client in
// PEM, or nil (RedisModule_GetClientCertificate).
func peerCertPEM(conn net.Conn) []byte {
	tc, ok := conn.(*tls.Conn)
	if !ok {
		return nil
	}
	st := tc.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: st.PeerCertificates[0].Raw})
}

func init() {
	for _, name := range []string{
		"tls-port", "tls-cert-file", "tls-key-file", "tls-key-file-pass",
		"tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass",
		"tls-dh-params-file", "tls-ca-cert-file", "tls-ca-cert-dir",
		"tls-auth-clients", "tls-protocols", "tls-ciphers", "tls-ciphersuites",
		"tls-prefer-server-ciphers", "tls-session-caching",
		"tls-session-cache-size", "tls-session-cache-timeout",
		"tls-replication", "tls-cluster", "bind",
	} {
		onConfigChange(name, applyTLS)
	}
}

// ClientCertificate is the TLS peer certificate of client id in PEM
// (module.CertHost; called under the execution lock).
func (h *moduleHost) ClientCertificate(id uint64) []byte {
	c := h.s.clients[id]
	if c == nil {
		return nil
	}
	return peerCertPEM(c.conn)
}
