package container

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The helper process of TestALeaseIsHeldExactlyAsLongAsItsRun: it takes a
// lease, prints its label, and lives until it is killed.
func TestMain(m *testing.M) {
	if os.Getenv("LEASE_HOLDER") == "1" {
		l, err := takeLease()
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(l.labels()[LabelLease] + "\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestALeaseIsHeldExactlyAsLongAsItsRun(t *testing.T) {
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), "LEASE_HOLDER=1")
	out, err := holder.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, holder.Start())
	t.Cleanup(func() { _ = holder.Process.Kill() })
	label, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	label = label[:len(label)-1]

	_, dead := takeOver(label)
	assert.False(t, dead, "a live run's lease cannot be taken")

	require.NoError(t, holder.Process.Kill())
	_ = holder.Wait()
	taken, dead := takeOver(label)
	require.True(t, dead, "a killed run's lease is free")
	taken.release()
	dir, _ := LeaseDir()
	assert.NoFileExists(t, filepath.Join(dir, label), "released, the lease file is gone")
}

func TestOnlyALeaseOfThisMachineProvesAnything(t *testing.T) {
	for _, label := range []string{"", "../../etc/passwd", "0123456789abcdef0123456789abcdef.lock"} {
		_, dead := takeOver(label)
		assert.False(t, dead, "%q: not a lease file here, so the container is spared", label)
	}
	mine, err := takeLease()
	require.NoError(t, err)
	defer mine.release()
	_, dead := takeOver(mine.labels()[LabelLease])
	assert.False(t, dead, "this run's own lease is held")
}
