package trail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// line is what Verify reads of a record.
type line struct {
	Seq       uint64 `json:"seq"`
	Prev      string `json:"prev"`
	MAC       string `json:"mac"`
	TraceType string `json:"trace_type"`
	TraceID   string `json:"trace_id"`
	Node      string `json:"node"`
	ChainKey  string `json:"chain_key"`
	RootKeyID string `json:"root_key_id"`
	wrapped   []byte
}

func parseLine(b []byte) (line, error) {
	var l line
	if err := json.Unmarshal(b, &l); err != nil {
		return l, fmt.Errorf("not a JSON record: %w", err)
	}
	if l.Seq == 0 || len(l.Prev) != 64 || len(l.MAC) != 64 {
		return l, errors.New("not a chained record (no seq, prev or mac)")
	}
	if l.TraceType == "ChainKey" {
		var err error
		if l.wrapped, err = hex.DecodeString(l.ChainKey); err != nil || l.Node == "" {
			return l, errors.New("chain-key record without a node or a valid chain_key")
		}
	}
	return l, nil
}

func (l line) unwrapKey(ctx context.Context, root Wrapper) ([]byte, error) {
	if l.TraceType != "ChainKey" {
		return nil, errors.New("the file does not begin with a chain-key record")
	}
	key, err := root.Unwrap(ctx, l.wrapped, chainKeyAAD(l.Node))
	if err != nil && l.RootKeyID != "" && l.RootKeyID != root.ID() {
		return nil, fmt.Errorf("chain key of node %s does not unwrap under root key %s (%w %s): %w", l.Node, root.ID(), errOtherRootKey, l.RootKeyID, err)
	}
	if err != nil {
		return nil, fmt.Errorf("chain key of node %s does not unwrap under root key %s: %w", l.Node, root.ID(), err)
	}
	return key, nil
}

// errOtherRootKey: a file's chain key is wrapped under another root key
// than the one given (a root key rotation happened since it was written).
var errOtherRootKey = errors.New("it is wrapped under root key")

// Break is the first record of a trail that does not verify.
type Break struct {
	File   string
	Line   int    // 1-based line number in File
	Seq    uint64 // the seq expected there
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("%s:%d: record %d: %s", b.File, b.Line, b.Seq, b.Reason)
}

// Report is the result of Verify.
type Report struct {
	Records uint64   // records verified
	IDs     []string // trace_id of every verified request record, in order (when asked)
	// Unfinished: the last file ends in a line without its newline, which
	// the node is writing (or a crash cut short; the next start removes
	// it). It is not verified and was not acknowledged yet.
	Unfinished bool
}

// Verify checks the chain through files, given oldest first as one node
// wrote them: every line is a record, the first one is a chain-key record
// with seq 1, each seq follows the one before, each prev is the mac before
// and each mac is right. It returns a *Break for the first record that is
// edited, missing, out of order or unreadable. A tail cut off after the
// last record cannot be seen from the files alone: compare the last seq
// with what the node reported.
func Verify(ctx context.Context, root Wrapper, files []string, ids bool) (Report, error) {
	v := verifier{root: root, ids: ids, prev: zeroMAC}
	for i, f := range files {
		if err := v.file(ctx, f, i == len(files)-1); err != nil {
			return v.rep, err
		}
	}
	if v.rep.Records == 0 {
		return v.rep, errors.New("trail: no records")
	}
	return v.rep, nil
}

type verifier struct {
	root Wrapper
	ids  bool
	rep  Report
	mac  []byte // current chain key
	prev string
	seq  uint64
}

func (v *verifier) file(ctx context.Context, name string, last bool) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	rd := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		b, err := rd.ReadBytes('\n')
		if len(b) > 0 && b[len(b)-1] != '\n' {
			if last { // being written by the node, or cut short by a crash: never acknowledged
				v.rep.Unfinished = true
				return nil
			}
			return &Break{File: name, Line: n, Seq: v.seq + 1, Reason: "incomplete line"}
		}
		if len(b) > 0 {
			if reason := v.record(ctx, b[:len(b)-1], n == 1); reason != "" {
				return &Break{File: name, Line: n, Seq: v.seq + 1, Reason: reason}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// record checks one line; it returns why it does not verify, or "".
func (v *verifier) record(ctx context.Context, b []byte, first bool) string {
	l, err := parseLine(b)
	if err != nil {
		return err.Error()
	}
	if first && l.TraceType != "ChainKey" {
		return "the file does not begin with a chain-key record (its first records were removed)"
	}
	if l.TraceType == "ChainKey" {
		key, err := l.unwrapKey(ctx, v.root)
		if err != nil {
			return err.Error()
		}
		v.mac = key
	}
	switch {
	case l.Seq > v.seq+1:
		return fmt.Sprintf("missing: the next record is %d (records %d to %d were removed)", l.Seq, v.seq+1, l.Seq-1)
	case l.Seq != v.seq+1:
		return fmt.Sprintf("out of order: record %d follows %d", l.Seq, v.seq)
	case l.Prev != v.prev:
		return "prev does not match the mac of the record before (a record was replaced)"
	}
	i := bytes.LastIndex(b, []byte(`,"mac":"`))
	if i < 0 {
		return "no mac"
	}
	m := hmac.New(sha256.New, v.mac)
	m.Write(b[:i])
	want := hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(l.MAC)) || !bytes.Equal(b[i:], []byte(`,"mac":"`+l.MAC+`"}`)) {
		return "mac does not match (the record was edited)"
	}
	v.seq, v.prev = l.Seq, l.MAC
	v.rep.Records++
	if v.ids && l.TraceType == "ApiCall" {
		v.rep.IDs = append(v.rep.IDs, l.TraceID)
	}
	return ""
}
