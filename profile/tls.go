package profile

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TLS says which certificate authorities the harness trusts for the
// target, and which client certificate it shows (mutual TLS). Paths are
// relative to the profile's folder.
type TLS struct {
	// CAFile is a PEM bundle of the authorities that sign the target's
	// certificate, trusted besides the system's.
	CAFile string `yaml:"caFile"`
	// CertFile and KeyFile are the PEM client certificate and its key.
	CertFile string `yaml:"certFile"`
	KeyFile  string `yaml:"keyFile"`

	config *tls.Config
}

// maxPEM bounds each TLS file read: a bundle of certificates is kilobytes.
const maxPEM = 1 << 20

// load reads the files and builds the TLS configuration; nothing to load
// leaves the system's roots and no client certificate.
func (t *TLS) load(dir string) error {
	if t.CAFile == "" && t.CertFile == "" && t.KeyFile == "" {
		return nil
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		return errors.New("tls.certFile and tls.keyFile: a client certificate needs its key, and a key its certificate")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := readPEM("tls.caFile", dir, t.CAFile)
		if err != nil {
			return err
		}
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM(pem) {
			return fmt.Errorf("tls.caFile: %s holds no PEM certificate", t.CAFile)
		}
		cfg.RootCAs = roots
	}
	if t.CertFile != "" {
		certPEM, err := readPEM("tls.certFile", dir, t.CertFile)
		if err != nil {
			return err
		}
		keyPEM, err := readPEM("tls.keyFile", dir, t.KeyFile)
		if err != nil {
			return err
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return fmt.Errorf("tls.certFile and tls.keyFile: not a certificate and its key: %v", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	t.config = cfg
	return nil
}

// readPEM reads a bounded regular file, naming the profile key in errors
// (a key file's contents are never quoted).
func readPEM(key, dir, path string) ([]byte, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", key, err)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s: %s is not a regular file", key, path)
	case info.Size() > maxPEM:
		return nil, fmt.Errorf("%s: %s is %d bytes, more than %d", key, path, info.Size(), maxPEM)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return data, nil
}

// TLSConfig is the TLS configuration for every connection to the target
// and its token endpoint; nil means the system's roots and no client
// certificate. Each caller gets its own copy.
func (p *Profile) TLSConfig() *tls.Config {
	if p.TLS.config == nil {
		return nil
	}
	return p.TLS.config.Clone()
}
