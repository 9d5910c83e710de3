package sigv

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// vector is one request from spec §1.7.
type vector struct {
	name    string
	method  string
	target  string // path and raw query as sent on the wire
	headers [][2]string
	body    string
	auth    string
}

var (
	kmsHeaders = [][2]string{
		{"Content-Type", "application/json;charset=UTF-8"},
		{"User-Agent", testUA},
		{"X-Project-Id", testProject},
		{"X-Sdk-Date", testDate},
	}
	aliasesPath = "/v1.0/" + testProject + "/kms/aliases"
	signed3     = "SignedHeaders=user-agent;x-project-id;x-sdk-date"
)

func specVectors() []vector {
	return []vector{
		{"A create-datakey SDK-HMAC-SHA256", "POST", testPath, kmsHeaders, testBody,
			"SDK-HMAC-SHA256 Access=" + testAK + ", " + signed3 + ", Signature=2a790eaedc282ef7cf304af44d038cee79aeecf23684dd91069179e23ad1b0dd"},
		{"B create-datakey SDK-HMAC-SM3", "POST", testPath, kmsHeaders, testBody,
			"SDK-HMAC-SM3 Access=" + testAK + ", " + signed3 + ", Signature=485d497b5c638b5a4a98305baaa38d4f5a1ef2f952afdee6c5d2e1d1454f998d"},
		{"C create-datakey V11-HMAC-SHA256", "POST", testPath, kmsHeaders, testBody,
			"V11-HMAC-SHA256 Credential=" + testAK + "/20240102/local-1/kms, " + signed3 + ", Signature=8b98501cdc6dbba6bd286a0629718233bb64ec40440c17a1a4516a7c65059e9a"},
		{"D list-aliases with escaped query", "GET",
			aliasesPath + "?key_id=0d0466b0-e727-4d9c-b35d-f84bb474a37f&limit=10&marker=a%20b%2Fc%2Bd%2A~",
			kmsHeaders, "",
			"SDK-HMAC-SHA256 Access=" + testAK + ", " + signed3 + ", Signature=f80029a086b63cb89834a807ed7bc0c41eee00b62c9ae42085628ddffa8cfd4d"},
		{"D list-aliases with bare empty marker", "GET", aliasesPath + "?limit=10&marker",
			kmsHeaders, "",
			"SDK-HMAC-SHA256 Access=" + testAK + ", " + signed3 + ", Signature=e1ef80261826dbe60fe5e621717322f71c3eb694530b084fb03000d36dfa5f29"},
		{"E temporary credentials with security token", "POST", testPath,
			append(kmsHeaders[:4:4], [2]string{"X-Security-Token", "example-security-token"}), testBody,
			"SDK-HMAC-SHA256 Access=" + testAK + ", SignedHeaders=user-agent;x-project-id;x-sdk-date;x-security-token, Signature=9c8d6663f0d6dc665764c284504123ba7aff6a0e0d9e94e497ba438d44b07f5f"},
	}
}

// material builds the server-side view of v.
func (v vector) material(t testing.TB) *material {
	return &material{
		r:    serverRequest(v.method, v.target, v.headers, []byte(v.body)),
		body: []byte(v.body),
		a:    mustParse(t, v.auth),
		sk:   testSK,
		now:  testTime.Add(time.Minute),
	}
}

func TestSpecVectorsVerify(t *testing.T) {
	for _, v := range specVectors() {
		t.Run(v.name, func(t *testing.T) {
			wantErr(t, v.material(t).verify(), nil)
		})
	}
}

func TestSpecVectorAIntermediateValues(t *testing.T) {
	m := specVectors()[0].material(t)
	cr, err := CanonicalRequest(m.r, m.body, m.a)
	wantErr(t, err, nil)
	want := "POST\n" + testPath + "/\n\n" +
		"user-agent:" + testUA + "\nx-project-id:" + testProject + "\nx-sdk-date:" + testDate + "\n\n" +
		"user-agent;x-project-id;x-sdk-date\n" +
		"05c18463f1ddc87459919419f028648e6fffb9accd3b3358cc2e86f552509582"
	if cr != want {
		t.Fatalf("canonical request\n%q\nwant\n%q", cr, want)
	}
	if got := sha256Hex(cr); got != "38f4af085a68edb2a52127fc4adcb50b41d9c8943f731316b35eaaa1af365851" {
		t.Fatalf("sha256(canonical) = %s", got)
	}
}

func TestSpecVectorBSM3Hashes(t *testing.T) {
	if got := sm3Hex(testBody); got != "4aae991cf624a354ba441da0aaf584d1827065de4ecb326444344d4de84e1c28" {
		t.Fatalf("SM3(body) = %s", got)
	}
	m := specVectors()[1].material(t)
	cr, err := CanonicalRequest(m.r, m.body, m.a)
	wantErr(t, err, nil)
	if got := sm3Hex(cr); got != "957b926b18901b439f358d03bb8ee6ad240f20838b13b847618f9d6f3643afa9" {
		t.Fatalf("SM3(canonical) = %s", got)
	}
}

func TestSpecVectorCDerivationKey(t *testing.T) {
	dk, err := derivationKey(testAK, testSK, "20240102/local-1/kms")
	wantErr(t, err, nil)
	if dk != "fe0a11454017d633399bdd9c58e8c281816ca83e8790adc9c4480b397c268ec9" {
		t.Fatalf("derivation key = %s", dk)
	}
}

func TestSpecVectorDCanonicalQuery(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"escaped marker", "key_id=0d0466b0-e727-4d9c-b35d-f84bb474a37f&limit=10&marker=a%20b%2Fc%2Bd%2A~",
			"key_id=0d0466b0-e727-4d9c-b35d-f84bb474a37f&limit=10&marker=a%20b%2Fc%2Bd%2A~"},
		{"bare key means empty value", "limit=10&marker", "limit=10&marker="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canonicalQuery(tt.raw)
			wantErr(t, err, nil)
			if got != tt.want {
				t.Fatalf("canonicalQuery(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestSpecVectorECanonicalHash(t *testing.T) {
	m := specVectors()[5].material(t)
	cr, err := CanonicalRequest(m.r, m.body, m.a)
	wantErr(t, err, nil)
	if !strings.Contains(cr, "\nx-security-token:example-security-token\n") {
		t.Fatalf("canonical request lacks the token line:\n%s", cr)
	}
	if got := sha256Hex(cr); got != "5ae4285931f848a779ec9c3b6fdc16d25791f5e7d7e624c79bcb793125a46aca" {
		t.Fatalf("sha256(canonical) = %s", got)
	}
}

func TestSpecVectorFKeyDerivation(t *testing.T) {
	p, err := newDerivedKey(algorithms[AlgECDSAP256SHA256], testAK, testSK)
	wantErr(t, err, nil)
	d, _ := p.p256.Bytes()
	q, _ := p.p256.PublicKey.Bytes()
	checkHex(t, "P-256 d", d, "79368d2a04337ec306be1c35d4c86dcaac2966b543c9b1a1f0ed081f8f536e3b")
	checkHex(t, "P-256 Q.x", q[1:33], "e0c63f4b2b2e383921f4fbb234b3261d65873aefa38e86d33d28d1529265ed76")
	checkHex(t, "P-256 Q.y", q[33:], "6ede1a0785785fa2fbbe8f2c607063da3a791fdaa6343719740d9473cdbecbca")

	s, err := newDerivedKey(algorithms[AlgSM2SM3], testAK, testSK)
	wantErr(t, err, nil)
	checkHex(t, "SM2 d", s.sm2.D.FillBytes(make([]byte, 32)), "090ce5c71fbb20d413a82efe5f7dee8863b33f767a2057000442300d734fe946")
	checkHex(t, "SM2 Q.x", s.sm2.X.FillBytes(make([]byte, 32)), "517417720eaad44b6a49b3a45cdcec59be5d487f557fc8e0b1f62ab88369b087")
	checkHex(t, "SM2 Q.y", s.sm2.Y.FillBytes(make([]byte, 32)), "4c7d0ed087781e3a51fc26469c80cb0c5bd3550941ffc057f01871e0c6195f37")
}

// signedPartMutations change one byte of one signed part of the request.
func signedPartMutations(v vector) map[string]func(m *material) {
	muts := map[string]func(m *material){
		"method":         func(m *material) { m.r.Method = "PUT" },
		"path":           func(m *material) { m.r.URL.Path = flipLastByte(m.r.URL.Path) },
		"body":           func(m *material) { m.body = []byte(flipLastByte(string(m.body))) },
		"signature":      func(m *material) { m.a.Signature = flipHex(m.a.Signature) },
		"secret key":     func(m *material) { m.sk = flipLastByte(m.sk) },
		"date +1s":       func(m *material) { m.r.Header.Set(HeaderDate, "20240102T030406Z") },
		"signed headers": func(m *material) { m.a.SignedHeaders = m.a.SignedHeaders[1:] },
		"query added":    func(m *material) { m.r.URL.RawQuery += "&x=1" },
	}
	if v.body == "" {
		muts["body"] = func(m *material) { m.body = []byte("x") }
	}
	if strings.Contains(v.target, "?") {
		muts["query value"] = func(m *material) { m.r.URL.RawQuery = flipLastByte(m.r.URL.RawQuery) }
	}
	if strings.HasPrefix(v.auth, AlgV11HMACSHA256) {
		muts["scope region"] = func(m *material) { m.a.Scope = "20240102/local-2/kms" }
	}
	for _, h := range v.headers {
		if h[0] != "Content-Type" && h[0] != HeaderDate {
			name := h[0]
			muts["header "+name] = func(m *material) { m.r.Header.Set(name, flipLastByte(m.r.Header.Get(name))) }
		}
	}
	return muts
}

func TestSpecVectorsRejectOneByteChanges(t *testing.T) {
	for _, v := range specVectors() {
		for name, mutate := range signedPartMutations(v) {
			t.Run(v.name+"/"+name, func(t *testing.T) {
				m := v.material(t)
				mutate(m)
				wantErr(t, m.verify(), ErrSignature)
			})
		}
	}
}

func TestSpecVectorsIgnoreUnsignedParts(t *testing.T) {
	muts := map[string]func(m *material){
		"content-type": func(m *material) { m.r.Header.Set("Content-Type", "text/plain") },
		"host":         func(m *material) { m.r.Host = "kms.example.com:443" },
		"extra header": func(m *material) { m.r.Header.Set("X-Extra", "1") },
		"accept-enc":   func(m *material) { m.r.Header.Set("Accept-Encoding", "gzip") },
	}
	for _, v := range specVectors() {
		for name, mutate := range muts {
			t.Run(v.name+"/"+name, func(t *testing.T) {
				m := v.material(t)
				mutate(m)
				wantErr(t, m.verify(), nil)
			})
		}
	}
}

func TestHostIsTakenFromRequestHost(t *testing.T) {
	r := serverRequest("GET", "/v1/x", nil, nil)
	r.Host = "kms.local:8443"
	wantErr(t, Sign(r, nil, testAK, testSK, testTime), nil)
	a := mustParse(t, r.Header.Get(HeaderAuthorization))
	a.SignedHeaders = []string{"host", "x-sdk-date"}
	cr, err := CanonicalRequest(r, nil, a)
	wantErr(t, err, nil)
	if !strings.Contains(cr, "\nhost:kms.local:8443\nx-sdk-date:") {
		t.Fatalf("canonical request does not use r.Host:\n%s", cr)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sm3Hex(s string) string {
	sum := sm3.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func checkHex(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if hex.EncodeToString(got) != want {
		t.Errorf("%s = %x, want %s", what, got, want)
	}
}
