package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kmsd/kmsd/internal/audit/trail"
	"github.com/kmsd/kmsd/internal/config"
	"github.com/kmsd/kmsd/internal/server"
)

// auditVerify runs "kmsd audit verify [FILE…]": it checks the chain of an
// audit trail, the files given oldest first or, without any, the
// configured trail's files (audit.file and its rotated files), with the
// configured root key. It prints the first broken or missing record and
// fails, or prints how many records verified.
func auditVerify(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("kmsd audit verify", env)
	load := configFlags(fs, env, shared(config.Settings()))
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		if files = trail.Files(cfg.AuditFile()); len(files) == 0 {
			return fmt.Errorf("audit verify: no trail at %s", cfg.AuditFile())
		}
	}
	rk, err := server.OpenExistingRootKey(cfg) // with root_key_previous, files of before a rotation verify too
	if err != nil {
		return fmt.Errorf("root key: %w", err)
	}
	defer rk.Close()
	rep, err := trail.Verify(ctx, rk, files, false)
	var br *trail.Break
	if errors.As(err, &br) {
		fmt.Fprintf(env.Stdout, "BROKEN %s (after %d good records)\n", br, rep.Records)
		return errors.New("audit verify: the trail does not verify")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "ok: %d records in %s verify (a tail cut after the last one cannot be seen)\n",
		rep.Records, strings.Join(files, " "))
	if rep.Unfinished {
		fmt.Fprintln(env.Stdout, "note: the last line is unfinished (being written, or cut by a crash): not verified")
	}
	return nil
}
