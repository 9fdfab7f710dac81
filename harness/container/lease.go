package container

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
)

// A lease proves a run is alive: a lock file on this machine, held with
// flock(2) while the run lasts. The kernel lets go of it when the process
// ends, however it ends, so the sweep can take a lease only from a run that
// is gone. A PID or hostname can be shared or reused across namespaces and
// containers; a lock on a file of this machine cannot be held by a dead run,
// nor be taken by another machine that shares the engine (it has no such
// file).
type lease struct {
	id   string
	file *os.File
}

// leaseName is the shape of a lease file: what the sweep accepts from a label.
var leaseName = regexp.MustCompile(`^[0-9a-f]{32}\.lock$`)

// LeaseDir holds this user's leases, one lock file a run: in the user's
// cache folder, or the temporary folder where there is none.
func LeaseDir() (string, error) {
	var err error
	for _, base := range []func() (string, error){os.UserCacheDir, func() (string, error) { return os.TempDir(), nil }} {
		var dir string
		if dir, err = base(); err == nil {
			dir = filepath.Join(dir, "healthapi-conformance", "runs")
			if err = os.MkdirAll(dir, 0o700); err == nil {
				return dir, nil
			}
		}
	}
	return "", err
}

// takeLease creates and locks a new lease for this run.
func takeLease() (*lease, error) {
	dir, err := LeaseDir()
	if err != nil {
		return nil, fmt.Errorf("no folder for the run's lease: %w", err)
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	f, err := os.OpenFile(filepath.Join(dir, id+".lock"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("the run's lease: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("the run's lease: %w", err)
	}
	return &lease{id: id, file: f}, nil
}

// release ends the lease: the lock file goes, then the lock.
func (l *lease) release() {
	_ = os.Remove(l.file.Name())
	_ = l.file.Close()
}

// takeOver locks the lease a label names if its run is gone: true means
// the run is provably dead and the caller owns what it left (and must
// release the lease). A lease file that is not on this machine, or that is
// still locked, proves nothing, and the container is spared.
func takeOver(label string) (*lease, bool) {
	if !leaseName.MatchString(label) {
		return nil, false
	}
	dir, err := LeaseDir()
	if err != nil {
		return nil, false
	}
	f, err := os.OpenFile(filepath.Join(dir, label), os.O_RDWR, 0)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close() // held (EWOULDBLOCK): the run is alive; any other error proves nothing
		return nil, false
	}
	return &lease{file: f}, true
}
