// Command kmsd is a self-hosted key management service that speaks the
// Huawei Cloud KMS API. See the README, or run "kmsd -h".
package main

import (
	"os"

	"github.com/kmsd/kmsd/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
