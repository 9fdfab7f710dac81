package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asMain makes the test binary the command itself, for the shell the
// completion test starts: the completion script calls the program back.
const asMain = "GO_TEST_CONFORMANCE_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

// completeBash is what bash, with `conformance completion bash` sourced,
// offers for the words typed so far. Where the bash-completion package is
// missing, a stand-in gives the script the words as bash-completion would.
const completeBash = `
if [[ -r /usr/share/bash-completion/bash_completion ]]; then
  source /usr/share/bash-completion/bash_completion
fi
if ! declare -F _get_comp_words_by_ref >/dev/null; then
  _get_comp_words_by_ref() { # stand-in: the words as typed, no word-breaking
    cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
  }
fi
source <(conformance completion bash)
read -r -a COMP_WORDS <<< "$TYPED"
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$TYPED; COMP_POINT=${#TYPED}
__start_conformance
printf '%s\n' "${COMPREPLY[@]}"
`

func TestBashCompletesFlags(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("bash is missing: the completion test cannot run, and CI=true requires it")
		}
		t.Skip("bash is missing: the completion test needs it (it fails under CI=true)")
	}
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	require.NoError(t, os.Symlink(self, filepath.Join(bin, "conformance")))

	complete := func(typed string) []string {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-c", completeBash)
		cmd.Env = append(os.Environ(), asMain+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "TYPED="+typed)
		var stderr strings.Builder
		cmd.Stderr = &stderr // compopt says it is outside a completion: bash is not completing a real line
		out, err := cmd.Output()
		require.NoError(t, err, "%s", stderr.String())
		return strings.Fields(string(out))
	}
	assert.Equal(t, []string{"--profile"}, complete("conformance run --pro"))
	assert.Contains(t, complete("conformance ru"), "run")
	assert.Contains(t, complete("conformance run --fail"), "--fail-fast")
	assert.Contains(t, complete("conformance list --js"), "--json")
}
