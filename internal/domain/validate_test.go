package domain

import (
	"errors"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/kmserr"
)

func TestCheckKeyID(t *testing.T) {
	for name, tc := range map[string]struct {
		id   string
		want *kmserr.Error
	}{
		"ok/seed example":     {"0d0466b0-e727-4d9c-b35d-f84bb474a37f", nil},
		"ok/letters past f":   {"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", nil}, // the regex is [0-9a-z]
		"error/empty":         {"", kmserr.MissingParameter},
		"error/upper case":    {"0D0466B0-E727-4D9C-B35D-F84BB474A37F", kmserr.InvalidKeyID},
		"error/35 bytes":      {"0d0466b0-e727-4d9c-b35d-f84bb474a37", kmserr.InvalidKeyID},
		"error/37 bytes":      {"0d0466b0-e727-4d9c-b35d-f84bb474a37ff", kmserr.InvalidKeyID},
		"error/no dashes":     {"0d0466b0e7274d9cb35df84bb474a37f0000", kmserr.InvalidKeyID},
		"error/trailing LF":   {"0d0466b0-e727-4d9c-b35d-f84bb474a37f\n", kmserr.InvalidKeyID},
		"error/alias instead": {"alias/my-key", kmserr.InvalidKeyID},
	} {
		t.Run(name, func(t *testing.T) { checkErr(t, CheckKeyID(tc.id), tc.want) })
	}
}

func TestCheckDescription(t *testing.T) {
	for name, tc := range map[string]struct {
		d    string
		want *kmserr.Error
	}{
		"ok/empty":                   {"", nil},
		"ok/255 ASCII":               {strings.Repeat("a", 255), nil},
		"ok/255 Chinese (765 bytes)": {strings.Repeat("密", 255), nil},
		"ok/255 emoji (1020 bytes)":  {strings.Repeat("🔑", 255), nil},
		"error/256 ASCII":            {strings.Repeat("a", 256), kmserr.InvalidDescription},
		"error/256 Chinese":          {strings.Repeat("密", 256), kmserr.InvalidDescription},
		"error/invalid UTF-8":        {"\xff", kmserr.InvalidDescription},
		"ok/tab and line feed":       {"line one\tcol\nline two\n", nil},
		"ok/CRLF line ends":          {"line one\r\nline two\r\n", nil},
		"ok/RTL marks and ZWJ emoji": {"\u200f\u05e9\u05dc\u05d5\u05dd \U0001F468\u200d\U0001F469\u200d\U0001F467", nil},
		"error/NUL":                  {"before\x00after", kmserr.InvalidDescription},
		"error/ESC sequence":         {"\x1b[2J\x1b[31mfake", kmserr.InvalidDescription},
		"error/bell":                 {"\a", kmserr.InvalidDescription},
		"error/lone CR":              {"visible\rhidden", kmserr.InvalidDescription},
		"error/CR at the end":        {"text\r", kmserr.InvalidDescription},
		"error/DEL":                  {"a\x7fb", kmserr.InvalidDescription},
		"error/C1 CSI":               {"\u009b31m", kmserr.InvalidDescription},
		"error/C1 NEL":               {"a\u0085b", kmserr.InvalidDescription},
		"error/line separator":       {"a\u2028b", kmserr.InvalidDescription},
		"error/paragraph separator":  {"a\u2029b", kmserr.InvalidDescription},
		"error/RLO override":         {"key \u202etxt.exe", kmserr.InvalidDescription},
		"error/LRI isolate":          {"\u2066x\u2069", kmserr.InvalidDescription},
	} {
		t.Run(name, func(t *testing.T) { checkErr(t, CheckDescription(tc.d), tc.want) })
	}
}

func TestCheckKeyAlias(t *testing.T) {
	for name, tc := range map[string]struct {
		a    string
		want *kmserr.Error
	}{
		"ok/simple":            {"my-key", nil},
		"ok/all allowed chars": {"a:B/c_d-9", nil},
		"ok/255 chars":         {strings.Repeat("k", 255), nil},
		"ok/default inside":    {"obs/default/x", nil},
		"error/empty":          {"", kmserr.MissingParameter},
		"error/256 chars":      {strings.Repeat("k", 256), kmserr.InvalidAlias},
		"error/space":          {"my key", kmserr.InvalidAlias},
		"error/dot":            {"my.key", kmserr.InvalidAlias},
		"error/default suffix": {"obs/default", kmserr.InvalidAlias},
		"error/only /default":  {"/default", kmserr.InvalidAlias},
		"error/non-ASCII":      {"密钥", kmserr.InvalidAlias},
	} {
		t.Run(name, func(t *testing.T) { checkErr(t, CheckKeyAlias(tc.a), tc.want) })
	}
}

func TestCheckSequenceAndPendingDays(t *testing.T) {
	checkErr(t, CheckSequence(""), nil)
	checkErr(t, CheckSequence("919c82d4-8046-4722-9094-35c3c6524cff"), nil)
	checkErr(t, CheckSequence("919c82d4-8046-4722-9094-35c3c6524cf"), kmserr.InvalidSequence)
	checkErr(t, CheckSequence(strings.Repeat("x", 37)), kmserr.InvalidSequence)
	for s, want := range map[string]*kmserr.Error{"7": nil, "1096": nil, "6": kmserr.InvalidPendingDays,
		"1097": kmserr.InvalidPendingDays, "7.5": kmserr.InvalidPendingDays, "": kmserr.MissingParameter, " 7": kmserr.InvalidPendingDays} {
		_, err := ParsePendingDays(s)
		checkErr(t, err, want)
	}
}

func TestSpecUsageMatrix(t *testing.T) {
	for _, s := range AllSpecs {
		if !s.AllowsUsage(s.DefaultUsage()) {
			t.Errorf("%s does not allow its default usage %s", s, s.DefaultUsage())
		}
	}
	if SpecECP256.AllowsUsage(UsageEncryptDecrypt) || SpecAES256.AllowsUsage(UsageSignVerify) ||
		!SpecSM2.AllowsUsage(UsageEncryptDecrypt) || !SpecRSA2048.AllowsUsage(UsageEncryptDecrypt) ||
		SpecHMAC256.AllowsUsage(UsageEncryptDecrypt) {
		t.Error("usage matrix differs from management-api.md §8.2")
	}
	if !SpecSM4.Rotatable() || SpecRSA2048.Rotatable() || SpecHMAC256.Rotatable() {
		t.Error("only symmetric keys rotate")
	}
}

func checkErr(t *testing.T, err error, want *kmserr.Error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %s", err, want.Code)
	}
}
