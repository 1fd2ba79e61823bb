package difftest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TLSFiles are PEM files made by GenTLSCerts: a CA, a server and a client
// certificate it signed, and a client certificate from another CA.
type TLSFiles struct {
	Dir                   string
	CACert                string
	ServerCert, ServerKey string
	ClientCert, ClientKey string
	OtherCert, OtherKey   string // signed by a CA the servers do not trust
	EncKey                string // ServerKey encrypted (legacy PEM, AES-256-CBC) with EncPass
	EncPass               string
}

// GenTLSCerts writes the certificates into a fresh temporary directory.
func GenTLSCerts(t testing.TB) *TLSFiles {
	t.Helper()
	dir := t.TempDir()
	f := &TLSFiles{Dir: dir}
	caCert, caKey := genCert(t, dir, "ca", nil, nil, true)
	f.CACert = filepath.Join(dir, "ca.crt")
	genCert(t, dir, "server", caCert, caKey, false)
	f.ServerCert, f.ServerKey = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	genCert(t, dir, "client", caCert, caKey, false)
	f.ClientCert, f.ClientKey = filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key")
	oCert, oKey := genCert(t, dir, "otherca", nil, nil, true)
	genCert(t, dir, "other", oCert, oKey, false)
	f.OtherCert, f.OtherKey = filepath.Join(dir, "other.crt"), filepath.Join(dir, "other.key")
	f.EncKey, f.EncPass = filepath.Join(dir, "server-enc.key"), "s3cret"
	kb, err := os.ReadFile(f.ServerKey)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(kb)
	//nolint:staticcheck // legacy PEM encryption is what tls-key-file-pass reads
	enc, err := x509.EncryptPEMBlock(rand.Reader, blk.Type, blk.Bytes, []byte(f.EncPass), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.EncKey, pem.EncodeToMemory(enc), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

var serialCounter int64

func genCert(t testing.TB, dir, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serialCounter++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano() + serialCounter),
		Subject:      pkix.Name{CommonName: name, Organization: []string{"Modis test"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage, tmpl.DNSNames, tmpl.IPAddresses = nil, nil, nil
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(file, typ string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, file), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(name+".crt", "CERTIFICATE", der)
	write(name+".key", "EC PRIVATE KEY", kder)
	cert, _ := x509.ParseCertificate(der)
	return cert, key
}

// TLSClientConfig is a client configuration trusting f's CA, presenting
// the given key pair (none when certFile is empty).
func (f *TLSFiles) TLSClientConfig(t testing.TB, certFile, keyFile string) *tls.Config {
	t.Helper()
	pool := x509.NewCertPool()
	b, err := os.ReadFile(f.CACert)
	if err != nil {
		t.Fatal(err)
	}
	pool.AppendCertsFromPEM(b)
	cfg := &tls.Config{RootCAs: pool, ServerName: "localhost"}
	if certFile != "" {
		c, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{c}
	}
	return cfg
}

// ServerArgs are the redis-server/Modis arguments serving TLS on port
// with f's files.
func (f *TLSFiles) ServerArgs(port string) []string {
	return []string{"--tls-port", port, "--tls-cert-file", f.ServerCert, "--tls-key-file", f.ServerKey, "--tls-ca-cert-file", f.CACert}
}
