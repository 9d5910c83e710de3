package kmscli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/kmsd/kmsd/internal/service"
)

// The conveniences call operations of the table like "kmsd kms" does.

// call sends the operation called name with text parameters.
func call(ctx context.Context, cl *Client, name string, given map[string]string) ([]byte, error) {
	o, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no operation %s", name)
	}
	req, err := build(o, given)
	if err != nil {
		return nil, err
	}
	resp, err := cl.Do(ctx, o, req)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// convenienceArgs parses a convenience's flags: the global ones and those
// in allowed (name → usage).
func convenienceArgs(cmd string, args []string, env Env, allowed map[string]string) (globals, map[string]string, error) {
	g, params, pos, err := parseArgs(args)
	if err != nil {
		return g, nil, err
	}
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: kmsd %s\n\nFlags:\n", cmd)
		tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
		for n, u := range allowed {
			fmt.Fprintf(tw, "  --%s\t%s\n", n, u)
		}
		tw.Flush()
		printGlobals(w)
	}
	if g.help {
		usage(env.Stdout)
		return g, nil, ErrHelp
	}
	set := map[string]string{}
	for _, p := range params {
		if _, ok := allowed[p[0]]; !ok {
			return g, nil, fmt.Errorf("kmsd %s has no flag --%s (see --help)", strings.Fields(cmd)[0], p[0])
		}
		set[p[0]] = p[1]
	}
	if len(pos) > 0 {
		return g, nil, fmt.Errorf("unexpected argument %q", pos[0])
	}
	return g, set, nil
}

// ErrHelp is returned after a command printed its help on request.
var ErrHelp = fmt.Errorf("help requested")

// Encrypt runs "kmsd encrypt --key REF": standard input is encrypted with
// encrypt-data under the key (id, alias or alias URN), and the ciphertext
// written as its base64 text and a newline, as every client decrypts it.
// encrypt-data takes 1-4096 bytes of UTF-8: longer or binary input is
// refused before anything is sent (encrypt a data key instead, or base64
// the input first).
func Encrypt(ctx context.Context, args []string, env Env) error {
	g, set, err := convenienceArgs("encrypt --key KEY < PLAINTEXT > CIPHERTEXT", args, env, map[string]string{
		"key":                           "key id, alias (alias/app) or alias URN (required)",
		"additional_authenticated_data": "AAD bound to the ciphertext (give the same to decrypt)",
	})
	if err != nil {
		return err
	}
	if set["key"] == "" {
		return fmt.Errorf("kmsd encrypt needs --key (a key id, or alias/NAME)")
	}
	in, err := io.ReadAll(io.LimitReader(env.Stdin, service.MaxDataPlaintext+1))
	if err != nil {
		return err
	}
	switch {
	case len(in) == 0:
		return fmt.Errorf("nothing to encrypt on standard input")
	case len(in) > service.MaxDataPlaintext:
		return fmt.Errorf("standard input is over %d bytes, the most encrypt-data takes: encrypt a data key (kmsd kms CreateDatakey) and the data with it", service.MaxDataPlaintext)
	case !utf8.Valid(in):
		return fmt.Errorf("standard input is not UTF-8 text, which encrypt-data's plain_text must be: base64 it first (base64 < in | kmsd encrypt …)")
	}
	cl, err := g.client(env)
	if err != nil {
		return err
	}
	params := map[string]string{"key_id": set["key"], "plain_text": string(in)}
	if aad, ok := set["additional_authenticated_data"]; ok {
		params["additional_authenticated_data"] = aad
	}
	body, err := call(ctx, cl, "EncryptData", params)
	if err != nil {
		return err
	}
	var resp struct {
		CipherText string `json:"cipher_text"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || resp.CipherText == "" {
		return fmt.Errorf("unexpected encrypt-data response %s", body)
	}
	_, err = fmt.Fprintln(env.Stdout, resp.CipherText)
	return err
}

// Decrypt runs "kmsd decrypt": standard input, a ciphertext's base64 text
// (surrounding white space ignored), is decrypted with decrypt-data and
// the plaintext's exact bytes written to standard output.
func Decrypt(ctx context.Context, args []string, env Env) error {
	g, set, err := convenienceArgs("decrypt < CIPHERTEXT > PLAINTEXT", args, env, map[string]string{
		"additional_authenticated_data": "the AAD given to encrypt",
	})
	if err != nil {
		return err
	}
	in, err := io.ReadAll(io.LimitReader(env.Stdin, 1<<20))
	if err != nil {
		return err
	}
	ct := string(bytes.TrimSpace(in))
	if ct == "" {
		return fmt.Errorf("no ciphertext on standard input")
	}
	cl, err := g.client(env)
	if err != nil {
		return err
	}
	params := map[string]string{"cipher_text": ct}
	if aad, ok := set["additional_authenticated_data"]; ok {
		params["additional_authenticated_data"] = aad
	}
	body, err := call(ctx, cl, "DecryptData", params)
	if err != nil {
		return err
	}
	var resp struct {
		PlainTextBase64 string `json:"plain_text_base64"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("unexpected decrypt-data response: %w", err)
	}
	pt, err := base64.StdEncoding.DecodeString(resp.PlainTextBase64)
	if err != nil {
		return fmt.Errorf("unexpected decrypt-data response: plain_text_base64: %w", err)
	}
	_, err = env.Stdout.Write(pt)
	return err
}

// keyStates names list-keys' key_state codes.
var keyStates = map[string]string{"1": "pending-creation", "2": "enabled", "3": "disabled",
	"4": "pending-deletion", "5": "pending-import"}

// Keys runs "kmsd keys": a table of the project's keys of every spec, all
// pages of list-keys; --output json prints the key_details list instead.
func Keys(ctx context.Context, args []string, env Env) error {
	g, _, err := convenienceArgs("keys", args, env, map[string]string{})
	if err != nil {
		return err
	}
	cl, err := g.client(env)
	if err != nil {
		return err
	}
	var all []json.RawMessage
	for marker := ""; ; {
		params := map[string]string{"key_spec": "ALL", "limit": "1000"}
		if marker != "" {
			params["marker"] = marker
		}
		body, err := call(ctx, cl, "ListKeys", params)
		if err != nil {
			return err
		}
		var page struct {
			KeyDetails []json.RawMessage `json:"key_details"`
			NextMarker string            `json:"next_marker"`
			Truncated  string            `json:"truncated"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return fmt.Errorf("unexpected list-keys response: %w", err)
		}
		all = append(all, page.KeyDetails...)
		if page.Truncated != "true" || page.NextMarker == "" || page.NextMarker == marker {
			break
		}
		marker = page.NextMarker
	}
	if g.output != "" || g.query != "" {
		doc, err := json.Marshal(all)
		if err != nil {
			return err
		}
		return g.print(env, doc)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY_ID\tALIAS\tSPEC\tUSAGE\tSTATE\tCREATED\tDESCRIPTION")
	for _, raw := range all {
		var k map[string]string
		if err := json.Unmarshal(raw, &k); err != nil {
			return fmt.Errorf("unexpected key_details entry: %w", err)
		}
		state := keyStates[k["key_state"]]
		if state == "" {
			state = k["key_state"]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k["key_id"], k["key_alias"], k["key_spec"], k["key_usage"],
			state, created(k["creation_date"]), k["key_description"])
	}
	return tw.Flush()
}

// created formats creation_date (Unix milliseconds) as a UTC time.
func created(ms string) string {
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return ms
	}
	return time.UnixMilli(n).UTC().Format("2006-01-02T15:04:05Z")
}
