package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func testEnv(vars map[string]string) (Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, &out, &errb
}

func TestCommandLine(t *testing.T) {
	_, url := startCeiling(t)
	credEnv := map[string]string{"HUAWEICLOUD_SDK_AK": testCred.AK, "HUAWEICLOUD_SDK_SK": testCred.SK,
		"HUAWEICLOUD_SDK_PROJECT_ID": testCred.Project}
	short := []string{"--url", url, "--conns", "2", "--warmup", "0s", "--duration", "1h", "--max-requests", "10"}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantOut  string // substring of stdout
		wantErr  string // substring of stderr
	}{
		{name: "run with credentials from the environment", env: credEnv, wantCode: 0,
			args:    append([]string{"--key-id", ceilingKeyID, "--json"}, short...),
			wantOut: "op=encrypt-data key_spec=AES_256 size=512 urls=1 conns=2"},
		{name: "failed requests exit 1", env: credEnv, wantCode: 1,
			args:    append([]string{"--key-id", ceilingKeyID, "--op", "describe-key"}, short...),
			wantOut: "error HTTP 404 KMS.0201 x10"},
		{name: "flags override the environment", env: credEnv, wantCode: 1,
			args:    append([]string{"--key-id", ceilingKeyID, "--sk", "wrong"}, short...),
			wantOut: "error HTTP 401 APIGW.0301 x10"},
		{name: "setup failure exits 1", env: credEnv, wantCode: 1, args: short,
			wantErr: "create the benchmark key (pass --key-id to use an existing one): create-key: HTTP 404 KMS.0201"},
		{name: "missing credentials", wantCode: 2, args: short, wantErr: "--ak, --sk and --project are required"},
		{name: "bad flag", wantCode: 2, args: []string{"--conns", "x"}, wantErr: "invalid value"},
		{name: "stray argument", env: credEnv, wantCode: 2, args: []string{"--url", url, "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "help", wantCode: 0, args: []string{"--help"}, wantErr: "-max-requests"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, out, errb := testEnv(tc.env)
			code := Main(context.Background(), tc.args, env)
			if code != tc.wantCode || !strings.Contains(out.String(), tc.wantOut) || !strings.Contains(errb.String(), tc.wantErr) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.wantCode, out, errb)
			}
		})
	}
}

func TestHelpHidesSecrets(t *testing.T) {
	env, _, errb := testEnv(map[string]string{"HUAWEICLOUD_SDK_SK": testCred.SK})
	Main(context.Background(), []string{"--help"}, env)
	if strings.Contains(errb.String(), testCred.SK) {
		t.Fatal("usage text shows the secret key")
	}
}
