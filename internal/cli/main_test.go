package cli

import (
	"os"
	"testing"
)

// runAsKmsd makes the test binary act as kmsd when the completion scripts
// it is tested with call back into it ("$0 __complete …").
const runAsKmsd = "KMSD_CLI_TEST_AS_KMSD"

func TestMain(m *testing.M) {
	if os.Getenv(runAsKmsd) == "1" {
		os.Exit(Main(os.Args[1:], Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}
